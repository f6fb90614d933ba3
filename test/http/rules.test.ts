import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/engine/run.js';
import type { Inventory } from '../../src/inventory/model.js';
import { inventory } from '../helpers/inventory.js';
import { builtinRule, runRule } from '../rules/run-rule.js';
import { exchange, goodFacts, httpInventory } from './facts.js';

const HTTP_RULES = [
  'auth/unauthenticated-http',
  'auth/missing-protected-resource-metadata',
  'auth/resource-metadata-mismatch',
  'auth/challenge-without-scope',
  'auth/broad-scopes',
  'auth/insecure-remote-url',
  'auth/weak-session-id',
  'transport/missing-origin-validation',
  'transport/missing-host-validation',
  'transport/permissive-cors',
  'transport/protocol-version-header',
  'transport/get-not-sse-or-405',
  'transport/tls-certificate',
  'transport/tls-version',
];

function outcome(id: string, inv: Inventory) {
  return runRules(inv, [builtinRule(id)], { targetId: 'test-server' }).outcomes[0];
}
function messageIds(id: string, inv: Inventory): string[] {
  return runRule(id, inv).map((finding) => finding.messageId);
}

describe('HTTP rules on the facts of a server done right', () => {
  it.each(HTTP_RULES.filter((id) => !id.includes('tls')))('%s reports nothing', (id) => {
    expect(runRule(id, httpInventory())).toEqual([]);
    expect(outcome(id, httpInventory())?.status).toBe('ran');
  });

  it.each(HTTP_RULES)('%s is skipped for a stdio target (no http facts)', (id) => {
    expect(outcome(id, inventory())).toMatchObject({ status: 'skipped' });
  });

  it('TLS rules are skipped for an http:// target, with the reason', () => {
    expect(outcome('transport/tls-certificate', httpInventory())).toEqual({ ruleId: 'transport/tls-certificate', status: 'skipped', reason: 'not an https target' });
  });
});

describe('auth/unauthenticated-http', () => {
  const open = (facts: ReturnType<typeof goodFacts>) => {
    facts.anonymous = { initialize: exchange(200), toolsList: exchange(200, { jsonrpc: { hasResult: true, toolCount: 4 } }), accessGranted: true };
    delete facts.challenge;
  };
  it('catches initialize and tools/list without credentials', () => {
    const [finding] = runRule('auth/unauthenticated-http', httpInventory(open));
    expect(finding).toMatchObject({ messageId: 'noCredentials', level: 'error', capability: { kind: 'server' } });
    expect(finding?.message).toContain('(4 tools)');
  });
  it('does not flag an initialize that worked when tools/list did not', () => {
    expect(runRule('auth/unauthenticated-http', httpInventory((f) => (f.anonymous = { initialize: exchange(200), toolsList: exchange(401), accessGranted: false })))).toEqual([]);
  });
  it('is skipped with the reason when the target declares auth: none', () => {
    const inv = httpInventory((f) => {
      open(f);
      f.authNone = { reason: 'loopback only, inside the CI container' };
    });
    expect(runRule('auth/unauthenticated-http', inv)).toEqual([]);
    expect(outcome('auth/unauthenticated-http', inv)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('loopback only, inside the CI container') });
  });
});

describe('auth/missing-protected-resource-metadata', () => {
  const RULE = 'auth/missing-protected-resource-metadata';
  it('catches a 401 without any metadata and without a challenge header', () => {
    const inv = httpInventory((f) => {
      f.challenge = { status: 401, params: {} };
      f.resourceMetadata = f.resourceMetadata.filter((p) => p.source !== 'header').map((p) => ({ ...p, status: 404, document: undefined }) as never);
    });
    expect(messageIds(RULE, inv).sort()).toEqual(['noChallengeHeader', 'noMetadata']);
  });
  it('catches an advertised URL that is not there', () => {
    const inv = httpInventory((f) => (f.resourceMetadata = [{ ...f.resourceMetadata[0]!, status: 404, document: undefined }, f.resourceMetadata[1]!, f.resourceMetadata[2]!]));
    expect(messageIds(RULE, inv)).toEqual(['advertisedDocumentMissing']);
  });
  it('catches a document without authorization_servers, and an empty list', () => {
    for (const servers of [undefined, []]) {
      const inv = httpInventory((f) => {
        for (const probe of f.resourceMetadata) if (probe.document) probe.document = { resource: f.url, ...(servers ? { authorization_servers: servers } : {}) };
      });
      expect(messageIds(RULE, inv)).toEqual(['noAuthorizationServers']);
    }
  });
  it('accepts the root well-known document alone (2025-11-25: header or well-known)', () => {
    const inv = httpInventory((f) => {
      f.challenge = { status: 401, header: 'Bearer scope="mcp:tools"', scheme: 'Bearer', params: { scope: 'mcp:tools' } };
      f.resourceMetadata = [
        { source: 'path-suffixed', url: 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp', sameOrigin: true, status: 404 },
        { source: 'root', url: 'http://127.0.0.1:3000/.well-known/oauth-protected-resource', sameOrigin: true, status: 200, document: { resource: f.url, authorization_servers: ['https://a.example'] } },
      ];
    });
    expect(runRule(RULE, inv)).toEqual([]);
  });
  it('is skipped for an endpoint that did not ask for credentials', () => {
    expect(outcome(RULE, httpInventory((f) => delete f.challenge))).toMatchObject({ status: 'skipped' });
  });
  it('is skipped before 2025-06-18 (no RFC 9728 in that revision)', () => {
    expect(outcome(RULE, httpInventory(() => {}, '2025-03-26'))).toMatchObject({ status: 'skipped', reason: expect.stringContaining('2025-03-26') });
  });
});

describe('auth/resource-metadata-mismatch', () => {
  const RULE = 'auth/resource-metadata-mismatch';
  it('catches a resource naming another URL', () => {
    const inv = httpInventory((f) => {
      for (const probe of f.resourceMetadata) if (probe.document) probe.document = { ...probe.document, resource: 'https://api.example.com/' };
    });
    expect(messageIds(RULE, inv)).toEqual(['resourceMismatch']);
  });
  it('catches a missing resource and metadata on another origin', () => {
    const inv = httpInventory((f) => {
      f.resourceMetadata = [
        { source: 'header', url: 'https://elsewhere.example/.well-known/oauth-protected-resource', sameOrigin: false },
        { source: 'path-suffixed', url: 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp', sameOrigin: true, status: 200, document: { authorization_servers: ['https://a.example'] } },
      ];
    });
    expect(messageIds(RULE, inv).sort()).toEqual(['crossOriginMetadata', 'resourceMissing']);
  });
  it('accepts the origin as resource of a root document, and a trailing slash', () => {
    for (const resource of ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/mcp/', 'HTTP://127.0.0.1:3000/mcp']) {
      const inv = httpInventory((f) => {
        for (const probe of f.resourceMetadata) if (probe.document) probe.document = { ...probe.document, resource };
      });
      expect(runRule(RULE, inv)).toEqual([]);
    }
  });
});

describe('auth/challenge-without-scope', () => {
  it('catches a challenge without scope', () => {
    const inv = httpInventory((f) => (f.challenge = { status: 401, header: 'Bearer resource_metadata="x"', scheme: 'Bearer', params: { resource_metadata: 'x' } }));
    expect(messageIds('auth/challenge-without-scope', inv)).toEqual(['noScope']);
  });
  it('does not apply to 2025-06-18 (the SHOULD came with 2025-11-25)', () => {
    const inv = httpInventory((f) => (f.challenge = { status: 401, header: 'Bearer', scheme: 'Bearer', params: {} }), '2025-06-18');
    expect(outcome('auth/challenge-without-scope', inv)).toMatchObject({ status: 'skipped' });
  });
});

describe('auth/broad-scopes', () => {
  const RULE = 'auth/broad-scopes';
  it('catches wildcard and omnibus scopes and a catalogue-sized challenge', () => {
    const scopes = ['*', 'admin', 'mcp:tools', 'repo:*'];
    const inv = httpInventory((f) => {
      for (const probe of f.resourceMetadata) if (probe.document) probe.document = { ...probe.document, scopes_supported: scopes };
      f.challenge!.params.scope = scopes.join(' ');
    });
    expect(messageIds(RULE, inv).sort()).toEqual(['broadScope', 'broadScope', 'broadScope', 'wholeCatalogueChallenge']);
  });
  it('catches a scopes_supported list over the threshold', () => {
    const inv = httpInventory((f) => {
      for (const probe of f.resourceMetadata) if (probe.document) probe.document = { ...probe.document, scopes_supported: Array.from({ length: 25 }, (_, i) => `s${i}`) };
    });
    expect(messageIds(RULE, inv)).toEqual(['tooManyScopes']);
  });
});

describe('auth/insecure-remote-url', () => {
  it('catches http:// to a host that is not loopback, and a plain-http authorization server', () => {
    const inv = httpInventory((f) => {
      f.url = 'http://mcp.example.com/mcp';
      f.loopback = false;
      for (const probe of f.resourceMetadata) if (probe.document) probe.document = { ...probe.document, authorization_servers: ['http://auth.example.com'] };
    });
    expect(messageIds('auth/insecure-remote-url', inv).sort()).toEqual(['plainHttpAuthorizationServer', 'plainHttpTarget']);
  });
  it('accepts loopback http and https', () => {
    for (const url of ['http://localhost:3000/mcp', 'http://[::1]:3000/mcp', 'https://mcp.example.com/mcp']) {
      expect(runRule('auth/insecure-remote-url', httpInventory((f) => (f.url = url)))).toEqual([]);
    }
  });
});

describe('auth/weak-session-id', () => {
  const RULE = 'auth/weak-session-id';
  it.each([
    [['session-1', 'session-2', 'session-3'], 'sequential'],
    [['1764000000001', '1764000000350', '1764000000900'], 'sequential'],
    [['sess_1764000000001', 'sess_1764000003002', 'sess_1764000009003'], 'timestampLike'],
    [['k3j2h1', 'a9b8c7', 'z1y2x3'], 'tooShort'],
    [['same-id-for-everyone-000', 'same-id-for-everyone-000'], 'repeated'],
    [['id with space 0123456789', 'id with space 9876543210'], 'invalidCharacters'],
  ])('catches %j (%s)', (ids, messageId) => {
    expect(messageIds(RULE, httpInventory((f) => (f.sessions = { ids, requested: ids.length })))).toContain(messageId);
  });
  it('is skipped for a stateless server and for 2026-07-28 (no sessions)', () => {
    expect(outcome(RULE, httpInventory((f) => (f.sessions = { ids: [], requested: 1 })))).toMatchObject({ status: 'skipped', reason: expect.stringContaining('stateless') });
    expect(outcome(RULE, httpInventory(() => {}, '2026-07-28'))).toMatchObject({ status: 'skipped', reason: expect.stringContaining('2026-07-28') });
  });
  it('is skipped without access, saying how to give it', () => {
    expect(outcome(RULE, httpInventory((f) => ((f.access = false), (f.credentialHeaders = []))))).toMatchObject({ status: 'skipped', reason: expect.stringContaining('--bearer-env') });
  });
});

describe('transport/missing-origin-validation', () => {
  const RULE = 'transport/missing-origin-validation';
  it('catches a foreign Origin that is served', () => {
    expect(messageIds(RULE, httpInventory((f) => (f.originHeader!.foreign = exchange(200))))).toEqual(['foreignOriginAccepted']);
  });
  it('catches a refusal with another status than 403 since 2025-11-25, not before', () => {
    const refuse400 = (f: ReturnType<typeof goodFacts>) => (f.originHeader!.foreign = exchange(400));
    expect(messageIds(RULE, httpInventory(refuse400))).toEqual(['wrongStatus']);
    expect(runRule(RULE, httpInventory(refuse400, '2025-06-18'))).toEqual([]);
    expect(messageIds(RULE, httpInventory((f) => (f.originHeader!.foreign = exchange(200)), '2025-06-18'))).toEqual(['foreignOriginAccepted']);
  });
  it('is skipped when the endpoint refuses us the same way with or without Origin', () => {
    const inv = httpInventory((f) => {
      f.access = false;
      f.baseline = exchange(401);
      f.originHeader!.foreign = exchange(401);
    });
    expect(outcome(RULE, inv)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('cannot see Origin') });
  });
  it('passes a 403 even without access', () => {
    expect(runRule(RULE, httpInventory((f) => ((f.access = false), (f.baseline = exchange(401)))))).toEqual([]);
  });
});

describe('transport/missing-host-validation', () => {
  const RULE = 'transport/missing-host-validation';
  it('catches a loopback server serving a foreign Host', () => {
    expect(messageIds(RULE, httpInventory((f) => (f.hostHeader!.foreign = exchange(200))))).toEqual(['foreignHostAccepted']);
  });
  it('catches it on a private address, skips public hosts', () => {
    expect(messageIds(RULE, httpInventory((f) => ((f.url = 'http://192.168.1.20:3000/mcp'), (f.loopback = false), (f.hostHeader!.foreign = exchange(200)))))).toEqual(['foreignHostAccepted']);
    expect(outcome(RULE, httpInventory((f) => ((f.url = 'https://mcp.example.com/mcp'), (f.loopback = false), (f.hostHeader!.foreign = exchange(200)))))).toMatchObject({ status: 'skipped' });
  });
});

describe('transport/permissive-cors', () => {
  const RULE = 'transport/permissive-cors';
  const preflight = (headers: Record<string, string>) => (f: ReturnType<typeof goodFacts>) => (f.cors!.preflight = exchange(204, { method: 'OPTIONS', headers, jsonrpc: undefined as never }));
  it.each([
    [{ 'access-control-allow-origin': '*' }, 'wildcard'],
    [{ 'access-control-allow-origin': 'http://evil.example' }, 'reflected'],
    [{ 'access-control-allow-origin': 'http://evil.example', 'access-control-allow-credentials': 'true' }, 'reflectedWithCredentials'],
    [{ 'access-control-allow-origin': 'null' }, 'nullOrigin'],
  ])('catches %j', (headers, messageId) => {
    expect(messageIds(RULE, httpInventory(preflight(headers)))).toEqual([messageId]);
  });
  it('catches a wildcard on the POST answer too, and accepts an allow-list of other origins', () => {
    expect(messageIds(RULE, httpInventory((f) => (f.originHeader!.foreign = exchange(200, { headers: { 'access-control-allow-origin': '*' } }))))).toEqual(['wildcard']);
    expect(runRule(RULE, httpInventory(preflight({ 'access-control-allow-origin': 'https://app.example.com' })))).toEqual([]);
  });
});

describe('transport/protocol-version-header', () => {
  const RULE = 'transport/protocol-version-header';
  it('catches an invalid version that is served', () => {
    expect(messageIds(RULE, httpInventory((f) => (f.protocolVersionHeader!.response = exchange(200))))).toEqual(['invalidVersionAccepted']);
  });
  it('does not apply before 2025-06-18, nor to legacy SSE', () => {
    expect(outcome(RULE, httpInventory((f) => (f.protocolVersionHeader!.response = exchange(200)), '2025-03-26'))).toMatchObject({ status: 'skipped' });
    const sse = httpInventory((f) => (f.protocolVersionHeader!.response = exchange(200)));
    sse.server.transport = 'sse';
    expect(outcome(RULE, sse)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('legacy') });
  });
});

describe('transport/get-not-sse-or-405', () => {
  const RULE = 'transport/get-not-sse-or-405';
  it('catches a JSON answer and a 400 in a session', () => {
    expect(messageIds(RULE, httpInventory((f) => (f.get = exchange(200, { method: 'GET', headers: { 'content-type': 'application/json' } }))))).toEqual(['wrongAnswer']);
    expect(messageIds(RULE, httpInventory((f) => (f.get = exchange(400, { method: 'GET' }))))).toEqual(['wrongAnswer']);
  });
  it('accepts 405', () => {
    expect(runRule(RULE, httpInventory((f) => (f.get = exchange(405, { method: 'GET' }))))).toEqual([]);
  });
});

describe('TLS rules', () => {
  const https = (tls: NonNullable<ReturnType<typeof goodFacts>['tls']>) => (f: ReturnType<typeof goodFacts>) => {
    f.scheme = 'https';
    f.url = 'https://127.0.0.1:3443/mcp';
    f.tls = tls;
  };
  const validTo = new Date(Date.now() + 90 * 86_400_000).toUTCString();
  it('pass a verified TLS 1.3 server', () => {
    const inv = httpInventory(https({ authorized: true, protocol: 'TLSv1.3', legacyProtocolsAccepted: [], customCa: false, certificate: { validTo } }));
    expect(runRule('transport/tls-certificate', inv)).toEqual([]);
    expect(runRule('transport/tls-version', inv)).toEqual([]);
  });
  it('catch an untrusted certificate, one about to expire, and legacy protocols', () => {
    expect(messageIds('transport/tls-certificate', httpInventory(https({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', legacyProtocolsAccepted: [], customCa: false })))).toEqual(['notTrusted']);
    const soon = new Date(Date.now() + 3 * 86_400_000).toUTCString();
    expect(messageIds('transport/tls-certificate', httpInventory(https({ authorized: true, protocol: 'TLSv1.3', legacyProtocolsAccepted: [], customCa: true, certificate: { validTo: soon } })))).toEqual(['expiresSoon']);
    expect(messageIds('transport/tls-version', httpInventory(https({ authorized: true, protocol: 'TLSv1.1', legacyProtocolsAccepted: ['TLSv1'], customCa: false })))).toEqual(['oldAccepted', 'oldNegotiated']);
  });
});

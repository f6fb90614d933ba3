import type { HttpFacts } from '../../../src/http/types.js';
import { ruleTester, type Expected } from '../../helpers/rule-tester.js';
import { exchange, httpInventory } from '../../http/facts.js';

// HTTP rules at fact level: the facts of a server done right (test/http/facts.ts) with one thing
// changed. test/http/rules.test.ts keeps the skip reasons; test/e2e the wiring against real servers.
const server = (...messageIds: string[]): Expected[] => messageIds.map((messageId) => ({ messageId, capability: { kind: 'server' } }));
const good = { name: 'the facts of a server done right', facts: () => httpInventory() };
const documents = (f: HttpFacts, change: (document: NonNullable<HttpFacts['resourceMetadata'][number]['document']>) => object) => {
  for (const probe of f.resourceMetadata) if (probe.document) probe.document = change(probe.document) as never;
};

ruleTester.run('auth/unauthenticated-http', {
  valid: [
    { ...good, docExample: 'good' },
    {
      name: 'initialize worked but tools/list did not',
      facts: () => httpInventory((f) => (f.anonymous = { initialize: exchange(200), toolsList: exchange(401), accessGranted: false })),
    },
  ],
  invalid: [
    {
      name: 'initialize and tools/list answer without credentials',
      docExample: 'bad',
      facts: () =>
        httpInventory((f) => {
          f.anonymous = { initialize: exchange(200), toolsList: exchange(200, { jsonrpc: { hasResult: true, toolCount: 4 } }), accessGranted: true };
          delete f.challenge;
        }),
      errors: server('noCredentials'),
    },
  ],
});

ruleTester.run('auth/missing-protected-resource-metadata', {
  valid: [
    { ...good, docExample: 'good' },
    {
      name: 'the root well-known document alone (2025-11-25: header or well-known)',
      facts: () =>
        httpInventory((f) => {
          f.challenge = { status: 401, header: 'Bearer scope="mcp:tools"', scheme: 'Bearer', params: { scope: 'mcp:tools' } };
          f.resourceMetadata = [
            { source: 'path-suffixed', url: 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp', sameOrigin: true, status: 404 },
            {
              source: 'root',
              url: 'http://127.0.0.1:3000/.well-known/oauth-protected-resource',
              sameOrigin: true,
              status: 200,
              document: { resource: f.url, authorization_servers: ['https://a.example'] },
            },
          ];
        }),
    },
  ],
  invalid: [
    {
      name: 'a static bearer token (plain Bearer challenge, no metadata anywhere) is a note, not an error',
      facts: () =>
        httpInventory((f) => {
          f.challenge = {
            status: 401,
            header: 'Bearer realm="api", error="invalid_token"',
            scheme: 'Bearer',
            params: { realm: 'api', error: 'invalid_token' },
          };
          f.resourceMetadata = f.resourceMetadata.filter((p) => p.source !== 'header').map((p) => ({ ...p, status: 404, document: undefined }) as never);
        }),
      errors: [{ messageId: 'staticBearer', capability: { kind: 'server' }, level: 'note' }],
    },
    {
      name: 'a Bearer challenge that names a scope (OAuth) without any metadata stays an error',
      facts: () =>
        httpInventory((f) => {
          f.challenge = { status: 401, header: 'Bearer scope="mcp:tools"', scheme: 'Bearer', params: { scope: 'mcp:tools' } };
          f.resourceMetadata = f.resourceMetadata.filter((p) => p.source !== 'header').map((p) => ({ ...p, status: 404, document: undefined }) as never);
        }),
      errors: [{ messageId: 'noMetadata', capability: { kind: 'server' }, level: 'error' }],
    },
    {
      name: 'a 401 without a challenge header and without any metadata',
      docExample: 'bad',
      facts: () =>
        httpInventory((f) => {
          f.challenge = { status: 401, params: {} };
          f.resourceMetadata = f.resourceMetadata.filter((p) => p.source !== 'header').map((p) => ({ ...p, status: 404, document: undefined }) as never);
        }),
      errors: server('noChallengeHeader', 'noMetadata'),
    },
    {
      name: 'an advertised metadata URL that is not there',
      facts: () =>
        httpInventory(
          (f) => (f.resourceMetadata = [{ ...f.resourceMetadata[0]!, status: 404, document: undefined }, f.resourceMetadata[1]!, f.resourceMetadata[2]!]),
        ),
      errors: server('advertisedDocumentMissing'),
    },
    {
      name: 'a document without authorization_servers',
      facts: () => httpInventory((f) => documents(f, () => ({ resource: f.url }))),
      errors: server('noAuthorizationServers'),
    },
    {
      name: 'an empty authorization_servers list',
      facts: () => httpInventory((f) => documents(f, () => ({ resource: f.url, authorization_servers: [] }))),
      errors: server('noAuthorizationServers'),
    },
  ],
});

ruleTester.run('auth/resource-metadata-mismatch', {
  valid: [
    { ...good, docExample: 'good' },
    ...['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/mcp/', 'HTTP://127.0.0.1:3000/mcp'].map((resource) => ({
      name: `resource ${resource} names this endpoint`,
      facts: () => httpInventory((f) => documents(f, (d) => ({ ...d, resource }))),
    })),
  ],
  invalid: [
    {
      name: 'a resource naming another URL',
      docExample: 'bad',
      facts: () => httpInventory((f) => documents(f, (d) => ({ ...d, resource: 'https://api.example.com/' }))),
      errors: server('resourceMismatch'),
    },
    {
      name: 'a missing resource, and metadata on another origin',
      facts: () =>
        httpInventory((f) => {
          f.resourceMetadata = [
            { source: 'header', url: 'https://elsewhere.example/.well-known/oauth-protected-resource', sameOrigin: false },
            {
              source: 'path-suffixed',
              url: 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp',
              sameOrigin: true,
              status: 200,
              document: { authorization_servers: ['https://a.example'] },
            },
          ];
        }),
      errors: server('crossOriginMetadata', 'resourceMissing'),
    },
  ],
});

ruleTester.run('auth/challenge-without-scope', {
  valid: [{ ...good, docExample: 'good' }],
  invalid: [
    {
      name: 'a challenge without scope',
      docExample: 'bad',
      facts: () =>
        httpInventory((f) => (f.challenge = { status: 401, header: 'Bearer resource_metadata="x"', scheme: 'Bearer', params: { resource_metadata: 'x' } })),
      errors: server('noScope'),
    },
  ],
});

ruleTester.run('auth/broad-scopes', {
  valid: [{ ...good, docExample: 'good' }],
  invalid: [
    {
      name: 'wildcard and omnibus scopes and a catalogue-sized challenge',
      docExample: 'bad',
      facts: () =>
        httpInventory((f) => {
          const scopes = ['*', 'admin', 'mcp:tools', 'repo:*'];
          documents(f, (d) => ({ ...d, scopes_supported: scopes }));
          f.challenge!.params.scope = scopes.join(' ');
        }),
      errors: server('broadScope', 'broadScope', 'broadScope', 'wholeCatalogueChallenge'),
    },
    {
      name: 'a scopes_supported list over the threshold',
      facts: () => httpInventory((f) => documents(f, (d) => ({ ...d, scopes_supported: Array.from({ length: 25 }, (_, i) => `s${i}`) }))),
      errors: server('tooManyScopes'),
    },
  ],
});

ruleTester.run('auth/insecure-remote-url', {
  valid: [
    ...['http://localhost:3000/mcp', 'http://[::1]:3000/mcp', 'https://mcp.example.com/mcp'].map((url) => ({
      name: `${url} (loopback or https)`,
      docExample: url.startsWith('https') ? ('good' as const) : undefined,
      facts: () => httpInventory((f) => (f.url = url)),
    })),
    {
      name: 'authorization servers on loopback addresses (a local identity provider) over plain http',
      facts: () =>
        httpInventory((f) =>
          documents(f, (d) => ({ ...d, authorization_servers: ['http://127.0.0.1:9000', 'http://localhost:8080/realms/dev', 'http://[::1]:9001'] })),
        ),
    },
  ],
  invalid: [
    {
      name: 'http:// to a host that is not loopback, and a plain-http authorization server',
      docExample: 'bad',
      facts: () =>
        httpInventory((f) => {
          f.url = 'http://mcp.example.com/mcp';
          f.loopback = false;
          documents(f, (d) => ({ ...d, authorization_servers: ['http://auth.example.com'] }));
        }),
      errors: server('plainHttpAuthorizationServer', 'plainHttpTarget'),
    },
  ],
});

ruleTester.run('auth/weak-session-id', {
  valid: [{ ...good, docExample: 'good' }],
  invalid: (
    [
      [['session-1', 'session-2', 'session-3'], ['sequential']],
      [['1764000000001', '1764000000350', '1764000000900'], ['sequential']],
      [['sess_1764000000001', 'sess_1764000003002', 'sess_1764000009003'], ['timestampLike']],
      [['k3j2h1', 'a9b8c7', 'z1y2x3'], ['tooShort']],
      [['same-id-for-everyone-000', 'same-id-for-everyone-000'], ['repeated']],
      [['id with space 0123456789', 'id with space 9876543210'], ['invalidCharacters']],
      [['sess-fixed-prefix-a', 'sess-fixed-prefix-b', 'sess-fixed-prefix-c'], ['lowEntropy']],
    ] as Array<[string[], string[]]>
  ).map(([ids, messageIds], index) => ({
    name: `session ids ${JSON.stringify(ids)}`,
    docExample: index === 0 ? ('bad' as const) : undefined,
    facts: () => httpInventory((f) => (f.sessions = { ids, requested: ids.length })),
    errors: server(...messageIds),
  })),
});

ruleTester.run('transport/missing-origin-validation', {
  valid: [
    { ...good, docExample: 'good' },
    { name: 'a 403 without access', facts: () => httpInventory((f) => ((f.access = false), (f.baseline = exchange(401)))) },
    { name: 'a 400 before 2025-11-25', facts: () => httpInventory((f) => (f.originHeader!.foreign = exchange(400)), '2025-06-18') },
  ],
  invalid: [
    {
      name: 'a foreign Origin that is served',
      docExample: 'bad',
      facts: () => httpInventory((f) => (f.originHeader!.foreign = exchange(200))),
      errors: server('foreignOriginAccepted'),
    },
    {
      name: 'a foreign Origin served on 2025-06-18',
      facts: () => httpInventory((f) => (f.originHeader!.foreign = exchange(200)), '2025-06-18'),
      errors: server('foreignOriginAccepted'),
    },
    {
      name: 'a refusal with 400 instead of 403 since 2025-11-25',
      facts: () => httpInventory((f) => (f.originHeader!.foreign = exchange(400))),
      errors: server('wrongStatus'),
    },
  ],
});

ruleTester.run('transport/missing-host-validation', {
  valid: [{ ...good, docExample: 'good' }],
  invalid: [
    {
      name: 'a loopback server serving a foreign Host',
      docExample: 'bad',
      facts: () => httpInventory((f) => (f.hostHeader!.foreign = exchange(200))),
      errors: server('foreignHostAccepted'),
    },
    {
      name: 'a private address serving a foreign Host',
      facts: () => httpInventory((f) => ((f.url = 'http://192.168.1.20:3000/mcp'), (f.loopback = false), (f.hostHeader!.foreign = exchange(200)))),
      errors: server('foreignHostAccepted'),
    },
  ],
});

const preflight = (headers: Record<string, string>) => (f: HttpFacts) =>
  (f.cors!.preflight = exchange(204, { method: 'OPTIONS', headers, jsonrpc: undefined as never }));
ruleTester.run('transport/permissive-cors', {
  valid: [
    { ...good, docExample: 'good' },
    { name: 'an allow-list of other origins', facts: () => httpInventory(preflight({ 'access-control-allow-origin': 'https://app.example.com' })) },
  ],
  invalid: [
    ...(
      [
        [{ 'access-control-allow-origin': '*' }, 'wildcard'],
        [{ 'access-control-allow-origin': 'http://evil.example' }, 'reflected'],
        [{ 'access-control-allow-origin': 'http://evil.example', 'access-control-allow-credentials': 'true' }, 'reflectedWithCredentials'],
        [{ 'access-control-allow-origin': 'null' }, 'nullOrigin'],
      ] as Array<[Record<string, string>, string]>
    ).map(([headers, messageId], index) => ({
      name: `a preflight answering ${JSON.stringify(headers)}`,
      docExample: index === 0 ? ('bad' as const) : undefined,
      facts: () => httpInventory(preflight(headers)),
      errors: server(messageId),
    })),
    {
      name: 'a wildcard on the POST answer',
      facts: () => httpInventory((f) => (f.originHeader!.foreign = exchange(200, { headers: { 'access-control-allow-origin': '*' } }))),
      errors: server('wildcard'),
    },
  ],
});

ruleTester.run('transport/protocol-version-header', {
  valid: [{ ...good, docExample: 'good' }],
  invalid: [
    {
      name: 'an invalid version that is served',
      docExample: 'bad',
      facts: () => httpInventory((f) => (f.protocolVersionHeader!.response = exchange(200))),
      errors: server('invalidVersionAccepted'),
    },
  ],
});

ruleTester.run('transport/get-not-sse-or-405', {
  valid: [{ name: 'GET answered 405', docExample: 'good', facts: () => httpInventory((f) => (f.get = exchange(405, { method: 'GET' }))) }],
  invalid: [
    {
      name: 'GET answered with JSON',
      docExample: 'bad',
      facts: () => httpInventory((f) => (f.get = exchange(200, { method: 'GET', headers: { 'content-type': 'application/json' } }))),
      errors: server('wrongAnswer'),
    },
    { name: 'GET answered 400 in a session', facts: () => httpInventory((f) => (f.get = exchange(400, { method: 'GET' }))), errors: server('wrongAnswer') },
  ],
});

const https = (tls: NonNullable<HttpFacts['tls']>) => (f: HttpFacts) => {
  f.scheme = 'https';
  f.url = 'https://127.0.0.1:3443/mcp';
  f.tls = tls;
};
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toUTCString();
const verified = () =>
  httpInventory(https({ authorized: true, protocol: 'TLSv1.3', legacyProtocolsAccepted: [], customCa: false, certificate: { validTo: inDays(90) } }));

ruleTester.run('transport/tls-certificate', {
  valid: [{ name: 'a verified certificate valid for 90 days', docExample: 'good', facts: verified }],
  invalid: [
    {
      name: 'a self-signed certificate',
      docExample: 'bad',
      facts: () => httpInventory(https({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', legacyProtocolsAccepted: [], customCa: false })),
      errors: server('notTrusted'),
    },
    {
      name: 'a handshake that failed',
      facts: () => httpInventory(https({ authorized: false, error: 'ECONNRESET during the TLS handshake', legacyProtocolsAccepted: [], customCa: false })),
      errors: server('handshakeFailed'),
    },
    {
      name: 'a certificate that expires in 3 days',
      facts: () =>
        httpInventory(https({ authorized: true, protocol: 'TLSv1.3', legacyProtocolsAccepted: [], customCa: true, certificate: { validTo: inDays(3) } })),
      errors: server('expiresSoon'),
    },
  ],
});

ruleTester.run('transport/tls-version', {
  valid: [{ name: 'TLS 1.3 only', docExample: 'good', facts: verified }],
  invalid: [
    {
      name: 'TLS 1.1 negotiated and TLS 1.0 accepted',
      docExample: 'bad',
      facts: () => httpInventory(https({ authorized: true, protocol: 'TLSv1.1', legacyProtocolsAccepted: ['TLSv1'], customCa: false })),
      errors: server('oldAccepted', 'oldNegotiated'),
    },
  ],
});

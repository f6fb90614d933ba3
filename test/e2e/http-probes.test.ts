// HTTP surface probes end to end: the built CLI against real servers on 127.0.0.1 (the fixtures in
// fixtures/servers/ and @modelcontextprotocol/server-everything in Streamable HTTP mode).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintFixtureToken } from '../../fixtures/servers/lib/http-surface-server.mjs';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startHttpFixture, type HttpFixture } from '../helpers/fixtures.js';
import { withEverythingOverHttp } from '../helpers/server-everything.js';

interface Report {
  targets: Array<{
    target: { name: string };
    findings: Array<{ ruleId: string; messageId: string; level: string; message: string }>;
    outcomes: Array<{ ruleId: string; status: string; reason?: string }>;
    inventory?: { facts: string[]; http?: { durationMs: number; access: boolean } };
  }>;
}

const HTTP_RULE = /^(auth|transport)\//;

async function scan(url: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const out = join(mkdtempSync(join(tmpdir(), 'preflight-http-')), 'report.json');
  const result = await runCli(['check', '--url', url, '--format', 'json', '--output', out, ...extra], { env });
  const report = result.code === 0 || result.code === 1 ? (JSON.parse(readFileSync(out, 'utf8')) as Report) : undefined;
  const target = report?.targets[0];
  const httpFindings = (target?.findings ?? []).filter((finding) => HTTP_RULE.test(finding.ruleId));
  return { result, target, httpFindings, rules: [...new Set(httpFindings.map((finding) => finding.ruleId))].sort() };
}

async function tokenFor(url: string) {
  return { TOKEN: await mintFixtureToken({ audience: url }) };
}

describe('http-good-server.mjs (the HTTP surface done right)', () => {
  let server: HttpFixture;
  beforeAll(async () => {
    server = await startHttpFixture('http-good-server.mjs');
  });
  afterAll(() => server.stop());

  it('passes clean in an authenticated scan, and every rule that needs access runs', async () => {
    const { result, target, httpFindings } = await scan(server.url, ['--bearer-env', 'TOKEN'], await tokenFor(server.url));
    expect(httpFindings).toEqual([]);
    expect(result.code).toBe(0);
    expect(target?.inventory?.facts).toContain('http');
    expect(target?.inventory?.http?.access).toBe(true);
    const outcomes = Object.fromEntries((target?.outcomes ?? []).filter((o) => HTTP_RULE.test(o.ruleId)).map((o) => [o.ruleId, o.status]));
    for (const id of [
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
    ]) {
      expect(outcomes[id], id).toBe('ran');
    }
    expect(outcomes['transport/tls-certificate']).toBe('skipped');
    // The HTTP probes share the target's budget (the default --timeout, 30 s).
    expect(target?.inventory?.http?.durationMs).toBeLessThan(30_000);
  });

  it('without a token the scan stops with exit 3 and says how to pass one', async () => {
    const { result } = await scan(server.url);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/HTTP 401/);
  });

  it('a token minted for another audience is refused (the fixture checks the audience)', async () => {
    const { result } = await scan(server.url, ['--bearer-env', 'TOKEN'], { TOKEN: await mintFixtureToken({ audience: 'http://127.0.0.1:1/other' }) });
    expect(result.code).toBe(3);
  });
});

describe('http-bad-server.mjs: several misbehaviours per server, each flag caught by its own rule', () => {
  // One server per group, with all of its flags at once, scanned with a token. Within a group every
  // flag sets a different option of the fixture and is caught by a different rule, so each finding
  // is attributable to its flag; the good server above (same authenticated scan) shows none of
  // these rules. Each row: the flag, the rule that catches it, the messageId it shows.
  const groups: Array<Array<[flag: string, ruleId: string, messageId: string]>> = [
    [
      ['--no-challenge-header', 'auth/missing-protected-resource-metadata', 'noChallengeHeader'],
      ['--metadata-wrong-resource', 'auth/resource-metadata-mismatch', 'resourceMismatch'],
      ['--weak-session-ids', 'auth/weak-session-id', 'sequential'],
      ['--accept-foreign-origin', 'transport/missing-origin-validation', 'foreignOriginAccepted'],
      ['--wildcard-cors', 'transport/permissive-cors', 'wildcard'],
    ],
    [
      ['--no-metadata', 'auth/missing-protected-resource-metadata', 'noMetadata'],
      ['--no-scope-in-challenge', 'auth/challenge-without-scope', 'noScope'],
      ['--origin-400', 'transport/missing-origin-validation', 'wrongStatus'],
      ['--reflect-cors', 'transport/permissive-cors', 'reflectedWithCredentials'],
      ['--accept-foreign-host', 'transport/missing-host-validation', 'foreignHostAccepted'],
    ],
    [
      ['--metadata-no-as', 'auth/missing-protected-resource-metadata', 'noAuthorizationServers'],
      ['--broad-scopes', 'auth/broad-scopes', 'broadScope'],
      ['--ignore-protocol-version', 'transport/protocol-version-header', 'invalidVersionAccepted'],
    ],
    [
      ['--metadata-cross-origin', 'auth/resource-metadata-mismatch', 'crossOriginMetadata'],
      ['--get-json', 'transport/get-not-sse-or-405', 'wrongAnswer'],
    ],
  ];
  // --no-auth alone: without a 401 there is no challenge or metadata to judge.
  const noAuth: Array<[flag: string, ruleId: string, messageId: string]> = [['--no-auth', 'auth/unauthenticated-http', 'noCredentials']];
  const targets = [...groups, noAuth].map((rows, index) => ({ name: `bad-${index + 1}`, rows }));

  // All five servers are targets of one `check --config` run: each target its own connection,
  // its own bearer token (config headers, from the environment: what --bearer-env sends) and its
  // own findings in the report.
  const servers = new Map<string, HttpFixture>();
  let result: CliResult;
  let report: Report;
  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = {};
    for (const { name, rows } of targets) {
      const server = await startHttpFixture(
        'http-bad-server.mjs',
        rows.map(([flag]) => flag),
      );
      servers.set(name, server);
      env[`TOKEN_${name.replace('-', '_').toUpperCase()}`] = (await tokenFor(server.url)).TOKEN;
    }
    const dir = mkdtempSync(join(tmpdir(), 'preflight-http-bad-'));
    const config = join(dir, 'mcp-preflight.yaml');
    const entries = targets.map(
      ({ name }) =>
        `  - name: ${name}\n    url: ${servers.get(name)!.url}\n    headers:\n      Authorization: Bearer \${TOKEN_${name.replace('-', '_').toUpperCase()}}\n`,
    );
    writeFileSync(config, `version: 1\nconcurrency: ${targets.length}\ntargets:\n${entries.join('')}`);
    const out = join(dir, 'report.json');
    result = await runCli(['check', '--config', config, '--format', 'json', '--output', out], { env });
    report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  });
  afterAll(async () => {
    for (const server of servers.values()) await server.stop();
  });

  function httpFindingsOf(name: string) {
    const target = report.targets.find((entry) => entry.target.name === name);
    expect(target, name).toBeDefined();
    expect(target?.inventory?.http?.access, name).toBe(true);
    return target!.findings.filter((finding) => HTTP_RULE.test(finding.ruleId));
  }

  it.each(targets.map(({ name, rows }) => [rows.map(([flag, ruleId]) => `${flag} → ${ruleId}`).join(', '), name, rows] as const))(
    '%s',
    (_title, name, rows) => {
      const httpFindings = httpFindingsOf(name);
      // No rule fires but the group's own, and each flag's rule shows that flag's messageId.
      expect([...new Set(httpFindings.map((finding) => finding.ruleId))].sort()).toEqual(rows.map(([, ruleId]) => ruleId).sort());
      for (const [flag, ruleId, messageId] of rows) {
        expect(
          httpFindings.filter((finding) => finding.ruleId === ruleId).map((finding) => finding.messageId),
          flag,
        ).toContain(messageId);
      }
    },
  );

  it('the exit code is the gate over every target: 1 when an HTTP finding is an error, else 0', () => {
    expect(report.targets).toHaveLength(targets.length);
    const error = targets.some(({ name }) => httpFindingsOf(name).some((finding) => finding.level === 'error'));
    expect(result.code).toBe(error ? 1 : 0);
  });

  it('--auth-none with a reason skips auth/unauthenticated-http and the report says why', async () => {
    const server = servers.get(`bad-${targets.length}`)!;
    const { result, target, rules } = await scan(server.url, ['--auth-none', 'loopback only, inside the CI job']);
    expect(rules).toEqual([]);
    expect(result.code).toBe(0);
    expect(target?.outcomes.find((o) => o.ruleId === 'auth/unauthenticated-http')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('loopback only, inside the CI job'),
    });
  });
});

describe('https-self-signed.mjs', () => {
  it('is refused without --ca (exit 3, says how to trust it), passes with --ca and a token', async () => {
    const caFile = join(mkdtempSync(join(tmpdir(), 'preflight-ca-')), 'ca.pem');
    const server = await startHttpFixture('https-self-signed.mjs', ['--cert-out', caFile]);
    try {
      const refused = await scan(server.url);
      expect(refused.result.code).toBe(3);
      expect(refused.result.stderr).toMatch(/self-signed.*--ca FILE/);
      const { result, target, httpFindings } = await scan(server.url, ['--ca', caFile, '--bearer-env', 'TOKEN'], await tokenFor(server.url));
      expect(httpFindings).toEqual([]);
      expect(result.code).toBe(0);
      expect(target?.outcomes.filter((o) => o.ruleId.startsWith('transport/tls-'))).toEqual([
        { ruleId: 'transport/tls-certificate', status: 'ran', findings: 0 },
        { ruleId: 'transport/tls-version', status: 'ran', findings: 0 },
      ]);
    } finally {
      await server.stop();
    }
  });

  it('catches TLS 1.0/1.1 still accepted and a certificate about to expire', async () => {
    const caFile = join(mkdtempSync(join(tmpdir(), 'preflight-ca-')), 'ca.pem');
    const server = await startHttpFixture('https-self-signed.mjs', ['--cert-out', caFile, '--legacy-tls', '--days', '3']);
    try {
      const { httpFindings } = await scan(server.url, ['--ca', caFile, '--bearer-env', 'TOKEN'], await tokenFor(server.url));
      expect(httpFindings.map((finding) => `${finding.ruleId} ${finding.messageId}`)).toEqual(
        expect.arrayContaining(['transport/tls-certificate expiresSoon', 'transport/tls-version oldAccepted']),
      );
    } finally {
      await server.stop();
    }
  });
});

describe('@modelcontextprotocol/server-everything (streamableHttp)', () => {
  it('reports its unauthenticated access, its Origin and Host handling and its CORS policy', async () => {
    await withEverythingOverHttp(async (url) => {
      const { result, httpFindings } = await scan(url);
      expect(result.code).toBe(1);
      expect(httpFindings.map((finding) => `${finding.ruleId} ${finding.messageId}`)).toEqual(
        expect.arrayContaining([
          'auth/unauthenticated-http noCredentials',
          'transport/missing-origin-validation foreignOriginAccepted',
          'transport/missing-host-validation foreignHostAccepted',
          'transport/permissive-cors wildcard',
        ]),
      );
    });
  });
});

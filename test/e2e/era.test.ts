// Era fallback (issue 12, Build 5) and the HTTP hostile servers (Build 4 and 9): a failed
// `server/discover` probe never ends a scan that `initialize` could do; a server that never
// answers, trickles, or redirects to another origin ends in exit 3 with its true cause.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { repoRoot, startHttpFixture, waitForExit, type HttpFixture } from '../helpers/fixtures.js';

const node = process.execPath;
const hostile = (name: string) => resolve(repoRoot, 'fixtures', 'hostile', name);
/** startHttpFixture resolves names under fixtures/servers/. */
const hostileHttp = (name: string) => `../hostile/${name}`;

/**
 * The --timeout every case passes, and the bound it must end within: the timeout, plus the CLI's
 * start and the close sequence, which on a loaded 2-core machine take seconds (slack proportional to it).
 */
const TIMEOUT_S = 4;
const BOUND_MS = TIMEOUT_S * 1000 * 3;
/** The budget of scans that must succeed after a fallback: the probe gets a third of it (at most 5 s). */
const SCAN_TIMEOUT = '10';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '');
}

interface Target {
  target: { name: string };
  inventory: {
    server: { era: string; protocolVersion?: string; eraFallback?: { reason: string; reconnected: boolean } };
    tools: unknown[];
  } | null;
  failure: unknown;
  findings: Array<{ ruleId: string; level: string }>;
}

/**
 * Every era-fallback server below is one target of a single `check --config` run (one CLI start
 * for all of them, each target its own connection and its own --timeout budget): the report's
 * inventory of each target is what `discover --format json` prints for it, and the text report on
 * stdout carries each target's notes. `discover` itself is shown on http-server.mjs below.
 */
const stdioModes = ['garbage', 'silent', 'result', 'error'] as const;

describe('era fallback (one check run, one target per server)', () => {
  let http500: HttpFixture;
  let check: CliResult;
  let targets: Map<string, Target>;
  let stateFile: string;
  beforeAll(
    async () => {
      http500 = await startHttpFixture(hostileHttp('http-500-without-session.mjs'));
      const dir = mkdtempSync(join(tmpdir(), 'era-'));
      stateFile = join(dir, 'starts');
      const misanswer = (mode: string, extra = '') => `${node} ${hostile('stdio-discover-misanswer.mjs')} --mode ${mode}${extra}`;
      const entries: Array<[string, string]> = [
        ...stdioModes.map((mode) => [mode, `command: ${JSON.stringify(misanswer(mode))}`] as [string, string]),
        ['exit', `command: ${JSON.stringify(misanswer('exit', ` --state-file ${stateFile}`))}`],
        ['modern', `command: ${JSON.stringify(`${node} ${resolve(repoRoot, 'fixtures/servers/modern-stdio.mjs')}`)}`],
        ['legacy', `command: ${JSON.stringify(`${node} ${resolve(repoRoot, 'fixtures/servers/v2-legacy-stdio.mjs')}`)}`],
        ['http-500', `url: ${http500.url}`],
      ];
      const config = join(dir, 'mcp-preflight.yaml');
      writeFileSync(
        config,
        `version: 1\ntimeout: ${SCAN_TIMEOUT}\nconcurrency: ${entries.length}\ntargets:\n${entries.map(([name, spec]) => `  - name: ${name}\n    ${spec}\n`).join('')}`,
      );
      const out = join(dir, 'report.json');
      check = await runCli(['check', '--config', config, '--format', 'json', '--output', out], { timeoutMs: Number(SCAN_TIMEOUT) * 1000 * 3 });
      const report = JSON.parse(readFileSync(out, 'utf8')) as { targets: Target[] };
      targets = new Map(report.targets.map((target) => [target.target.name, target]));
    },
    Number(SCAN_TIMEOUT) * 1000 * 4,
  );
  afterAll(() => http500?.stop());

  function inventoryOf(name: string) {
    const target = targets.get(name);
    expect(target?.failure, name).toBeNull();
    return target!.inventory!;
  }

  it('every target is scanned, nothing on stderr: the exit code is the gate (1), not a failure (3)', () => {
    expect(check.stderr).toBe('');
    expect([...targets.keys()].sort()).toEqual(['error', 'exit', 'garbage', 'http-500', 'legacy', 'modern', 'result', 'silent']);
    for (const [name, target] of targets) expect(target.failure, name).toBeNull();
    // The stdio servers' only error finding is the garbage line on stdout (the HTTP fixture has its own).
    const stdioErrors = [...targets.values()]
      .filter((target) => target.target.name !== 'http-500')
      .flatMap((target) => target.findings.filter((finding) => finding.level === 'error').map((finding) => `${target.target.name} ${finding.ruleId}`));
    expect(stdioErrors).toEqual(['garbage transport/stdout-pollution']);
    expect(check.code).toBe(1);
  });

  it('a stateful server answering server/discover with HTTP 500 is scanned with initialize, and says so', () => {
    const inventory = inventoryOf('http-500');
    expect(inventory.server.era).toBe('legacy');
    expect(inventory.server.protocolVersion).toBe('2025-11-25');
    expect(inventory.server.eraFallback).toEqual({ reason: 'server/discover was answered HTTP 500; connected again with initialize', reconnected: true });
    expect(inventory.tools).toHaveLength(4);
    expect(check.stdout).toContain('note: legacy era: server/discover was answered HTTP 500; connected again with initialize');
    expect(check.stdout).not.toContain('could not be discovered');
  });

  const cases: Array<{ mode: (typeof stdioModes)[number]; reason: RegExp }> = [
    { mode: 'garbage', reason: /^server\/discover got no answer within \d+(\.\d)? s; used initialize$/ },
    { mode: 'silent', reason: /^server\/discover got no answer within \d+(\.\d)? s; used initialize$/ },
    { mode: 'result', reason: /^server\/discover was answered with a result that is not a valid 2026-07-28 response; used initialize$/ },
    { mode: 'error', reason: /^server\/discover was answered with JSON-RPC error -32603 \(internal error in discover\); used initialize$/ },
  ];
  for (const { mode, reason } of cases) {
    it(`stdio: server/discover answered with ${mode}: legacy era, everything listed, the reason reported`, () => {
      const inventory = inventoryOf(mode);
      expect(inventory.server.era).toBe('legacy');
      expect(inventory.server.eraFallback?.reason).toMatch(reason);
      expect(inventory.server.eraFallback?.reconnected).toBe(false);
      expect(inventory.tools).toHaveLength(4);
    });
  }

  it('stdio: a server that exits on server/discover is started again with initialize, scanned, and says so; no process left', async () => {
    const inventory = inventoryOf('exit');
    expect(inventory.server.era).toBe('legacy');
    expect(inventory.server.eraFallback).toEqual({
      reason: expect.stringMatching(/^the server closed the connection on server\/discover; started it again with initialize$/) as unknown,
      reconnected: true,
    });
    expect(inventory.tools.length).toBeGreaterThan(0);
    const pids = [...readFileSync(stateFile, 'utf8').matchAll(/START (\d+)/g)].map((match) => Number(match[1]));
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await waitForExit(pid, 2_000)).toBe(true);
  });

  it('stdio: the hot path is unchanged: a dual-era server is modern and a legacy one says why, without a second connection', () => {
    const modern = inventoryOf('modern');
    expect(modern.server.era).toBe('modern');
    expect(modern.server.eraFallback).toBeUndefined();
    expect(inventoryOf('legacy').server.eraFallback).toEqual({
      reason: 'server/discover was answered with JSON-RPC error -32601 (Method not found); used initialize',
      reconnected: false,
    });
  });
});

describe('era fallback with discover', () => {
  it('a stateful server answering 400 before a session is legacy without a second connection', async () => {
    const fixture = await startHttpFixture('http-server.mjs');
    try {
      const result = await runCli(['discover', '--url', fixture.url, '--format', 'json', '--timeout', SCAN_TIMEOUT]);
      expect(result.code, result.stderr).toBe(0);
      const inventory = JSON.parse(result.stdout) as { server: { eraFallback?: { reason: string; reconnected: boolean } } };
      expect(inventory.server.eraFallback).toEqual({ reason: 'server/discover was answered HTTP 400; used initialize', reconnected: false });
    } finally {
      await fixture.stop();
    }
  });
});

describe('hostile HTTP servers: exit 3, within the timeout, one line with the true cause', () => {
  // The three servers are the targets of one `check --config` run (each its own connection and
  // --timeout budget, scanned at once): the run ends in exit 3 within the bound of one target, and
  // stderr holds exactly one line per target ("mcp-preflight: target <name>: …"), its true cause.
  const stalls: Array<{ name: string; cause: (url: string) => RegExp }> = [
    {
      name: 'http-never-answers.mjs',
      cause: (url) => new RegExp(`no HTTP response from ${escape(url)} \\(the connection was accepted\\) within ${TIMEOUT_S} s \\(during connect\\)`),
    },
    {
      name: 'http-trickle.mjs',
      cause: (url) =>
        new RegExp(
          `no complete answer from ${escape(url)} \\(HTTP 200, then \\d+ bytes? of a body that never ended\\) within ${TIMEOUT_S} s \\(during connect\\)`,
        ),
    },
  ];
  const fixtures = new Map<string, HttpFixture>();
  const record = join(mkdtempSync(join(tmpdir(), 'era-canary-')), 'hits');
  let result: CliResult;
  beforeAll(async () => {
    for (const { name } of stalls) fixtures.set(name, await startHttpFixture(hostileHttp(name)));
    fixtures.set('redirect', await startHttpFixture(hostileHttp('http-redirect-with-canary.mjs'), ['--record', record]));
    const config = join(mkdtempSync(join(tmpdir(), 'era-hostile-')), 'mcp-preflight.yaml');
    const entries = [...fixtures].map(([name, fixture]) => `  - name: ${name.replace(/\.mjs$/, '')}\n    url: ${fixture.url}\n`);
    writeFileSync(config, `version: 1\ntimeout: ${TIMEOUT_S}\nconcurrency: ${fixtures.size}\ntargets:\n${entries.join('')}`);
    result = await runCli(['check', '--config', config], { timeoutMs: BOUND_MS * 3 });
  });
  afterAll(async () => {
    for (const fixture of fixtures.values()) await fixture.stop();
  });

  /** The stderr lines of one target. */
  const linesOf = (name: string) => stderrLines(result.stderr).filter((line) => line.startsWith(`mcp-preflight: target ${name.replace(/\.mjs$/, '')}: `));

  it('exit 3 within the timeout, and nothing on stderr but one line per target', () => {
    expect(result.code).toBe(3);
    expect(result.durationMs).toBeLessThan(BOUND_MS);
    expect(stderrLines(result.stderr)).toHaveLength(fixtures.size);
    for (const name of fixtures.keys()) expect(linesOf(name), name).toHaveLength(1);
  });

  for (const { name, cause } of stalls) {
    it(`${name}: the stall named, within the timeout, after the initialize fallback too`, () => {
      const [line] = linesOf(name);
      expect(line).toMatch(cause(fixtures.get(name)!.url));
      expect(line).not.toMatch(/probe timed out/);
    });
  }

  it('a 307 to another loopback port: not followed, named, and the canary there gets no request', () => {
    const [line] = linesOf('redirect');
    expect(line).toMatch(/ redirected to http:\/\/127\.0\.0\.1:\d+ \(another origin\); not followed/);
    expect(line).not.toContain(new URL(fixtures.get('redirect')!.url).origin + ' (another origin)');
    expect(existsSync(record)).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';
import { LOG_DB_PASSWORD, LOG_GITHUB_TOKEN } from '../../fixtures/servers/lib/log-secrets.mjs';

/**
 * secrets/hardcoded-secret and secrets/env-not-marked-secret end to end: the built CLI over a copy
 * of fixtures/projects/secrets-{bad,good} in a temp directory (a git checkout, so `.env` counts as
 * committed and the rule's default ignorePaths, which skip **\/fixtures/**, do not hide the copy).
 */

const projects = resolve(repoRoot, 'fixtures', 'projects');
const HARDCODED = 'secrets/hardcoded-secret';
const ENV = 'secrets/env-not-marked-secret';

function copyProject(name: string, git = true): string {
  const directory = mkdtempSync(join(tmpdir(), `preflight-${name}-`));
  cpSync(join(projects, name), directory, { recursive: true });
  if (git) execFileSync('git', ['init', '-q'], { cwd: directory });
  return directory;
}

/** 1-based line of the first line of `file` containing `needle`. */
function lineOf(file: string, needle: string): number {
  const line =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((text) => text.includes(needle)) + 1;
  expect(line, `${needle} in ${file}`).toBeGreaterThan(0);
  return line;
}

interface JsonFinding {
  ruleId: string;
  level: string;
  messageId: string;
  message: string;
  field?: string;
  data: Record<string, string | number>;
  location?: { file: string; line: number; column: number; endLine?: number; endColumn?: number };
}
interface SarifResult {
  ruleId: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } } }>;
}

interface Run {
  result: CliResult;
  json: { targets: Array<{ findings: JsonFinding[]; outcomes: Array<{ ruleId: string; status: string }> }> };
  sarifText: string;
  jsonText: string;
  results: SarifResult[];
}

async function check(args: string[], cwd?: string): Promise<Run> {
  const out = mkdtempSync(join(tmpdir(), 'preflight-secrets-out-'));
  const sarifFile = join(out, 'report.sarif');
  const jsonFile = join(out, 'report.json');
  const result = await runCli(['check', ...args, '--format', 'text,sarif,json', '--output', `-,${sarifFile},${jsonFile}`], {
    ...(cwd ? { cwd } : {}),
    timeoutMs: 60_000,
  });
  const sarifText = readFileSync(sarifFile, 'utf8');
  const jsonText = readFileSync(jsonFile, 'utf8');
  const sarif = JSON.parse(sarifText);
  expect(validateSarifSchema(sarif)).toEqual([]);
  assertGithubContract(sarif);
  return { result, json: JSON.parse(jsonText), sarifText, jsonText, results: sarif.runs[0].results };
}

const placed = (run: Run, ruleId: string) =>
  run.results
    .filter((r) => r.ruleId === ruleId)
    .map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region?.startLine}`)
    .sort();

describe('committed secrets, end to end (check --source / --repo)', () => {
  let bad: string;
  let badRun: Run;
  beforeAll(async () => {
    bad = copyProject('secrets-bad');
    badRun = await check(['--source', bad, '--sarif-root', bad]);
  }, 90_000);

  it('reports each planted secret on its file and line, and nothing for the example key, placeholders or tests', () => {
    expect(badRun.result.code).toBe(1);
    const server = join(bad, 'src', 'server.ts');
    expect(placed(badRun, HARDCODED)).toEqual(
      [
        `src/server.ts:${lineOf(server, "'AKIAUJZ")}`,
        `src/server.ts:${lineOf(server, "'ghp_JBd0")}`,
        `src/server.ts:${lineOf(server, "'eyJhbGci")}`,
        `src/server.ts:${lineOf(server, 'const API_KEY = "')}`,
        'keys/deploy.pem:1',
        `docs/setup.md:${lineOf(join(bad, 'docs', 'setup.md'), 'STAGING_API_KEY=')}`,
        '.env:1',
      ].sort(),
    );
    const findings = badRun.json.targets[0]!.findings.filter((f) => f.ruleId === HARDCODED);
    expect(findings.every((f) => f.level === 'error')).toBe(true);
    const awsLine = lineOf(server, "'AKIAUJZ");
    const aws = findings.find((f) => f.location?.file === server && f.location.line === awsLine);
    expect(aws?.location?.column).toBe(readFileSync(server, 'utf8').split('\n')[awsLine - 1]!.indexOf('AKIAUJZ') + 1);
    expect(aws?.message).toContain('aws-access-key-id (AKIA****2EPF)');
    expect(findings.find((f) => f.message.includes('API_KEY'))?.messageId).toBe('secretAssigned');
  });

  it('reports server.json inputs with key-like names lacking isSecret, and the committed .env', () => {
    const manifest = join(bad, 'server.json');
    expect(placed(badRun, ENV)).toEqual(
      ['.env:1', `server.json:${lineOf(manifest, '"name": "API_KEY"')}`, `server.json:${lineOf(manifest, '"name": "X-Api-Key"')}`].sort(),
    );
    const messages = badRun.json.targets[0]!.findings.filter((f) => f.ruleId === ENV).map((f) => f.message);
    expect(messages.some((m) => m.includes('WEATHER_TOKEN') || m.includes('LOG_LEVEL'))).toBe(false);
  });

  it('never prints a raw secret: not on stdout, stderr, in the JSON (inventory included) or the SARIF', () => {
    // The raw values are read back from the fixture at each reported span (no second copy here).
    const raw = badRun.json.targets[0]!.findings.filter((f) => f.ruleId === HARDCODED).map((f) => {
      const { file, line, column, endLine, endColumn } = f.location as Required<NonNullable<JsonFinding['location']>>;
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .slice(line - 1, endLine);
      const text = lines.length === 1 ? lines[0]!.slice(column - 1, endColumn - 1) : lines[1]!;
      return text.length > 24 ? text.slice(0, 24) : text;
    });
    expect(raw).toHaveLength(7);
    expect(raw.filter((value) => /^AKIA[A-Z0-9]{16}$/.test(value))).toHaveLength(1);
    const everything = [badRun.result.stdout, badRun.result.stderr, badRun.jsonText, badRun.sarifText].join('\n');
    expect(everything).toContain('AKIA****2EPF');
    for (const secret of raw) expect(everything).not.toContain(secret);
  });

  it('drops what the config allows (with a reason), and rejects an entry without one (exit 2, one line)', async () => {
    const config = join(bad, 'mcp-preflight.yaml');
    writeFileSync(
      config,
      'secrets:\n  allow:\n    - path: "docs/**"\n      reason: shared read-only staging key, rate-limited\n    - value: "ghp_****lgLK"\n      reason: revoked; kept until the history rewrite\n',
    );
    const allowed = await check(['--config', config, '--source', bad, '--sarif-root', bad]);
    expect(
      placed(allowed, HARDCODED).filter((p) => p.startsWith('docs/') || p === `src/server.ts:${lineOf(join(bad, 'src', 'server.ts'), "'ghp_JBd0")}`),
    ).toEqual([]);
    expect(placed(allowed, HARDCODED)).toHaveLength(5);

    writeFileSync(config, 'secrets:\n  allow:\n    - path: "docs/**"\n');
    const broken = await runCli(['check', '--config', config, '--source', bad]);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/mcp-preflight\.yaml:3:\d+: .*reason/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);

  it('passes the clean project: both rules ran and found nothing', async () => {
    const good = copyProject('secrets-good');
    const run = await check(['--source', good, '--sarif-root', good]);
    const outcomes = run.json.targets[0]!.outcomes.filter((o) => o.ruleId === HARDCODED || o.ruleId === ENV);
    expect(outcomes).toEqual([
      { ruleId: ENV, status: 'ran', findings: 0 },
      { ruleId: HARDCODED, status: 'ran', findings: 0 },
    ]);
  }, 60_000);

  it('also scans a --source root that lies outside the --repo repository', async () => {
    const good = copyProject('secrets-good');
    const run = await check(['--source', bad, '--repo', good, '--sarif-root', good]);
    const files = run.json.targets[0]!.findings.filter((f) => f.ruleId === HARDCODED).map((f) => f.location!.file);
    expect(files.filter((file) => file === join(bad, 'src', 'server.ts'))).toHaveLength(4);
    expect(files.some((file) => file.startsWith(good) || file.includes(`${join(bad, 'test')}/`))).toBe(false);
  }, 60_000);

  it('judges the repository named with --repo beside a live target, and skips the rules without it', async () => {
    const server = `${process.execPath} ${fixturePath('clean-stdio.mjs')}`;
    const withRepo = await check(['--stdio', server, '--repo', bad, '--sarif-root', bad]);
    expect(placed(withRepo, HARDCODED)).toEqual(placed(badRun, HARDCODED));
    const without = await check(['--stdio', server]);
    expect(without.json.targets[0]!.outcomes.find((o) => o.ruleId === HARDCODED)?.status).toBe('skipped');
  }, 60_000);
});

describe('secrets in log notifications received during the scan (check --stdio)', () => {
  it('reports each leaking notification, masked in every output', async () => {
    const run = await check(['--stdio', `${process.execPath} ${fixturePath('log-secret-stdio.mjs')}`]);
    expect(run.result.code).toBe(1);
    const leaks = run.json.targets[0]!.findings.filter((f) => f.ruleId === 'secrets/secret-in-model-visible-text');
    expect(leaks.map((f) => `${f.field} ${f.data.kind}`).sort()).toEqual(['logNotifications.data github-token', 'logNotifications.data url-password']);
    expect(
      run.results.filter((r) => r.ruleId === 'secrets/secret-in-model-visible-text').map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri),
    ).toEqual(['fixtures/servers/log-secret-stdio.mjs', 'fixtures/servers/log-secret-stdio.mjs']);
    const everything = [run.result.stdout, run.result.stderr, run.jsonText, run.sarifText].join('\n');
    expect(everything).toContain(`ghp_****${LOG_GITHUB_TOKEN.slice(-4)}`);
    for (const secret of [LOG_GITHUB_TOKEN, LOG_DB_PASSWORD, LOG_GITHUB_TOKEN.slice(4, 20)]) expect(everything).not.toContain(secret);
  }, 60_000);
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath, startHttpFixture, type HttpFixture } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';

const CONFIG = 'fixtures/configs/three-targets.yaml';
const TARGETS = ['clean', 'internal-admin', 'remote'];

/**
 * The fan-out a CI matrix does: `targets` lists the config's targets, one `check --target` per job,
 * then `merge --gate` in one job. It must give the same SARIF runs and the same verdict as a single
 * run over the same targets.
 */
describe('targets and merge over a three-target config', () => {
  let http: HttpFixture;
  let env: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), 'preflight-fanout-'));
  beforeAll(async () => {
    http = await startHttpFixture('http-server.mjs');
    env = { FIXTURE_HTTP_URL: http.url, FIXTURE_TOKEN: 'fixture-token-not-a-secret' };
  });
  afterAll(async () => {
    await http?.stop();
  });

  it('targets lists the names for a GitHub matrix, as JSON, and one per line, with no secrets set', async () => {
    const matrix = await runCli(['targets', '--config', CONFIG, '--format', 'github-matrix'], {
      env: { FIXTURE_HTTP_URL: undefined, FIXTURE_TOKEN: undefined },
    });
    expect(matrix.code).toBe(0);
    expect(JSON.parse(matrix.stdout)).toEqual({
      include: [
        { target: 'clean', kind: 'stdio' },
        { target: 'internal-admin', kind: 'stdio' },
        { target: 'remote', kind: 'http' },
      ],
    });
    expect(matrix.stdout.trim().split('\n')).toHaveLength(1);
    const json = await runCli(['targets', '--config', CONFIG, '--format', 'json']);
    expect(JSON.parse(json.stdout).map((target: { name: string }) => target.name)).toEqual(TARGETS);
    const text = await runCli(['targets', '--config', CONFIG]);
    expect(text.stdout).toBe(`${TARGETS.join('\n')}\n`);
    const none = await runCli(['targets', '--config', 'fixtures/configs/nope.yaml']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
  }, 240_000);

  it('merge --gate agrees with a single run: same runs, same gate line, same exit code', async () => {
    const single = await runCli(['check', '--config', CONFIG, '--format', 'sarif', '--output', join(dir, 'all.sarif'), '--quiet'], { env, timeoutMs: 120_000 });
    expect(single.stderr).toBe('');
    expect(single.code).toBe(1);
    const jobs = await Promise.all(
      TARGETS.map((name) =>
        runCli(['check', '--config', CONFIG, '--target', name, '--format', 'sarif', '--output', join(dir, `${name}.sarif`), '--quiet'], {
          env,
          timeoutMs: 120_000,
        }),
      ),
    );
    expect(jobs.map((job) => job.code)).toEqual([0, 1, 1]);
    const merged = join(dir, 'merged.sarif');
    const merge = await runCli(['merge', ...TARGETS.map((name) => join(dir, `${name}.sarif`)), '--output', merged, '--gate', '--config', CONFIG], {
      env,
      timeoutMs: 120_000,
    });
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(single.code);
    expect(merge.stdout).toBe(single.stdout);
    const all = JSON.parse(readFileSync(join(dir, 'all.sarif'), 'utf8'));
    const combined = JSON.parse(readFileSync(merged, 'utf8'));
    expect(validateSarifSchema(combined)).toEqual([]);
    assertGithubContract(combined);
    expect(combined.runs.map((run: { automationDetails: { id: string } }) => run.automationDetails.id)).toEqual(
      TARGETS.map((name) => `mcp-preflight/${name}/`),
    );
    expect(combined.runs).toEqual(all.runs);
    // --fail-on overrides the config, and --exit-zero turns only exit 1 into 0.
    const strict = await runCli(['merge', join(dir, 'clean.sarif'), '--gate', '--fail-on', 'note']);
    const lenient = await runCli(['merge', join(dir, 'internal-admin.sarif'), '--gate', '--exit-zero']);
    const cleanOnly = await runCli(['merge', join(dir, 'clean.sarif'), '--gate']);
    expect([cleanOnly.code, lenient.code]).toEqual([0, 0]);
    expect(lenient.stdout).toMatch(/gate failed/);
    expect(strict.code).toBe(JSON.parse(readFileSync(join(dir, 'clean.sarif'), 'utf8')).runs[0].results.length > 0 ? 1 : 0);
  }, 240_000);

  it('targets and merge document their flags, exit codes and examples in --help', async () => {
    for (const [command, flags] of [
      ['targets', ['--config', '--format']],
      ['merge', ['--output', '--gate', '--config', '--fail-on', '--max-warnings', '--exit-zero']],
    ] as const) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      for (const flag of flags) expect(help.stdout).toContain(flag);
      expect(help.stdout).toMatch(/Exit codes: 0 /);
      expect(help.stdout).toContain(`$ mcp-preflight ${command}`);
    }
  });

  it('merge --gate exits 3 when a run could not be scanned, and 2 for a run merged twice or a foreign file', async () => {
    const crashed = join(dir, 'crashed.sarif');
    const failed = await runCli([
      'check',
      '--stdio',
      `${process.execPath} ${fixturePath('crash-stdio.mjs')}`,
      '--format',
      'sarif',
      '--output',
      crashed,
      '--quiet',
    ]);
    expect(failed.code).toBe(3);
    const withFailed = await runCli(['merge', join(dir, 'clean.sarif'), crashed, '--gate', '--exit-zero']);
    expect(withFailed.code).toBe(3);
    expect(withFailed.stdout).toContain('1 target could not be scanned');
    const twice = await runCli(['merge', join(dir, 'clean.sarif'), join(dir, 'clean.sarif')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/run "mcp-preflight\/clean\/" is also in .*clean\.sarif; each target must be merged once/);
    const foreign = join(dir, 'foreign.sarif');
    writeFileSync(foreign, JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'eslint' } }, results: [] }] }));
    const other = await runCli(['merge', foreign]);
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toBe(
      `mcp-preflight: ${foreign}: a run from "eslint"; merge combines mcp-preflight runs only (upload other tools' SARIF separately)`,
    );
    const merged = await runCli(['merge', join(dir, 'clean.sarif')]);
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout).runs).toHaveLength(1);
  }, 240_000);
});

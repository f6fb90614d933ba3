// Process-level hostile servers (fixtures/hostile/): hangs that ignore SIGTERM, a crash after
// initialize, a grandchild that ignores SIGTERM in the server's process group, stdout noise. Each
// test asserts the exit code, a duration bound relative to the --timeout it passes, one clear stderr
// line, and that no process of the server is left in the process table.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

const node = process.execPath;
const hostile = (name: string) => resolve(repoRoot, 'fixtures', 'hostile', name);

/**
 * Upper bound for a scan given `--timeout seconds`: the timeout itself, the close sequence (stdin
 * EOF, SIGTERM, SIGKILL: under 3 s whatever the timeout) and the CLI's start-up (seconds on a loaded
 * 2-core machine), all well under four times a timeout of 3 s.
 */
const TIMEOUT_S = 3;
const bound = (seconds: number) => seconds * 1000 * 4;

/** pid, process group and command line of every process whose command line holds `marker`. */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,pgid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}

/**
 * A SIGKILLed process leaves the table promptly; poll instead of racing the kernel, for as long as
 * the --timeout the test passed (a bound relative to it, not a wall-clock guess).
 */
async function leftBehind(marker: string, waitMs = TIMEOUT_S * 1000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  let found = processesWith(marker);
  while (found.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    found = processesWith(marker);
  }
  return found;
}

function preflightLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('mcp-preflight:'));
}

function check(command: string, ...extra: string[]) {
  return runCli(['check', '--stdio', command, '--timeout', String(TIMEOUT_S), ...extra], { timeoutMs: bound(TIMEOUT_S) * 3 });
}

describe('hostile stdio servers (process level)', () => {
  it('writes stdout noise, then crashes after initialize: exit 3 naming the phase and exit code, with its stderr tail; the failure carries the noise and its finding', async () => {
    // One server, two misbehaviours: --noise 3 (three log lines on stdout before its initialize
    // answer) shows transport/stdout-pollution; the crash on tools/list shows the failure line.
    const marker = `hostile-crash-${randomUUID()}`;
    const result = await check(`${node} ${hostile('crash-after-initialize.mjs')} --noise 3 ${marker}`, '--format', 'json');
    expect(result.code).toBe(3);
    expect(result.durationMs).toBeLessThan(bound(TIMEOUT_S));
    expect(preflightLines(result.stderr)).toEqual([expect.stringMatching(/closed the connection during tools listing \(exit code 1\)/)]);
    expect(result.stderr.split('\n')[0]).toBe(preflightLines(result.stderr)[0]);
    expect(result.stderr).toContain('fatal: lost the database connection');
    const target = JSON.parse(result.stdout).targets[0];
    expect(target.inventory).toBeNull();
    expect(target.failure.stdoutNoise).toEqual({ lines: 3, samples: ['[log] booting step 1', '[log] booting step 2', '[log] booting step 3'] });
    expect(target.findings.map((finding: { ruleId: string; level: string; evidence: string }) => [finding.ruleId, finding.level, finding.evidence])).toEqual([
      ['transport/stdout-pollution', 'error', '[log] booting step 1\n[log] booting step 2\n[log] booting step 3'],
    ]);
    expect(await leftBehind(marker)).toEqual([]);
  });

  it('logs to stdout between valid messages: an error-level live finding with masked evidence, exit 1', async () => {
    const result = await check(`${node} ${hostile('stdout-noise-between-messages.mjs')}`, '--format', 'json');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const findings = JSON.parse(result.stdout).targets[0].findings as Array<{ ruleId: string; level: string; evidence: string }>;
    expect(findings.map((finding) => [finding.ruleId, finding.level])).toEqual([['transport/stdout-pollution', 'error']]);
    expect(findings[0]!.evidence).toMatch(/^\[log\] answered initialize with token=ghp_\*{4}/);
    expect(result.stdout).not.toMatch(/ghp_[A-Za-z0-9]{36}/);
  });

  it('leaves a grandchild that ignores SIGTERM, and answers normally: exit 0, the grandchild is gone', async () => {
    const marker = `hostile-grandchild-${randomUUID()}`;
    const result = await check(`${node} ${hostile('grandchild-ignores-sigterm.mjs')} --marker ${marker}`);
    expect(result.code).toBe(0);
    expect(result.durationMs).toBeLessThan(bound(TIMEOUT_S));
    expect(await leftBehind(marker)).toEqual([]);
  });

  it('hangs on initialize, ignoring SIGTERM and stdin EOF, with a grandchild that ignores SIGTERM too: exit 3 within the bound, one line, the whole group SIGKILLed', async () => {
    // The marker is on the command lines of both the server and its grandchild.
    const marker = `hostile-grandchild-hang-${randomUUID()}`;
    const result = await check(`${node} ${hostile('grandchild-ignores-sigterm.mjs')} --hang --marker ${marker}`);
    expect(result.code).toBe(3);
    expect(result.durationMs).toBeLessThan(bound(TIMEOUT_S));
    expect(preflightLines(result.stderr)).toEqual([expect.stringMatching(new RegExp(`no answer from .* within ${TIMEOUT_S} s \\(during connect\\)`))]);
    expect(result.stderr.split('\n')[0]).toMatch(/^mcp-preflight: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/GRANDCHILD_PID \d+/);
    expect(await leftBehind(marker)).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath, isAlive, waitForExit } from '../helpers/fixtures.js';

const node = process.execPath;

/** Command lines of every process on the machine (to prove a marked server did not survive). */
function processCommandLines(): string {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
}

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('mcp-preflight:'));
}

describe('a server that cannot be scanned', () => {
  it('a server that never answers and forks a child: exit 3 within the timeout, one clear line, the whole process group gone', async () => {
    // The server (marked on its command line; the fixture ignores its arguments) reports its
    // child's pid as CHILD_PID on stderr, then never answers.
    const marker = `hang-${randomUUID()}`;
    const timeoutMs = 2_000;
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('fork-hang-stdio.mjs')} ${marker}`, '--timeout', String(timeoutMs / 1000)], {
      timeoutMs: timeoutMs * 10,
    });
    expect(result.code).toBe(3);
    // The timeout, plus start and exit of the CLI (seconds on a loaded machine): well under the 10 × of a hang.
    expect(result.durationMs).toBeLessThan(timeoutMs * 5);
    expect(stderrLines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/no answer from .* within 2 s/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(processCommandLines()).not.toContain(marker);
    const childPid = Number(/CHILD_PID (\d+)/.exec(result.stderr)?.[1]);
    expect(childPid).toBeGreaterThan(0);
    expect(await waitForExit(childPid, 2_000)).toBe(true);
    expect(isAlive(childPid)).toBe(false);
  });

  it('a server started through sh -c that leaves a grandchild: nothing survives', async () => {
    const marker = `grandchild-${randomUUID()}`;
    const script = `${node} -e 'setInterval(()=>{},1e9) // ${marker}' & ${node} -e 'setInterval(()=>{},1e9)'`;
    const result = await runCli(['check', '--stdio', `sh -c "${script}"`, '--timeout', '2'], { timeoutMs: 15_000 });
    expect(result.code).toBe(3);
    expect(processCommandLines()).not.toContain(marker);
  });

  it('a server that crashes at start: exit 3 with its stderr tail', async () => {
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('crash-stdio.mjs')}`]);
    expect(result.code).toBe(3);
    expect(stderrLines(result.stderr)[0]).toMatch(/closed the connection during connect \(exit code 1\)/);
    expect(result.stderr).toContain('fatal: missing DATABASE_URL');
  });

  it('a command that does not exist: exit 3 naming it', async () => {
    const result = await runCli(['check', '--stdio', 'definitely-not-a-command-xyz --flag']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('command not found: "definitely-not-a-command-xyz"');
  });

  it('nothing listening: exit 3 saying the connection was refused, and still SARIF, with the run marked unsuccessful', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const out = join(mkdtempSync(join(tmpdir(), 'preflight-')), 'fail.sarif');
    const result = await runCli(['check', '--url', 'http://127.0.0.1:1/mcp', '--format', 'sarif', '--output', out]);
    expect(result.code).toBe(3);
    expect(stderrLines(result.stderr)).toEqual([expect.stringMatching(/connection refused at http:\/\/127\.0\.0\.1:1\/mcp/)]);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
  });
});

describe('usage errors exit 2 with one line', () => {
  it.each([
    [['check'], /no target/],
    [['check', '--stdio', 'node x.js', '--url', 'http://127.0.0.1:9/mcp'], /either --stdio or --url/],
    [['check', '--url', 'ftp://example.test/'], /only http and https/],
    [['check', '--stdio', 'node x.js', '--rule', 'schema/open-input-schemas=off'], /did you mean "schema\/open-input-schema"/],
    [['check', '--stdio', 'node x.js', '--format', 'xml'], /unknown format/],
    [['check', '--stdio', 'node x.js', '--timeout', 'soon'], /--timeout must be/],
    [['check', '--stdio', 'node x.js', '--max-warnings', '-1'], /--max-warnings/],
    [['check', '--no-such-flag'], /unknown option/],
  ])('%j', async (args, pattern) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a reader that closes the pipe early (`check … | head`)', () => {
  it('keeps the verdict as the exit code and prints no stack trace', async () => {
    const { spawnSync } = await import('node:child_process');
    const { cliPath } = await import('../helpers/cli.js');
    // A real pipe into `head`, which exits after 100 bytes of a report far larger than the pipe's
    // buffer; bash prints the CLI's own exit status, the CLI's stderr is ours.
    const run = spawnSync(
      'bash',
      ['-c', '"$0" "$1" check --stdio "$0 $2" --format json | head -c 100 >/dev/null; echo "${PIPESTATUS[0]}"', node, cliPath, fixturePath('bad-stdio.mjs')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(run.stdout.trim()).toBe('1');
  });
});

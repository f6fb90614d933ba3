import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
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
  // The four stdio servers below are the targets of one `check --config` run (--timeout 2 each,
  // scanned at once): the run exits 3, and stderr holds one "mcp-preflight: target <name>: …" line
  // per target, followed by that server's stderr tail, if any.
  const timeoutMs = 2_000;
  const hangMarker = `hang-${randomUUID()}`;
  const grandchildMarker = `grandchild-${randomUUID()}`;
  const servers: Record<string, string> = {
    // Marked on its command line (the fixture ignores its arguments); it reports its child's pid
    // as CHILD_PID on stderr, then never answers.
    hang: `${node} ${fixturePath('fork-hang-stdio.mjs')} ${hangMarker}`,
    grandchild: `sh -c "${node} -e 'setInterval(()=>{},1e9) // ${grandchildMarker}' & ${node} -e 'setInterval(()=>{},1e9)'"`,
    crash: `${node} ${fixturePath('crash-stdio.mjs')}`,
    missing: 'definitely-not-a-command-xyz --flag',
  };
  let result: CliResult;
  beforeAll(async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'preflight-failures-')), 'mcp-preflight.yaml');
    const entries = Object.entries(servers).map(([name, command]) => `  - name: ${name}\n    command: ${JSON.stringify(command)}\n`);
    writeFileSync(config, `version: 1\ntimeout: ${timeoutMs / 1000}\nconcurrency: ${entries.length}\ntargets:\n${entries.join('')}`);
    result = await runCli(['check', '--config', config], { timeoutMs: timeoutMs * 10 });
  });

  /** A target's stderr: its one mcp-preflight line, then the lines up to the next target's. */
  function blockOf(name: string): { line: string; text: string } {
    const lines = result.stderr.split('\n');
    const start = lines.findIndex((line) => line.startsWith(`mcp-preflight: target ${name}: `));
    expect(start, name).toBeGreaterThanOrEqual(0);
    const end = lines.findIndex((line, index) => index > start && line.startsWith('mcp-preflight:'));
    return { line: lines[start]!, text: lines.slice(start, end === -1 ? undefined : end).join('\n') };
  }

  it('exit 3 within the timeout, one clear line per server, no stack trace', () => {
    expect(result.code).toBe(3);
    // The timeout, plus start and exit of the CLI (seconds on a loaded machine): well under the 10 × of a hang.
    expect(result.durationMs).toBeLessThan(timeoutMs * 5);
    expect(stderrLines(result.stderr)).toHaveLength(Object.keys(servers).length);
    for (const name of Object.keys(servers))
      expect(stderrLines(result.stderr).filter((line) => line.startsWith(`mcp-preflight: target ${name}: `))).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a server that never answers and forks a child: the timeout named, the whole process group gone', async () => {
    const { line, text } = blockOf('hang');
    expect(line).toMatch(/no answer from .* within 2 s/);
    expect(processCommandLines()).not.toContain(hangMarker);
    const childPid = Number(/CHILD_PID (\d+)/.exec(text)?.[1]);
    expect(childPid).toBeGreaterThan(0);
    expect(await waitForExit(childPid, 2_000)).toBe(true);
    expect(isAlive(childPid)).toBe(false);
  });

  it('a server started through sh -c that leaves a grandchild: nothing survives', () => {
    blockOf('grandchild');
    expect(processCommandLines()).not.toContain(grandchildMarker);
  });

  it('a server that crashes at start: its line names the exit, with its stderr tail', () => {
    const { line, text } = blockOf('crash');
    expect(line).toMatch(/closed the connection during connect \(exit code 1\)/);
    expect(text).toContain('fatal: missing DATABASE_URL');
  });

  it('a command that does not exist: its line names it', () => {
    expect(blockOf('missing').line).toContain('command not found: "definitely-not-a-command-xyz"');
  });
});

describe('a target that cannot be reached', () => {
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

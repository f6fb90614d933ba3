import { Writable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startProgress } from '../../src/cli/progress.js';
import { skippedSummary } from '../../src/report/text.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

/** A stream that records what is written; `isTTY` as given (a terminal, or a pipe). */
function recorder(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as Writable & { isTTY: boolean; columns: number; text(): string };
  stream.isTTY = isTTY;
  stream.columns = 200;
  // What tty.WriteStream offers, as the escape sequences it would write.
  const tty = stream as unknown as Record<string, (...args: unknown[]) => boolean>;
  const escape = (sequence: string, callback: unknown) => {
    chunks.push(sequence);
    if (typeof callback === 'function') (callback as () => void)();
    return true;
  };
  tty.cursorTo = (x, y, callback) => escape(`\u001B[${Number(x) + 1}G`, typeof y === 'function' ? y : callback);
  tty.clearLine = (_direction, callback) => escape('\u001B[2K', callback);
  tty.moveCursor = (dx, dy, callback) => escape(`\u001B[${Number(dy) < 0 ? `${-Number(dy)}A` : `${Number(dy)}B`}`, callback);
  stream.text = () => chunks.join('');
  return stream;
}

function drive(stream: ReturnType<typeof recorder>, options: { quiet?: boolean; env?: NodeJS.ProcessEnv } = {}): void {
  const progress = startProgress(2, { stream, env: options.env ?? { TERM: 'xterm' }, ...(options.quiet ? { quiet: true } : {}) });
  const api = progress.target('api');
  api('connect');
  api('list pages', 'tools: 3 pages, 250 items');
  progress.target('web')('probes', 'HTTP surface');
  progress.done('api');
  progress.stop();
}

describe('progress', () => {
  it('on a terminal shows the targets, their stages and counts, and clears its line at the end', () => {
    // The spinner library decides for itself from the real environment whether the stream is a
    // person's terminal; CI machines set CI (and may set TERM=dumb), so this test sets both aside.
    const saved = { CI: process.env.CI, TERM: process.env.TERM };
    delete process.env.CI;
    process.env.TERM = 'xterm';
    const stream = recorder(true);
    try {
      drive(stream);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    const text = stream.text();
    expect(text).toContain('0/2 done · api: connect');
    expect(text).toContain('api: list pages (tools: 3 pages, 250 items)');
    expect(text).toContain('api: list pages (tools: 3 pages, 250 items) · web: probes (HTTP surface)');
    expect(text).toContain('1/2 done · web: probes (HTTP surface)');
    // The last thing written erases the line (cursor to column 1, clear to the end).
    expect(text.slice(text.lastIndexOf('done'))).toMatch(/\u001B\[1G\u001B\[0K|\u001B\[2K/);
  });

  it('writes nothing on a pipe, with --quiet, in CI or on a dumb terminal', () => {
    for (const [stream, options] of [
      [recorder(false), {}],
      [recorder(true), { quiet: true }],
      [recorder(true), { env: { CI: 'true', TERM: 'xterm' } }],
      [recorder(true), { env: { TERM: 'dumb' } }],
    ] as const) {
      drive(stream, options);
      expect(stream.text()).toBe('');
    }
  });
});

describe('skippedSummary', () => {
  it('is one line naming what enables each group, largest first', () => {
    const skipped = new Map<string, string[]>([
      ['needs source facts; run with --source', ['a/1', 'a/2', 'a/3']],
      ['needs http facts; check an HTTP target', ['b/1']],
      ['needs source or probe facts; run with --source or run with --probe', ['c/1', 'c/2']],
      ['no kill switch is declared in the config (killSwitches)', ['d/1']],
    ]);
    expect(skippedSummary(skipped)).toBe(
      'skipped 7 rules: 3 need --source, 2 --source or --probe, 1 an HTTP target, 1 for other reasons (--verbose lists them)',
    );
  });
});

// A real terminal, through script(1): the CLI's stderr is a TTY there, and only there does it draw.
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(hasScript)('progress of check on a real terminal (script -qc)', () => {
  const run = (extra: string) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm', NO_COLOR: '1' };
    delete env.CI;
    const command = `${process.execPath} ${cliPath} check --stdio "${process.execPath} fixtures/servers/paginated-stdio.mjs" --format json --output /dev/null ${extra}`;
    // Without -e: script's own exit is 0, the CLI's (1, the paginated fixture fails the gate) is in the text.
    return execFileSync('script', ['-qc', command, '/dev/null'], { cwd: repoRoot, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  };

  it('draws the target and its stages', () => {
    const output = run('');
    expect(output).toMatch(/0\/1 done · paginated-stdio: connect/);
    expect(output).toMatch(/paginated-stdio: list pages \(tools: \d+ pages?, \d+ items\)/);
    expect(output).toContain('gate failed');
  });

  it('(control) draws nothing with --quiet', () => {
    const output = run('--quiet');
    expect(output).not.toContain('done ·');
    expect(output).toContain('gate failed');
  });
});

describe('progress of check on a pipe', () => {
  it('writes nothing to stderr (the test runner reads it through a pipe)', async () => {
    const env: NodeJS.ProcessEnv = { TERM: 'xterm' };
    const result = await runCli(['check', '--stdio', `${process.execPath} fixtures/servers/clean-stdio.mjs`], { env: { ...env, CI: undefined } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/skipped \d+ rules: \d+ need --source, .*\(--verbose lists them\)\n/);
  });
});

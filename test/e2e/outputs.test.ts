import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

/**
 * Every --output path is checked before any server starts (issue 12, Build 7). The target of the
 * refused cases is a script that writes a marker file when it is started: no marker, no spawn.
 * Paths that refuse writes even to root (tests may run as root): a path under a regular file,
 * /proc (whose mkdir fails with ENOENT, the case that looped for ever) and /dev/full (opens, then
 * every write fails with ENOSPC).
 */

const node = process.execPath;

function markerTarget(): { directory: string; marker: string; stdio: string } {
  const directory = mkdtempSync(join(tmpdir(), 'preflight-outputs-'));
  const marker = join(directory, 'spawned');
  const script = join(directory, 'marker.mjs');
  writeFileSync(script, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'started');\n`);
  return { directory, marker, stdio: `${node} ${script}` };
}

function expectRefusedBeforeSpawn(result: { code: number | null; stdout: string; stderr: string }, marker: string, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(existsSync(marker)).toBe(false);
}

describe('--output is checked before any server starts', () => {
  it('(control) the marker target does write its marker when it is started', async () => {
    const target = markerTarget();
    await runCli(['check', '--stdio', target.stdio, '--format', 'json', '--output', join(target.directory, 'report.json'), '--timeout', '5']);
    expect(existsSync(target.marker)).toBe(true);
  });

  it('/proc/nope/x.sarif (a recursive mkdir there never ends) exits 2 with one line', async () => {
    const target = markerTarget();
    const result = await runCli(['check', '--stdio', target.stdio, '--format', 'sarif', '--output', '/proc/nope/x.sarif']);
    expectRefusedBeforeSpawn(result, target.marker, /^mcp-preflight: --output \/proc\/nope\/x\.sarif: cannot create the directory \/proc\/nope \(ENOENT\)/);
  });

  it('a path that is a directory exits 2 with one line', async () => {
    const target = markerTarget();
    const result = await runCli(['check', '--stdio', target.stdio, '--format', 'json', '--output', target.directory]);
    expectRefusedBeforeSpawn(result, target.marker, /: is a directory; give a writable file path$/);
  });

  it('a parent that is a regular file exits 2 with one line', async () => {
    const target = markerTarget();
    const file = join(target.directory, 'plain-file');
    writeFileSync(file, '');
    const result = await runCli(['check', '--stdio', target.stdio, '--format', 'sarif', '--output', join(file, 'x.sarif')]);
    expectRefusedBeforeSpawn(result, target.marker, /plain-file is not a directory; give a writable file path$/);
  });

  it('a directory that refuses new files (/proc/self) exits 2 with one line', async () => {
    const target = markerTarget();
    const result = await runCli(['check', '--stdio', target.stdio, '--format', 'sarif', '--output', '/proc/self/x.sarif']);
    expectRefusedBeforeSpawn(result, target.marker, /^mcp-preflight: --output \/proc\/self\/x\.sarif: cannot be created/);
  });

  it('a named pipe that no process reads (writing would block for ever) exits 2 with one line', async () => {
    const target = markerTarget();
    const fifo = join(target.directory, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await runCli(['check', '--stdio', target.stdio, '--format', 'json', '--output', fifo]);
    expectRefusedBeforeSpawn(result, target.marker, /report\.fifo: is a named pipe that no process reads \(ENXIO\)/);
  });

  it('the second of two outputs is checked too, and nothing is written for the first', async () => {
    const target = markerTarget();
    const first = join(target.directory, 'report.json');
    const result = await runCli(['check', '--stdio', target.stdio, '--format', 'json,sarif', '--output', `${first},${target.directory}`]);
    expectRefusedBeforeSpawn(result, target.marker, /: is a directory/);
    expect(existsSync(first)).toBe(false);
  });

  it('discover checks its --output before connecting', async () => {
    const target = markerTarget();
    const result = await runCli(['discover', '--stdio', target.stdio, '--format', 'json', '--output', '/proc/nope/inventory.json']);
    expectRefusedBeforeSpawn(result, target.marker, /^mcp-preflight: --output \/proc\/nope\/inventory\.json: cannot create the directory/);
  });

  it('init under /proc/nope exits 2 with one line, and creates missing parents elsewhere', async () => {
    const refused = await runCli(['init', '--output', '/proc/nope/mcp-preflight.yaml']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^mcp-preflight: cannot write \/proc\/nope\/mcp-preflight\.yaml: cannot create the directory \/proc\/nope \(ENOENT\)$/),
    ]);
    const cwd = mkdtempSync(join(tmpdir(), 'preflight-outputs-'));
    const written = await runCli(['init', '--output', join('ci', 'mcp-preflight.yaml')], { cwd });
    expect(written.code).toBe(0);
    expect(existsSync(join(cwd, 'ci', 'mcp-preflight.yaml'))).toBe(true);
  });

  it('missing parent directories are created, as before', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'preflight-outputs-'));
    const out = join(directory, 'a', 'b', 'report.json');
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('clean-stdio.mjs')}`, '--format', 'json', '--output', out]);
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).gate.passed).toBe(true);
  });
});

describe('an output that fails while being written', () => {
  it('still writes the others, prints the text report and the verdict, then exits 2', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'preflight-outputs-'));
    mkdirSync(join(directory, 'out'));
    const json = join(directory, 'out', 'report.json');
    // /dev/full passes every check (it exists and is writable) and fails each write with ENOSPC.
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('clean-stdio.mjs')}`, '--format', 'sarif,json', '--output', `/dev/full,${json}`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/gate passed/);
    expect(JSON.parse(readFileSync(json, 'utf8')).gate.passed).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^mcp-preflight: cannot write \/dev\/full: ENOSPC/)]);
  });
});

// Issue 12, Build 3 and 4 (stdio side): servers that send one string or one flood too big to keep,
// and servers that break JSON-RPC framing. Every case runs the built CLI against a real fixture
// from fixtures/hostile/ and checks its exit code, that the FIRST stderr line names the true cause,
// a duration bound relative to the --timeout it passed, the peak-memory cap, and that no process
// of the fixture survives.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';
import cases from '../../fixtures/hostile/cases/memory.mjs';

interface HostileCase {
  id: string;
  what: string;
  args: string[];
  exit: number;
  stderr: string;
  maxPeakMiB?: number;
}

const MEMORY_CAP_MIB = 512;
const dir = mkdtempSync(join(tmpdir(), 'mcp-preflight-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function processCommandLines(): string {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
}

function firstStderrLine(stderr: string): string {
  return stderr.split('\n')[0] ?? '';
}

/** The case's args with a unique marker appended to the --stdio command (the fixtures ignore unknown flags), and its --timeout in ms. */
function marked(args: string[], marker: string): { args: string[]; timeoutMs: number } {
  const copy = [...args];
  const stdio = copy.indexOf('--stdio');
  copy[stdio + 1] = `${copy[stdio + 1]} --marker ${marker}`;
  return { args: copy, timeoutMs: Number(copy[copy.indexOf('--timeout') + 1]) * 1000 };
}

/**
 * The two huge-description cases also write a JSON report (--format json --output, which leaves
 * stdout to the text report and stderr as it was): the report tests below read it from the same
 * run instead of starting the CLI and the 15 and 20 MiB servers again.
 */
const reports: Record<string, string> = {
  'huge-description-15mib': join(dir, 'huge-15.json'),
  'huge-description-20mib': join(dir, 'huge-20.json'),
};
const runs = new Map<string, Promise<{ result: CliResult; marker: string; timeoutMs: number }>>();

/** Runs a case of the table once (memoised by id), its --stdio command marked. */
function runCase(id: string) {
  let run = runs.get(id);
  if (!run) {
    const hostile = (cases as HostileCase[]).find((entry) => entry.id === id);
    if (!hostile) throw new Error(`no hostile case ${id}`);
    const marker = `hostile-${randomUUID()}`;
    const { args, timeoutMs } = marked(hostile.args, marker);
    const report = reports[id];
    run = runCli([...args, ...(report ? ['--format', 'json', '--output', report] : [])], { timeoutMs: timeoutMs * 3 + 10_000 }).then((result) => ({
      result,
      marker,
      timeoutMs,
    }));
    runs.set(id, run);
  }
  return run;
}

/**
 * The framing cases (exit 3 within moments, no memory cap, no waiting for a timeout) are the
 * targets of one `check --config` run, each its own server, marker and --timeout: stderr then holds
 * one line per target, "mcp-preflight: target <case id>: <cause>", and the run exits 3.
 */
/** A case whose cause is a timeout ("… within N s") waits for it: it keeps its own run and its bound. */
const waitsForTimeout = (entry: HostileCase) => /within \d+ s/.test(entry.stderr);
const framing = (cases as HostileCase[]).filter((entry) => entry.maxPeakMiB === undefined && entry.exit === 3 && !waitsForTimeout(entry));
let framingRun: Promise<{ result: CliResult; markers: Map<string, string> }> | undefined;
function runFraming() {
  framingRun ??= (async () => {
    const markers = new Map<string, string>();
    const entries = framing.map((hostile) => {
      const marker = `hostile-${randomUUID()}`;
      markers.set(hostile.id, marker);
      const { args, timeoutMs } = marked(hostile.args, marker);
      const command = args[args.indexOf('--stdio') + 1]!;
      return `  - name: ${hostile.id}\n    command: ${JSON.stringify(command)}\n    cwd: ${JSON.stringify(repoRoot)}\n    timeout: ${timeoutMs / 1000}\n`;
    });
    const config = join(dir, 'framing.yaml');
    writeFileSync(config, `version: 1\nconcurrency: ${entries.length}\ntargets:\n${entries.join('')}`);
    const longest = Math.max(...framing.map((hostile) => marked(hostile.args, '').timeoutMs));
    return { result: await runCli(['check', '--config', config], { timeoutMs: longest * 3 + 10_000 }), markers };
  })();
  return framingRun;
}

describe('hostile stdio servers: bounded memory, the true cause in one line', () => {
  for (const hostile of framing) {
    it(`${hostile.id}: ${hostile.what}`, async () => {
      const { result, markers } = await runFraming();
      const { timeoutMs } = marked(hostile.args, '');
      expect(result.code, result.stderr).toBe(hostile.exit);
      // One line for this target, naming its true cause; nothing else on stderr but the other targets' lines.
      const lines = result.stderr.split('\n').filter((line) => line !== '');
      expect(lines.every((line) => line.startsWith('mcp-preflight: target '))).toBe(true);
      expect(lines).toHaveLength(framing.length);
      const own = lines.filter((line) => line.startsWith(`mcp-preflight: target ${hostile.id}: `));
      expect(own).toHaveLength(1);
      expect(own[0]).toMatch(new RegExp(hostile.stderr));
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.durationMs).toBeLessThan(timeoutMs * 2);
      expect(processCommandLines()).not.toContain(markers.get(hostile.id));
    });
  }

  for (const hostile of (cases as HostileCase[]).filter((entry) => !framing.includes(entry))) {
    it(`${hostile.id}: ${hostile.what}`, async () => {
      const { result, marker, timeoutMs } = await runCase(hostile.id);
      expect(result.code, result.stderr).toBe(hostile.exit);
      expect(firstStderrLine(result.stderr)).toMatch(new RegExp(hostile.stderr));
      // One line: nothing follows it but the server's stderr tail (these fixtures write none).
      expect(result.stderr.split('\n').filter((line) => line.startsWith('mcp-preflight:'))).toHaveLength(hostile.exit === 0 ? 0 : 1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.durationMs).toBeLessThan(timeoutMs * 2);
      if (hostile.maxPeakMiB !== undefined) {
        expect(result.peakRssMiB).toBeDefined();
        expect(result.peakRssMiB!).toBeLessThan(hostile.maxPeakMiB);
      }
      expect(processCommandLines()).not.toContain(marker);
    });
  }

  it('a 15 MiB description: the report keeps a bounded prefix, its full length and hash, and stays under 1 MB', async () => {
    const output = reports['huge-description-15mib']!;
    const { result } = await runCase('huge-description-15mib');
    expect(result.code).toBe(0);
    expect(result.peakRssMiB!).toBeLessThan(MEMORY_CAP_MIB);
    expect(statSync(output).size).toBeLessThan(1_000_000);
    const report = JSON.parse(readFileSync(output, 'utf8'));
    const target = report.targets[0];
    const tool = target.inventory.tools[0];
    expect(tool.description.length).toBeLessThanOrEqual(64 * 1024);
    expect(tool.description.startsWith('This tool does one small thing')).toBe(true);
    expect(tool.cut.description).toEqual({ length: 15 * 1024 * 1024, bytes: 15 * 1024 * 1024, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The size rule judges the whole string, not the prefix it sees.
    const oversized = target.findings.find((finding: { ruleId: string }) => finding.ruleId === 'injection/oversized-description');
    expect(oversized?.message).toContain(`${15 * 1024 * 1024} characters`);
  });

  it('a 20 MiB description: exit 3 naming the line limit, and the JSON report stays under 1 MB', async () => {
    const output = reports['huge-description-20mib']!;
    const { result } = await runCase('huge-description-20mib');
    expect(result.code).toBe(3);
    expect(firstStderrLine(result.stderr)).toMatch(/sent a line of 20 MiB, over the 16 MiB limit/);
    expect(result.peakRssMiB!).toBeLessThan(MEMORY_CAP_MIB);
    expect(statSync(output).size).toBeLessThan(1_000_000);
    expect(JSON.parse(readFileSync(output, 'utf8')).targets[0].failure.message).toMatch(/over the 16 MiB limit/);
  });

  it('--debug: a 2 MiB description (over the 1 MB bound of stderr) is cut in the trace, never kept whole', async () => {
    const result = await runCli(['check', '--stdio', 'node fixtures/hostile/huge-description.mjs --mib 2', '--timeout', '20', '--debug'], {
      timeoutMs: 70_000,
    });
    expect(result.code).toBe(0);
    expect(result.peakRssMiB!).toBeLessThan(MEMORY_CAP_MIB);
    const listing = result.stderr.split('\n').find((line) => line.includes('← response') && line.includes('"huge"'));
    expect(listing).toBeDefined();
    expect(listing!.length).toBeLessThan(4_000);
    expect(listing).toMatch(/…\[at least \d+ bytes\]$/);
    expect(result.stderr.length).toBeLessThan(1_000_000);
  });

  it('must not fail: notifications below the bound before the answer, and log lines before a real answer', async () => {
    const flood = await runCli(['check', '--stdio', 'node fixtures/hostile/notification-flood.mjs --mib 8', '--timeout', '20'], { timeoutMs: 70_000 });
    expect(flood.stderr).not.toMatch(/could not|notifications before answering/);
    expect(flood.code).not.toBe(3);
    expect(flood.peakRssMiB!).toBeLessThan(MEMORY_CAP_MIB);
    const noisy = await runCli(
      ['discover', '--stdio', 'node fixtures/hostile/stdout-noise-before-answer.mjs --answer', '--timeout', '20', '--format', 'json'],
      { timeoutMs: 70_000 },
    );
    expect(noisy.code, noisy.stderr).toBe(0);
    const inventory = JSON.parse(noisy.stdout);
    expect(inventory.tools.map((tool: { name: string }) => tool.name)).toEqual(['echo']);
    expect(inventory.stdoutNoise.lines).toBeGreaterThan(0);
  });
});

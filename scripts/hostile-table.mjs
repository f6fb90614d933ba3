#!/usr/bin/env node
// npm run hostile:table: runs every hostile case (fixtures/hostile/cases/*.mjs, shape in types.d.ts)
// against the built CLI (run `npm run build` first), one at a time, and writes the measured table to
// docs/hostile.md: exit code, duration, first stderr line, peak memory of the CLI, and how many of
// the processes it started outlived it. Everything a case started is killed afterwards.
// Usage: node scripts/hostile-table.mjs [--only <id>]...   Exit 1 if a case missed its expectation.
import os from 'node:os';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const casesDirectory = join(root, 'fixtures', 'hostile', 'cases');
const cli = join(root, 'bin', 'mcp-preflight.js');
const output = join(root, 'docs', 'hostile.md');
const POLL_MS = 50;
const DEFAULT_TIMEOUT_S = 30;

/** Every case of every file, in file then array order. */
export async function loadCases(directory = casesDirectory) {
  const cases = [];
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith('.mjs'))
    .sort()) {
    const module = await import(pathToFileURL(join(directory, file)).href);
    for (const entry of module.default) cases.push({ ...entry, file });
  }
  return cases;
}

/** The `--timeout` a case passes, in seconds (the CLI's default otherwise). */
export function timeoutOf(entry) {
  const at = entry.args.indexOf('--timeout');
  return at === -1 ? DEFAULT_TIMEOUT_S : Number(entry.args[at + 1]);
}

/** pid → { ppid, start, state } for every process (Linux /proc; fields after the command name). */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { state: fields[0], ppid: Number(fields[1]), start: fields[19] });
    } catch {
      // Gone between readdir and read.
    }
  }
  return table;
}

/** Peak resident memory (VmHWM) of a live process, in KiB; undefined once it is gone. */
function peakKiB(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts a case's HTTP server in its own process group and resolves with the URL it announced. */
function startServer(server) {
  const child = spawn(server.command, server.args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  const ready = new RegExp(server.ready);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not print /${server.ready}/ within 20 s`)), 20_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = ready.exec(line);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.resume();
      resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}) before it was ready`));
    });
  }).catch((error) => {
    killGroup(child.pid, 'SIGKILL');
    throw error;
  });
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return killGroup(child.pid, 'SIGKILL');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
  killGroup(child.pid, 'SIGKILL');
}

/**
 * Runs one case. While the CLI runs, the process table is polled to record every descendant of it
 * (servers, their children), so those that outlive it can be counted and killed afterwards.
 */
export async function runCase(entry) {
  const scratch = mkdtempSync(join(tmpdir(), 'hostile-'));
  const peakFile = join(scratch, 'peak');
  let server;
  let args = entry.args;
  try {
    if (entry.server) {
      server = await startServer(entry.server);
      args = args.map((arg) => arg.replaceAll('{url}', server.url));
    }
    const hook = pathToFileURL(join(root, 'scripts', 'hostile-peak-rss.mjs')).href;
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', hook, cli, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', HOSTILE_PEAK_RSS_FILE: peakFile },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    const descendants = new Map();
    let polledPeak = 0;
    const poll = () => {
      const table = processTable();
      const tree = new Set([child.pid]);
      // Parents appear before children often enough; two passes catch the rest.
      for (let pass = 0; pass < 2; pass++) {
        for (const [pid, info] of table) if (tree.has(info.ppid)) tree.add(pid);
      }
      for (const pid of tree) if (pid !== child.pid && !descendants.has(pid)) descendants.set(pid, table.get(pid).start);
      polledPeak = Math.max(polledPeak, peakKiB(child.pid) ?? 0);
    };
    const poller = setInterval(poll, POLL_MS);
    poll();
    const hardCapMs = Math.max(120_000, timeoutOf(entry) * 10_000);
    let killed = false;
    const cap = setTimeout(() => {
      killed = true;
      killGroup(child.pid, 'SIGKILL');
    }, hardCapMs);
    const code = await new Promise((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    const durationMs = performance.now() - started;
    clearInterval(poller);
    clearTimeout(cap);
    // Let the pipes drain (a leftover grandchild may hold them open: do not wait for it).
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 500);
      child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (server) await stopServer(server.child);

    // What the CLI started and left behind (same pid and start time, not a zombie), after a grace.
    let left = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const table = processTable();
      left = [...descendants].filter(([pid, start]) => table.get(pid)?.start === start && table.get(pid)?.state !== 'Z').map(([pid]) => pid);
      if (left.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    killGroup(child.pid, 'SIGKILL');

    let hookPeak = 0;
    try {
      hookPeak = Number(readFileSync(peakFile, 'utf8')) || 0;
    } catch {
      // The CLI was killed before its exit hook ran: the polled figure is all there is.
    }
    const firstLine = stderr.split('\n').find((line) => line.trim() !== '') ?? '';
    return { code: killed ? 'killed' : code, durationMs, firstLine, peakMiB: Math.max(hookPeak, polledPeak) / 1024, left: left.length };
  } finally {
    if (server) killGroup(server.child.pid, 'SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Which expectations a measured run missed (empty: as expected). */
export function misses(entry, measured) {
  const missed = [];
  if (measured.code !== entry.exit) missed.push(`exit ${measured.code}, expected ${entry.exit}`);
  if (!new RegExp(entry.stderr).test(measured.firstLine)) missed.push(`stderr does not match /${entry.stderr}/`);
  if (entry.maxPeakMiB !== undefined && measured.peakMiB > entry.maxPeakMiB)
    missed.push(`peak ${measured.peakMiB.toFixed(0)} MiB over ${entry.maxPeakMiB} MiB`);
  if (measured.left > 0) missed.push(`${measured.left} process(es) left behind`);
  return missed;
}

function cell(text, max = 160) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  const short = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return short.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'");
}

export function renderTable(rows) {
  const lines = [
    '# Hostile cases, as measured',
    '',
    'Generated by `npm run hostile:table` (scripts/hostile-table.mjs) from `fixtures/hostile/cases/*.mjs`:',
    'each case runs once against the built CLI on this machine. *Duration* is wall-clock time of the',
    'whole CLI run (the close sequence of a server that ignores SIGTERM adds up to ~3 s to the',
    'timeout); *peak* is the peak resident memory of the CLI process itself (not of the server);',
    '*left* counts processes the run started that were still alive after it exited (then killed).',
    'The fixtures are described in [fixtures/hostile/README.md](../fixtures/hostile/README.md).',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${process.platform}/${process.arch} (${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} when the table was written: durations grow with load, exit codes and stderr lines do not).`,
    '',
    '| id | what | exit expected | exit measured | timeout | duration | first stderr line | peak MiB | left | as expected |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { entry, measured, missed } of rows) {
    const peak = `${measured.peakMiB.toFixed(0)}${entry.maxPeakMiB === undefined ? '' : ` (cap ${entry.maxPeakMiB})`}`;
    lines.push(
      `| \`${entry.id}\` | ${cell(entry.what)} | ${entry.exit} | ${measured.code} | ${timeoutOf(entry)} s | ${(measured.durationMs / 1000).toFixed(1)} s | ${measured.firstLine ? `\`${cell(measured.firstLine, 320)}\`` : '(none)'} | ${peak} | ${measured.left} | ${missed.length === 0 ? 'yes' : `**no**: ${cell(missed.join('; '))}`} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  const only = process.argv.flatMap((arg, index) => (process.argv[index - 1] === '--only' ? [arg] : []));
  const cases = (await loadCases()).filter((entry) => only.length === 0 || only.includes(entry.id));
  const rows = [];
  for (const entry of cases) {
    const measured = await runCase(entry);
    const missed = misses(entry, measured);
    rows.push({ entry, measured, missed });
    process.stdout.write(
      `${missed.length === 0 ? 'ok  ' : 'MISS'} ${entry.id}: exit ${measured.code}, ${(measured.durationMs / 1000).toFixed(1)} s, ${measured.peakMiB.toFixed(0)} MiB${missed.length ? ` (${missed.join('; ')})` : ''}\n`,
    );
  }
  if (only.length === 0) {
    writeFileSync(output, renderTable(rows));
    process.stdout.write(`wrote ${output} (${rows.length} cases)\n`);
  }
  process.exitCode = rows.some((row) => row.missed.length > 0) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

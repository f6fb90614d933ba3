// Runs the built CLI (`node bin/mcp-preflight.js`, which loads dist/) as a child process.
// `npm run build` must have run first; otherwise the shim exits 2 with "Run npm run build first".
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from './fixtures.js';

export const cliPath = resolve(repoRoot, 'bin', 'mcp-preflight.js');
const peakPreload = resolve(repoRoot, 'test', 'helpers', 'report-peak-rss.cjs');
let runs = 0;

export interface CliOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Extra variables, merged over process.env. `NO_COLOR=1` is set unless you override it. */
  env?: NodeJS.ProcessEnv;
  /** Kill the CLI (and its process group) and reject after this long (default 30 s). */
  timeoutMs?: number;
}

export interface CliResult {
  /** Exit code; `null` only if the process was ended by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /**
   * Peak resident memory of the CLI process in MiB: its own getrusage maxRSS at exit (a preload,
   * report-peak-rss.cjs), or, if it was killed before writing it, the highest `VmHWM` sampled from
   * /proc/<pid>/status every 50 ms. Undefined when neither is available.
   */
  peakRssMiB?: number;
}

/** The process's resident-memory high-water mark in KiB, or undefined once it is gone (or off Linux). */
function readPeakRssKiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `node bin/mcp-preflight.js ...args` and resolves with its exit code and output.
 * The CLI gets its own process group so a timeout also kills any server it spawned.
 */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = Date.now();
  return new Promise<CliResult>((resolveRun, reject) => {
    const peakFile = join(tmpdir(), `mcp-preflight-peak-${process.pid}-${++runs}.txt`);
    const child = spawn(process.execPath, ['--require', peakPreload, cliPath, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...opts.env, MCP_PREFLIGHT_PEAK_RSS_FILE: peakFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let peakKiB: number | undefined;
    const samplePeak = () => {
      const kib = child.pid === undefined ? undefined : readPeakRssKiB(child.pid);
      if (kib !== undefined) peakKiB = Math.max(peakKiB ?? 0, kib);
    };
    const sampler = setInterval(samplePeak, 50);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

    const timer = setTimeout(() => {
      clearInterval(sampler);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      reject(
        new Error(
          `mcp-preflight ${args.join(' ')} did not finish within ${timeoutMs} ms (killed).\n` +
            `stdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`,
        ),
      );
    }, timeoutMs);

    child.once('error', (error) => {
      clearTimeout(timer);
      clearInterval(sampler);
      reject(error);
    });
    // Prefer 'close' (all output read). But an orphaned grandchild that inherited our pipes would
    // hold them open, so after 'exit' wait at most 500 ms for the pipes before resolving.
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(sampler);
      try {
        const reported = Number(readFileSync(peakFile, 'utf8'));
        rmSync(peakFile, { force: true });
        if (reported > 0) peakKiB = Math.max(peakKiB ?? 0, reported);
      } catch {
        // Killed before its exit handler ran: keep the sampled figure.
      }
      resolveRun({
        code,
        stdout,
        stderr,
        durationMs: Date.now() - started,
        ...(peakKiB !== undefined ? { peakRssMiB: Math.round(peakKiB / 102.4) / 10 } : {}),
      });
    };
    child.once('close', (code) => finish(code));
    child.once('exit', (code) => {
      clearInterval(sampler);
      setTimeout(() => finish(code), 500).unref();
    });
  });
}

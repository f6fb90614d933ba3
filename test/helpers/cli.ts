// Runs the built CLI (`node bin/mcp-preflight.js`, which loads dist/) as a child process.
// `npm run build` must have run first; otherwise the shim exits 2 with "Run npm run build first".
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from './fixtures.js';

export const cliPath = resolve(repoRoot, 'bin', 'mcp-preflight.js');

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
}

/**
 * Runs `node bin/mcp-preflight.js ...args` and resolves with its exit code and output.
 * The CLI gets its own process group so a timeout also kills any server it spawned.
 */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = Date.now();
  return new Promise<CliResult>((resolveRun, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

    const timer = setTimeout(() => {
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
      reject(error);
    });
    // Prefer 'close' (all output read). But an orphaned grandchild that inherited our pipes would
    // hold them open, so after 'exit' wait at most 500 ms for the pipes before resolving.
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr, durationMs: Date.now() - started });
    };
    child.once('close', (code) => finish(code));
    child.once('exit', (code) => {
      setTimeout(() => finish(code), 500).unref();
    });
  });
}

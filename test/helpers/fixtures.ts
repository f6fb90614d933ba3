// Helpers to locate and run the MCP fixture servers in fixtures/servers/ (see the header comment
// of each .mjs file for what it serves).
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Repository root (the directory holding package.json). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of `fixtures/servers/<name>`, e.g. `fixturePath('clean-stdio.mjs')`. */
export function fixturePath(name: string): string {
  return resolve(repoRoot, 'fixtures', 'servers', name);
}

export interface HttpFixture {
  /** The URL the fixture announced, e.g. `http://127.0.0.1:43127/mcp` (or `/sse`). */
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 2 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Spawns `node fixtures/servers/<name> ...args` and resolves once it prints `LISTENING <url>` on
 * stdout. Rejects (and kills the process) if it exits first or stays silent for `timeoutMs`.
 */
// The default only guards against a fixture that never starts: on a loaded two-core machine a start takes seconds.
export async function startHttpFixture(name: string, args: string[] = [], timeoutMs = 30_000): Promise<HttpFixture> {
  const child = spawn(process.execPath, [fixturePath(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk;
  });
  const exited = new Promise<void>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit();
    else child.once('exit', () => resolveExit());
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const lines = createInterface({ input: child.stdout });
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not print "LISTENING <url>" within ${timeoutMs} ms. stderr: ${stderr}`)), timeoutMs);
      lines.on('line', (line) => {
        const match = /^LISTENING (\S+)$/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code}, signal ${signal}) before listening. stderr: ${stderr}`));
      });
    });
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout.resume();
    return { url, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    lines.removeAllListeners('line');
  }
}

/** True while a process with this pid exists (signal 0 probes without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls `isAlive` until the process is gone or `timeoutMs` passes; resolves to "is it gone". */
export async function waitForExit(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import { isLoopbackHost } from '../http/loopback.js';
import { DiscoveryError } from './errors.js';
import { listenSockets, type ListenFacts } from './listen-sockets.js';
import { serverEnvironment } from './stdio-transport.js';
import type { HttpLaunch } from './target.js';

/**
 * A launched HTTP target (config `command` and `url` together): mcp-preflight starts the command in
 * its own process group, waits until the URL's port accepts a TCP connection, and stops the whole
 * group afterwards (SIGTERM, then SIGKILL), also on error and at process exit. The URL must be a
 * loopback one: nothing is sent to any other address. While the server runs, its listen addresses
 * are read from the OS socket table (src/discovery/listen-sockets.ts).
 */

export interface LaunchedServer {
  pid: number;
  /** The listen sockets of the server's process group, read once the port accepts. */
  listen: ListenFacts;
  stop(): Promise<void>;
}

const STDERR_TAIL = 4096;
const POLL_MS = 100;

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone
  }
}

export async function launchHttpServer(launch: HttpLaunch, url: string, timeoutMs: number): Promise<LaunchedServer> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!isLoopbackHost(host))
    throw new DiscoveryError(
      `a launched target's url must be a loopback address (127.0.0.1, ::1, localhost), not ${target.hostname}`,
      'mcp-preflight starts the server itself and talks only to loopback',
    );
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  let child: ChildProcess;
  try {
    child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: serverEnvironment(launch.env),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
      shell: false,
    });
  } catch (error) {
    throw new DiscoveryError(`cannot start "${launch.command}": ${(error as Error).message}`);
  }
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  let exit: { code: number | null; signal: string | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      spawnError = error;
      exit ??= { code: null, signal: null };
      resolve();
    });
  });
  const killOnExit = (): void => killGroup(child, 'SIGKILL');
  process.on('exit', killOnExit);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killGroup(child, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1_500))]);
    // Always sweep the group: a forked grandchild survives its parent's exit.
    killGroup(child, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    process.off('exit', killOnExit);
    child.stderr?.destroy();
  };
  try {
    const endsAt = performance.now() + timeoutMs;
    for (;;) {
      if (exit !== undefined) {
        const how = spawnError ? spawnError.message : exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        throw new DiscoveryError(
          `the launched server "${launch.command}" ${how} before ${host}:${port} accepted a connection`,
          undefined,
          stderr || undefined,
          { exit },
        );
      }
      if (await tryConnect(host, port)) break;
      if (performance.now() >= endsAt)
        throw new DiscoveryError(
          `the launched server did not accept connections on ${host}:${port} within ${timeoutMs} ms`,
          'check the port in "url" matches the one the command listens on',
          stderr || undefined,
          { timedOut: true },
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return { pid: child.pid!, listen: listenSockets(child.pid!), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

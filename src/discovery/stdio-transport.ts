import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport, JSONRPCMessage } from '@modelcontextprotocol/client';
import { dropLeadingPartialToken, truncateSafely } from '../secrets/truncate.js';

/**
 * Our own stdio transport instead of the SDK's StdioClientTransport, because a preflight scan needs
 * what the SDK's does not give (MCP-GROUND-TRUTH.md §2.7):
 * - the server runs in its own process group, and close() kills the whole group, so a server behind
 *   `npx` or `sh -c`, or one that forks, cannot outlive the scan;
 * - stderr is captured into a bounded ring buffer (the tail is shown when something fails);
 * - stdout lines that are not JSON-RPC are counted (a stdio server MUST NOT write them) instead of
 *   being reported as transport errors, and over-long lines and floods are bounded.
 * It exposes `pid` and `stderr`, which is how the client recognises a stdio-shaped transport.
 */

export const STDERR_TAIL_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const MAX_NOISE_SAMPLES = 5;
const NOISE_SAMPLE_CHARS = 200;

/** The environment every server gets, whatever the user declares (never our whole environment). */
const DEFAULT_ENV_NAMES =
  process.platform === 'win32'
    ? ['APPDATA', 'HOMEDRIVE', 'HOMEPATH', 'LOCALAPPDATA', 'PATH', 'PATHEXT', 'PROCESSOR_ARCHITECTURE', 'SYSTEMDRIVE', 'SYSTEMROOT', 'TEMP', 'TMP', 'USERNAME', 'USERPROFILE', 'WINDIR']
    : ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'TMPDIR'];

export function serverEnvironment(declared: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of DEFAULT_ENV_NAMES) {
    const value = process.env[name];
    // Exported bash functions ("() { ...") are a shell-injection vector; the SDK drops them too.
    if (value !== undefined && !value.startsWith('()')) env[name] = value;
  }
  return { ...env, ...declared };
}

export interface StdioTransportOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export class StdioSpawnError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'StdioSpawnError';
  }
}

export class GroupKillingStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private child: ChildProcess | undefined;
  private stdoutBuffer = '';
  private stderrChunks: Buffer[] = [];
  private stderrBytes = 0;
  private stderrTrimmed = false;
  private closed = false;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private exitWaiters: Array<() => void> = [];
  private readonly killOnExit = () => this.killGroup('SIGKILL');

  /** Non-JSON-RPC lines seen on stdout. */
  readonly noise = { lines: 0, samples: [] as string[] };
  bytesReceived = 0;

  constructor(private readonly options: StdioTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Present so the client treats this as a stdio transport; we keep the bytes ourselves. */
  get stderr(): null {
    return null;
  }

  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitInfo;
  }

  stderrTail(): string {
    const tail = Buffer.concat(this.stderrChunks).toString('utf8');
    // A tail that lost its beginning may start inside a secret, which masking could not recognise.
    return this.stderrTrimmed ? dropLeadingPartialToken(tail) : tail;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('stdio transport already started');
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(this.options.command, this.options.args, {
          cwd: this.options.cwd,
          env: serverEnvironment(this.options.env),
          stdio: ['pipe', 'pipe', 'pipe'],
          // Its own process group, so close() can signal every descendant at once.
          detached: process.platform !== 'win32',
          windowsHide: true,
          shell: false,
        });
      } catch (error) {
        reject(new StdioSpawnError(`cannot start "${this.options.command}": ${(error as Error).message}`, (error as NodeJS.ErrnoException).code));
        return;
      }
      this.child = child;
      process.on('exit', this.killOnExit);

      child.once('error', (error: NodeJS.ErrnoException) => {
        const spawnError = new StdioSpawnError(
          error.code === 'ENOENT'
            ? `command not found: "${this.options.command}"`
            : `cannot start "${this.options.command}": ${error.message}`,
          error.code,
        );
        if (child.pid === undefined) reject(spawnError);
        else this.onerror?.(spawnError);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        for (const waiter of this.exitWaiters.splice(0)) waiter();
        // Descendants may still hold the group; close() takes care of them.
        this.finish();
      });
      child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
      child.stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk));
      // A server that exits while we write must not crash us with EPIPE.
      child.stdin?.on('error', () => {});
      child.stdout?.on('error', () => {});
      child.stderr?.on('error', () => {});
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || stdin.destroyed || this.closed) {
        reject(new Error('not connected: the server process is not running'));
        return;
      }
      const ok = stdin.write(JSON.stringify(message) + '\n', (error) => (error ? reject(error) : undefined));
      if (ok) resolve();
      else stdin.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.pid === undefined) {
      // Never started (command not found): nothing to signal or wait for.
      process.off('exit', this.killOnExit);
      this.finish();
      return;
    }
    if (this.exitInfo === undefined) {
      child.stdin?.end();
      await this.waitForExit(300);
    }
    if (this.exitInfo === undefined) {
      this.killGroup('SIGTERM');
      await this.waitForExit(1_500);
    }
    // Always sweep the group: a forked grandchild survives its parent's exit.
    this.killGroup('SIGKILL');
    if (this.exitInfo === undefined) await this.waitForExit(1_000);
    process.off('exit', this.killOnExit);
    child.stdout?.destroy();
    child.stderr?.destroy();
    this.finish();
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child?.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private waitForExit(ms: number): Promise<void> {
    if (this.exitInfo !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  private onStderr(chunk: Buffer): void {
    this.stderrChunks.push(chunk);
    this.stderrBytes += chunk.length;
    if (this.stderrBytes > STDERR_TAIL_BYTES) this.stderrTrimmed = true;
    while (this.stderrBytes > STDERR_TAIL_BYTES && this.stderrChunks.length > 1) {
      this.stderrBytes -= this.stderrChunks.shift()!.length;
    }
    if (this.stderrBytes > STDERR_TAIL_BYTES && this.stderrChunks.length === 1) {
      const only = this.stderrChunks[0]!;
      this.stderrChunks = [only.subarray(only.length - STDERR_TAIL_BYTES)];
      this.stderrBytes = STDERR_TAIL_BYTES;
    }
  }

  private onStdout(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    this.stdoutBuffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = this.stdoutBuffer.indexOf('\n')) !== -1) {
      const line = this.stdoutBuffer.slice(0, newline).replace(/\r$/, '');
      this.stdoutBuffer = this.stdoutBuffer.slice(newline + 1);
      this.onLine(line);
    }
    if (this.stdoutBuffer.length > MAX_LINE_BYTES) {
      this.stdoutBuffer = '';
      this.onerror?.(new Error(`the server wrote a line of more than ${MAX_LINE_BYTES / 1024 / 1024} MiB to stdout without a newline`));
      void this.close();
    }
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.recordNoise(line);
      return;
    }
    if (!isJsonRpcMessage(parsed)) {
      this.recordNoise(line);
      return;
    }
    this.onmessage?.(parsed);
  }

  private recordNoise(line: string): void {
    this.noise.lines += 1;
    // Cut outside tokens: a secret cut in half could no longer be recognised and masked.
    if (this.noise.samples.length < MAX_NOISE_SAMPLES) this.noise.samples.push(truncateSafely(line, NOISE_SAMPLE_CHARS, ''));
  }
}

function isJsonRpcMessage(value: unknown): value is JSONRPCMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const message = value as Record<string, unknown>;
  return message.jsonrpc === '2.0' && ('method' in message || 'id' in message);
}

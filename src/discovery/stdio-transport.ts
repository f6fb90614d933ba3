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
 *   being reported as transport errors, and over-long lines and floods are bounded;
 * - when the server breaks the protocol in a way no answer can come from (a line over the limit, a
 *   response to no request, a message without `jsonrpc`, a flood before the answer), `fault` says so
 *   in one line and the transport closes, so the scan fails at once with the true cause instead of
 *   waiting for a timeout.
 * It exposes `pid` and `stderr`, which is how the client recognises a stdio-shaped transport.
 */

export const STDERR_TAIL_BYTES = 64 * 1024;
const MiB = 1024 * 1024;
export const MAX_LINE_BYTES = 16 * MiB;
/** Notifications and noise a server may send while a request of ours waits for its answer. */
export const MAX_UNANSWERED_BYTES = 64 * MiB;
/** How long the rest of an over-long line may take to arrive before the fault is reported without it. */
const OVER_LONG_LINE_IDLE_MS = 1_000;
const MAX_NOISE_SAMPLES = 5;
const NOISE_SAMPLE_CHARS = 200;
/** How long a server that exited may take to deliver the rest of its stderr (finishAfterStderr). */
const STDERR_DRAIN_MS = 250;

/** The environment every server gets, whatever the user declares (never our whole environment). */
const DEFAULT_ENV_NAMES =
  process.platform === 'win32'
    ? [
        'APPDATA',
        'HOMEDRIVE',
        'HOMEPATH',
        'LOCALAPPDATA',
        'PATH',
        'PATHEXT',
        'PROCESSOR_ARCHITECTURE',
        'SYSTEMDRIVE',
        'SYSTEMROOT',
        'TEMP',
        'TMP',
        'USERNAME',
        'USERPROFILE',
        'WINDIR',
      ]
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
  /** The unfinished line: chunks kept as they came, joined once when its newline arrives. */
  private lineChunks: Buffer[] = [];
  private lineBytes = 0;
  /** Set while a line over MAX_LINE_BYTES is being skipped (its bytes counted, not kept). */
  private overLongLine = false;
  private overLongTimer: NodeJS.Timeout | undefined;
  private readonly sentIds = new Set<string | number>();
  private readonly waiting = new Set<string | number>();
  /** What arrived since the last answer while a request waited (reset by every response). */
  private unanswered = { notificationBytes: 0, noiseBytes: 0, noiseLines: 0 };
  private stderrChunks: Buffer[] = [];
  private stderrBytes = 0;
  private stderrTrimmed = false;
  private closed = false;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private exitWaiters: Array<() => void> = [];
  private readonly killOnExit = () => this.killGroup('SIGKILL');

  /** Non-JSON-RPC lines seen on stdout. */
  readonly noise = { lines: 0, samples: [] as string[], glued: 0 };
  bytesReceived = 0;
  /** Responses received (any id). */
  answers = 0;
  /** One line saying how the server broke the protocol, when it did (the transport then closed). */
  fault: string | undefined;

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
          error.code === 'ENOENT' ? `command not found: "${this.options.command}"` : `cannot start "${this.options.command}": ${error.message}`,
          error.code,
        );
        if (child.pid === undefined) reject(spawnError);
        else this.onerror?.(spawnError);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        if (this.overLongLine) this.setFault(`sent a line of at least ${mib(this.lineBytes)} MiB, over the ${MAX_LINE_BYTES / MiB} MiB limit, and exited`);
        for (const waiter of this.exitWaiters.splice(0)) waiter();
        // Descendants may still hold the group; close() takes care of them.
        this.finishAfterStderr(child);
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
      const record = message as Record<string, unknown>;
      if (typeof record.method === 'string' && (typeof record.id === 'string' || typeof record.id === 'number')) {
        this.sentIds.add(record.id);
        this.waiting.add(record.id);
      }
      // A request the client gave up on (timeout) no longer waits for anything.
      if (record.method === 'notifications/cancelled')
        this.waiting.delete((record.params as { requestId?: string | number } | undefined)?.requestId as string | number);
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

  /**
   * 'exit' can come before the last stderr chunk is read (Node emits it as soon as the process ends,
   * not when its pipes are drained), and the failure line is built on close: wait for stderr to end
   * so a server's last words ("fatal: missing DATABASE_URL") are in the tail. Bounded, since a
   * grandchild that inherited stderr can hold it open for as long as it lives.
   */
  private finishAfterStderr(child: ChildProcess): void {
    const stderr = child.stderr;
    if (stderr === null || stderr.readableEnded || stderr.destroyed) {
      this.finish();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      stderr.off('end', done);
      stderr.off('close', done);
      this.finish();
    };
    const timer = setTimeout(done, STDERR_DRAIN_MS);
    stderr.once('end', done);
    stderr.once('close', done);
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
    let start = 0;
    let newline: number;
    // Split on the newline byte (never inside a UTF-8 sequence), decoding each line once: appending
    // to a growing string and re-scanning it costs memory quadratic in a long line.
    while (!this.stopped && (newline = chunk.indexOf(0x0a, start)) !== -1) {
      this.appendToLine(chunk.subarray(start, newline));
      start = newline + 1;
      this.endLine();
    }
    if (start < chunk.length && !this.stopped) this.appendToLine(chunk.subarray(start));
  }

  /** After a fault nothing more is read: the session is over. */
  private get stopped(): boolean {
    return this.closed || this.fault !== undefined;
  }

  private appendToLine(piece: Buffer): void {
    this.lineBytes += piece.length;
    if (this.overLongLine) this.armOverLongTimer();
    if (this.overLongLine) {
      if (this.lineBytes > MAX_UNANSWERED_BYTES + MAX_LINE_BYTES)
        this.setFault(`sent a line of more than ${mib(this.lineBytes)} MiB, over the ${MAX_LINE_BYTES / MiB} MiB limit`);
      return;
    }
    if (this.lineBytes > MAX_LINE_BYTES) {
      // Skip the rest of the line, counting it, so the fault can say how long it was.
      this.overLongLine = true;
      this.lineChunks = [];
      this.armOverLongTimer();
      return;
    }
    if (piece.length > 0) this.lineChunks.push(Buffer.from(piece));
  }

  /** A line over the limit whose end does not come soon is reported as it stands. */
  private armOverLongTimer(): void {
    clearTimeout(this.overLongTimer);
    this.overLongTimer = setTimeout(() => {
      if (this.overLongLine)
        this.setFault(`sent a line of at least ${mib(this.lineBytes)} MiB (and no end of line), over the ${MAX_LINE_BYTES / MiB} MiB limit`);
    }, OVER_LONG_LINE_IDLE_MS);
    this.overLongTimer.unref();
  }

  private endLine(): void {
    clearTimeout(this.overLongTimer);
    const bytes = this.lineBytes;
    const chunks = this.lineChunks;
    this.lineChunks = [];
    this.lineBytes = 0;
    if (this.overLongLine) {
      this.overLongLine = false;
      this.setFault(`sent a line of ${mib(bytes)} MiB, over the ${MAX_LINE_BYTES / MiB} MiB limit`);
      return;
    }
    const line = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes)).toString('utf8').replace(/\r$/, '');
    this.onLine(line, bytes);
  }

  private onLine(line: string, bytes: number): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.recordNoise(line, bytes);
      return;
    }
    const violation = jsonRpcViolation(parsed);
    if (violation === 'not-json-rpc') {
      this.recordNoise(line, bytes);
      return;
    }
    if (violation !== undefined) {
      this.setFault(`answered with invalid JSON-RPC (${violation})`);
      return;
    }
    const message = parsed as JSONRPCMessage & { id?: string | number; method?: unknown };
    if (typeof message.method !== 'string') {
      // A response. One to a request we never sent cannot be matched; the request it was meant for
      // would wait for ever. (A late answer to a request that timed out is fine.)
      if (!this.sentIds.has(message.id!)) {
        this.setFault(`answered with invalid JSON-RPC (response id ${JSON.stringify(message.id)?.slice(0, 40)} matches no request)`);
        return;
      }
      this.answers += 1;
      this.waiting.delete(message.id!);
      this.unanswered = { notificationBytes: 0, noiseBytes: 0, noiseLines: 0 };
    } else if (this.waiting.size > 0) {
      this.unanswered.notificationBytes += bytes;
      this.checkUnanswered();
    }
    if (this.stopped) return;
    this.onmessage?.(message);
  }

  private recordNoise(line: string, bytes: number): void {
    this.noise.lines += 1;
    const glued = /\{\s*"jsonrpc"\s*:/.test(line.slice(0, 4_096));
    if (glued) this.noise.glued += 1;
    // Cut outside tokens: a secret cut in half could no longer be recognised and masked.
    if (this.noise.samples.length < MAX_NOISE_SAMPLES) this.noise.samples.push(truncateSafely(line.slice(0, NOISE_SAMPLE_CHARS * 2), NOISE_SAMPLE_CHARS, ''));
    if (this.waiting.size > 0) {
      this.unanswered.noiseLines += 1;
      this.unanswered.noiseBytes += bytes;
      // The answer we wait for, with other text on its line: it will never come in a readable form.
      if (glued && this.waiting.has(gluedResponseId(line) ?? NaN)) {
        const n = this.unanswered.noiseLines;
        this.setFault(`wrote ${n} non-JSON-RPC ${n === 1 ? 'line' : 'lines'} to stdout before answering; its answer came with other text on the same line`);
        return;
      }
      this.checkUnanswered();
    }
  }

  /** Non-JSON-RPC lines since the last answer while a request waited (what a timeout should name). */
  get noiseSinceAnswer(): number {
    return this.unanswered.noiseLines;
  }

  private checkUnanswered(): void {
    const { notificationBytes, noiseBytes, noiseLines } = this.unanswered;
    if (notificationBytes + noiseBytes <= MAX_UNANSWERED_BYTES) return;
    this.setFault(
      notificationBytes >= noiseBytes
        ? `sent ${mib(notificationBytes)} MiB of notifications before answering (bound: ${MAX_UNANSWERED_BYTES / MiB} MiB)`
        : `wrote ${noiseLines} non-JSON-RPC lines (${mib(noiseBytes)} MiB) to stdout before answering (bound: ${MAX_UNANSWERED_BYTES / MiB} MiB)`,
    );
  }

  /** Records the first protocol fault, tells the client, and ends the session: no answer can come now. */
  private setFault(fault: string): void {
    this.lineChunks = [];
    clearTimeout(this.overLongTimer);
    if (this.fault !== undefined) return;
    this.fault = fault;
    this.onerror?.(new Error(`the server ${fault}`));
    void this.close();
  }
}

/** The id of a JSON-RPC response found inside a line with other text around it, if there is one. */
function gluedResponseId(line: string): string | number | undefined {
  const start = line.indexOf('{');
  const end = line.lastIndexOf('}');
  if (start === -1 || end <= start) return undefined;
  try {
    const inner: unknown = JSON.parse(line.slice(start, end + 1));
    if (jsonRpcViolation(inner) !== undefined) return undefined;
    const id = (inner as { id?: unknown; method?: unknown }).id;
    return (inner as { method?: unknown }).method === undefined && (typeof id === 'string' || typeof id === 'number') ? id : undefined;
  } catch {
    return undefined;
  }
}

function mib(bytes: number): string {
  return (Math.round((bytes / MiB) * 10) / 10).toString();
}

/**
 * Why a parsed line is not a valid JSON-RPC 2.0 message: `'not-json-rpc'` when it does not even try
 * to be one (a log line that happens to be JSON: noise), a short reason when it tries and fails,
 * undefined when it is valid.
 */
function jsonRpcViolation(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not-json-rpc';
  const message = value as Record<string, unknown>;
  const hasMethod = 'method' in message;
  const isResponse = 'id' in message && ('result' in message || 'error' in message);
  if (!hasMethod && !isResponse) return message.jsonrpc === '2.0' && 'id' in message ? 'a response with neither result nor error' : 'not-json-rpc';
  if (!('jsonrpc' in message)) return 'no jsonrpc member';
  if (message.jsonrpc !== '2.0') return `jsonrpc is ${JSON.stringify(message.jsonrpc)?.slice(0, 20)}, not "2.0"`;
  if (hasMethod && typeof message.method !== 'string') return 'method is not a string';
  if (!hasMethod) {
    if ('result' in message && 'error' in message) return 'a response with both result and error';
    const id = message.id;
    if (typeof id !== 'string' && typeof id !== 'number' && id !== null) return 'response id is not a string or number';
    if (id === null) {
      // Only an error may carry a null id: the server could not read a request of ours.
      const error = message.error as { message?: unknown } | undefined;
      return typeof error?.message === 'string' ? `an error with id null: ${JSON.stringify(truncateSafely(error.message, 120))}` : 'response id is null';
    }
  }
  return undefined;
}

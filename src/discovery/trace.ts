import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { boundValue } from '../inventory/bounded.js';
import { boundText, createSanitiser } from '../probe/sanitise.js';

/**
 * `--debug`: a trace of the protocol traffic (requests, responses, notifications, with timings) on
 * stderr. Every message goes through the one masking function (src/secrets, via the probe
 * sanitiser, which also hides the values the user gave the server) before it is cut to its bound,
 * so the trace is as safe to paste into an issue as the reports.
 */

export type TraceSink = (line: string) => void;

let sink: TraceSink | undefined;
let written = { lines: 0, bytes: 0, stopped: false };

export const TRACE_MAX_MESSAGE_CHARS = 2_000;
export const TRACE_MAX_LINES = 2_000;
export const TRACE_MAX_BYTES = 1024 * 1024;

/** Turns the trace on (main.ts, for --debug); `undefined` turns it off again (tests). */
export function setProtocolTrace(write: TraceSink | undefined): void {
  sink = write;
  written = { lines: 0, bytes: 0, stopped: false };
}

export function protocolTraceEnabled(): boolean {
  return sink !== undefined;
}

/** One line of --debug timing (rules, risk, reports) for `target`, when the trace is on. */
export function traceTiming(target: string, what: string): void {
  if (sink !== undefined) emit(`mcp-preflight debug [${target}] ${what}`);
}

function emit(line: string): void {
  if (sink === undefined || written.stopped) return;
  if (written.lines >= TRACE_MAX_LINES || written.bytes + line.length > TRACE_MAX_BYTES) {
    written.stopped = true;
    sink(`mcp-preflight debug: protocol trace stopped after ${written.lines} lines (bound: ${TRACE_MAX_LINES} lines, ${TRACE_MAX_BYTES} bytes)`);
    return;
  }
  written.lines += 1;
  written.bytes += line.length;
  sink(line);
}

function describe(message: JSONRPCMessage): string {
  const record = message as Record<string, unknown>;
  if (typeof record.method === 'string') return 'id' in record ? `request ${record.method}` : `notification ${record.method}`;
  return 'error' in record ? 'error response' : 'response';
}

/**
 * Wraps `transport` in place (its own `send` and `onmessage`), so every property the client looks
 * for (a stdio transport's `pid`, an HTTP transport's session) stays where it is.
 */
export function traceTransport<T extends Transport>(transport: T, label: string, knownValues: readonly string[] = []): T {
  if (sink === undefined) return transport;
  const sanitiser = createSanitiser(knownValues);
  const started = performance.now();
  const pending = new Map<string | number, number>();
  const line = (direction: '→' | '←', message: JSONRPCMessage): void => {
    const now = performance.now();
    const record = message as Record<string, unknown>;
    const id = record.id as string | number | undefined;
    let latency = '';
    if (direction === '→' && id !== undefined && typeof record.method === 'string') pending.set(id, now);
    if (direction === '←' && id !== undefined && typeof record.method !== 'string' && pending.has(id)) {
      latency = ` (${Math.round(now - pending.get(id)!)} ms)`;
      pending.delete(id);
    }
    let json: string;
    // Each string is cut before masking and serialising: one 20 MiB string must not be copied,
    // scanned by every secret pattern and serialised just to keep its first 2,000 characters.
    const cuts = {};
    const cutMessage = boundValue(message, '', cuts, TRACE_MAX_MESSAGE_CHARS);
    try {
      json = JSON.stringify(sanitiser.deep(cutMessage)) ?? '';
    } catch {
      json = '[unserialisable message]';
    }
    const bounded = boundText(json, TRACE_MAX_MESSAGE_CHARS);
    const cutBytes = Object.values(cuts as Record<string, { bytes: number }>).reduce((sum, cut) => sum + cut.bytes, 0);
    const jsonBytes = Buffer.byteLength(json, 'utf8');
    const size = cutBytes > 0 ? ` …[at least ${Math.max(jsonBytes, cutBytes)} bytes]` : bounded.truncated ? ` …[${jsonBytes} bytes]` : '';
    emit(`mcp-preflight debug [${sanitiser.text(label)}] +${Math.round(now - started)}ms ${direction} ${describe(message)}${latency}: ${bounded.text}${size}`);
  };

  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    line('→', message);
    return send(message, options);
  };
  let handler: Transport['onmessage'];
  const traced: NonNullable<Transport['onmessage']> = (message, extra) => {
    line('←', message);
    handler?.(message, extra);
  };
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => (handler === undefined ? undefined : traced),
    set: (value: Transport['onmessage']) => {
      handler = value;
    },
  });
  emit(`mcp-preflight debug [${sanitiser.text(label)}] +0ms connecting`);
  return transport;
}

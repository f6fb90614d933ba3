import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';

/**
 * The server's own `_meta` from the handshake, as it came over the wire: the SDK client keeps
 * `serverInfo` without it. Legacy servers may put it in `initialize`'s `serverInfo._meta` or the
 * result's `_meta`; 2026-07-28 servers in `server/discover`'s result `_meta` (the
 * `io.modelcontextprotocol/serverInfo` entry's own `_meta` included). The protocol's reserved
 * `io.modelcontextprotocol/*` keys are left out: they are protocol, not the server's metadata.
 * Ownership rules read owner and security-contact keys from it. Bounded.
 */

export const MAX_SERVER_META_BYTES = 4_096;
const HANDSHAKE_METHODS = new Set(['initialize', 'server/discover']);
const RESERVED_PREFIX = 'io.modelcontextprotocol/';

export interface ServerMetaRecorder {
  /** What the handshake carried, or undefined when it carried nothing (or too much). */
  meta: () => Record<string, unknown> | undefined;
  /** What became of the era probe, which the SDK does not tell (src/discovery/era.ts reads it). */
  probe: () => EraProbeTrace;
}

/** The `server/discover` probe as seen on the wire, and whether `initialize` followed. */
export interface EraProbeTrace {
  sent: boolean;
  /** The JSON-RPC answer to the probe: its result, or its error. */
  answer?: { result: unknown } | { error: { code?: unknown; message?: unknown } };
  /** Sending the probe failed (over HTTP: an error status, a redirect, an unreadable reply). */
  sendError?: unknown;
  initializeSent: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function ownEntries(meta: unknown): Array<[string, unknown]> {
  return isRecord(meta) ? Object.entries(meta).filter(([key]) => !key.startsWith(RESERVED_PREFIX)) : [];
}

/** The non-reserved `_meta` entries of a handshake result. */
export function handshakeMeta(result: unknown): Record<string, unknown> {
  if (!isRecord(result)) return {};
  const info = isRecord(result.serverInfo)
    ? result.serverInfo
    : isRecord(result._meta) && isRecord(result._meta[`${RESERVED_PREFIX}serverInfo`])
      ? (result._meta[`${RESERVED_PREFIX}serverInfo`] as Record<string, unknown>)
      : undefined;
  return Object.fromEntries([...ownEntries(info?._meta), ...ownEntries(result._meta)]);
}

/** Wraps `transport` in place (as the --debug trace does) and records the handshake's `_meta`. */
export function recordServerMeta<T extends Transport>(transport: T): { transport: T; recorder: ServerMetaRecorder } {
  const handshakeIds = new Set<string | number>();
  let recorded: Record<string, unknown> = {};
  const probe: EraProbeTrace = { sent: false, initializeSent: false };
  let probeId: string | number | undefined;
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const record = message as Record<string, unknown>;
    if (typeof record.method === 'string' && HANDSHAKE_METHODS.has(record.method) && (typeof record.id === 'string' || typeof record.id === 'number'))
      handshakeIds.add(record.id);
    if (record.method === 'initialize') probe.initializeSent = true;
    if (record.method !== 'server/discover') return send(message, options);
    probe.sent = true;
    probeId = record.id as string | number;
    return send(message, options).catch((error: unknown) => {
      probe.sendError = error;
      throw error;
    });
  };
  let handler: Transport['onmessage'];
  const watching: NonNullable<Transport['onmessage']> = (message: JSONRPCMessage, extra) => {
    const record = message as Record<string, unknown>;
    if (probeId !== undefined && record.id === probeId && probe.answer === undefined) {
      probe.answer = 'error' in record ? { error: isRecord(record.error) ? record.error : {} } : { result: record.result };
    }
    if ((typeof record.id === 'string' || typeof record.id === 'number') && handshakeIds.has(record.id) && 'result' in record) {
      handshakeIds.delete(record.id);
      recorded = { ...recorded, ...handshakeMeta(record.result) };
    }
    handler?.(message, extra);
  };
  // Another wrapper (the --debug trace) may already own the property: chain through it, so both see every message.
  const previous = Object.getOwnPropertyDescriptor(transport, 'onmessage');
  const chained = previous?.get !== undefined && previous.set !== undefined ? (previous as Required<Pick<PropertyDescriptor, 'get' | 'set'>>) : undefined;
  if (chained === undefined && transport.onmessage !== undefined) handler = transport.onmessage;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => (chained ? (chained.get.call(transport) as unknown) : handler === undefined ? undefined : watching),
    set: (value: Transport['onmessage']) => {
      handler = value;
      if (chained) chained.set.call(transport, value === undefined ? undefined : watching);
    },
  });
  return {
    transport,
    recorder: {
      meta: () => (Object.keys(recorded).length === 0 || JSON.stringify(recorded).length > MAX_SERVER_META_BYTES ? undefined : recorded),
      probe: () => probe,
    },
  };
}

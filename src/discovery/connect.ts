import { Client, SSEClientTransport, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { readFileSync } from 'node:fs';
import { fetchWithCa } from '../http/ca-fetch.js';
import type { LogNotification, ProtocolEra, TransportKind } from '../inventory/model.js';
import { boundLogNotification } from '../inventory/bounded.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { HttpTargetSpec, StdioTargetSpec, TargetSpec } from './target.js';
import { GroupKillingStdioTransport } from './stdio-transport.js';
import type { Deadline } from './deadline.js';
import { httpStatus } from './errors.js';
import { checkTcpReachable, FETCH_BAD_PORTS } from './tcp-check.js';
import { recordServerMeta, type ServerMetaRecorder } from './server-meta.js';
import { probeFailedBeforeInitialize, probeOutcome } from './era.js';
import { watchHttpWire, type HttpWire } from './http-wire.js';
import { traceTransport } from './trace.js';

const MAX_LOG_NOTIFICATIONS = 200;

/** Legacy HTTP+SSE is tried only when the Streamable HTTP POST is answered with one of these. */
const SSE_FALLBACK_STATUSES = new Set([400, 404, 405]);

export interface Connection {
  client: Client;
  transport: TransportKind;
  era: ProtocolEra;
  protocolVersion?: string;
  sseFallback?: { status: number; reason: string };
  eraFallback?: EraFallback;
  /** Present for stdio targets: stderr tail and stdout noise live there. */
  stdio?: GroupKillingStdioTransport;
  logNotifications: LogNotification[];
  /** The server's own `_meta` from the handshake (the client drops it), when there was any. */
  serverMeta(): Record<string, unknown> | undefined;
  connectMs: number;
  close(): Promise<void>;
}

/** What every scan advertises (recorded in the capability lockfile: a surface may depend on it). */
export const CLIENT_CAPABILITIES = { roots: { listChanged: false }, sampling: {}, elicitation: { form: {} } };

/**
 * A client that advertises roots, sampling and elicitation, because some servers only show
 * everything to clients that have them, but never acts on them: roots are empty, sampling is
 * refused and elicitation declined.
 */
function createClient(logNotifications: LogNotification[], negotiate: boolean, probeTimeoutMs: number): Client {
  const client = new Client(
    { name: TOOL_NAME, version: TOOL_VERSION },
    {
      capabilities: CLIENT_CAPABILITIES,
      versionNegotiation: negotiate ? { mode: 'auto', probe: { timeoutMs: probeTimeoutMs } } : { mode: 'legacy' },
    },
  );
  client.setRequestHandler('roots/list', () => ({ roots: [] }));
  client.setRequestHandler('sampling/createMessage', () => {
    throw new Error('mcp-preflight does not fulfil sampling requests during a scan');
  });
  client.setRequestHandler('elicitation/create', () => ({ action: 'decline' as const }));
  client.setNotificationHandler('notifications/message', (notification) => {
    if (logNotifications.length >= MAX_LOG_NOTIFICATIONS) return;
    const params = notification.params as { level?: string; logger?: string; data?: unknown };
    logNotifications.push(boundLogNotification(params));
  });
  // Transport-level noise (a bad line, a dropped stream) is not fatal; failures surface on requests.
  client.onerror = () => {};
  return client;
}

function eraOf(client: Client): ProtocolEra {
  return client.getProtocolEra() === 'modern' ? 'modern' : 'legacy';
}

/** Why the legacy era was used although the client probed: the SDK fell back, or we connected again. */
function eraFallbackOf(client: Client, recorder: ServerMetaRecorder, probeMs: number, reconnected?: EraFallback): EraFallback | undefined {
  if (reconnected !== undefined) return reconnected;
  if (eraOf(client) !== 'legacy' || !recorder.probe().sent) return undefined;
  return { reason: `${probeOutcome(recorder.probe(), probeMs)}; used initialize`, reconnected: false };
}

async function connectClient(client: Client, transport: Transport, deadline: Deadline): Promise<void> {
  await client.connect(transport, { timeout: deadline.remainingMs(), signal: deadline.signal });
}

/**
 * Over stdio the SDK falls back to `initialize` in place (a JSON-RPC error, a non-2026 result,
 * silence). A server that exits on the probe (some die on any request before `initialize`) is
 * started once more with `initialize` alone, as any 2025 client would reach it, and the report says
 * so. Kill-switch verification launches once (`attempt.singleLaunch`): there a server that refuses
 * to start is the outcome being checked. If the second start fails too, the first failure is the
 * one reported.
 */
export async function connectStdio(spec: StdioTargetSpec, deadline: Deadline, attempt: ConnectAttempt): Promise<Connection> {
  const started = performance.now();
  const probeMs = probeTimeout(deadline);
  try {
    return await connectStdioOnce(spec, deadline, attempt, started, probeMs, true);
  } catch (error) {
    const probe = attempt.probe?.();
    // It exited on its own (not killed by us when the connect gave up).
    const exit = attempt.stdio?.exit;
    const exited = exit !== undefined && exit.signal === null;
    if (attempt.singleLaunch === true || probe === undefined || !exited || !probeFailedBeforeInitialize(error, probe, deadline)) throw error;
    const first = { stdio: attempt.stdio, probe: attempt.probe };
    const reason = `${probeOutcome(probe, probeMs, error)}; started it again with initialize`;
    try {
      return await connectStdioOnce(spec, deadline, attempt, started, probeMs, false, { reason, reconnected: true });
    } catch {
      Object.assign(attempt, first);
      throw error;
    }
  }
}

async function connectStdioOnce(
  spec: StdioTargetSpec,
  deadline: Deadline,
  attempt: ConnectAttempt,
  started: number,
  probeMs: number,
  negotiate: boolean,
  fallback?: EraFallback,
): Promise<Connection> {
  const logNotifications: LogNotification[] = [];
  const { transport, recorder } = recordServerMeta(
    traceTransport(
      new GroupKillingStdioTransport({ command: spec.command, args: spec.args, env: spec.env, cwd: spec.cwd }),
      spec.name,
      Object.values(spec.env),
    ),
  );
  attempt.stdio = transport;
  attempt.probe = recorder.probe;
  const client = createClient(logNotifications, negotiate, probeMs);
  const close = async () => {
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
  };
  try {
    await connectClient(client, transport, deadline);
  } catch (error) {
    await close();
    throw error;
  }
  const eraFallback = eraFallbackOf(client, recorder, probeMs, fallback);
  return {
    client,
    transport: 'stdio',
    era: eraOf(client),
    protocolVersion: client.getNegotiatedProtocolVersion(),
    ...(eraFallback ? { eraFallback } : {}),
    stdio: transport,
    logNotifications,
    serverMeta: recorder.meta,
    connectMs: performance.now() - started,
    close,
  };
}

export async function connectHttp(spec: HttpTargetSpec, deadline: Deadline, attempt: ConnectAttempt = {}): Promise<Connection> {
  const started = performance.now();
  const url = new URL(spec.url);
  await checkTcpReachable(url, deadline);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (FETCH_BAD_PORTS.has(port)) {
    throw new Error(`port ${port} is on fetch's list of blocked ports, so no MCP client can reach it; serve the endpoint on another port`);
  }
  const requestInit: RequestInit = { headers: spec.headers };
  // --ca FILE: a private CA for an https target (global fetch takes no per-request CA).
  const caFetch = spec.caFile !== undefined && url.protocol === 'https:' ? { fetch: fetchWithCa(readFileSync(spec.caFile, 'utf8')) } : {};

  const probeMs = probeTimeout(deadline);
  const wire = watchHttpWire(caFetch.fetch ?? fetch);
  attempt.http = wire;
  const once = async (fallback?: EraFallback): Promise<Connection> => {
    const { transport: streamable, recorder } = recordServerMeta(
      traceTransport(
        new StreamableHTTPClientTransport(url, {
          requestInit,
          fetch: wire.fetch,
          redirectPolicy: 'same-origin',
          reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1_000, maxReconnectionDelay: 1_000, reconnectionDelayGrowFactor: 1 },
        }),
        spec.name,
        headerValues(spec.headers),
      ),
    );
    const logNotifications: LogNotification[] = [];
    const client = createClient(logNotifications, fallback === undefined, probeMs);
    try {
      await connectClient(client, streamable, deadline);
    } catch (error) {
      await client.close().catch(() => {});
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { [PROBE]: recorder.probe() });
    }
    const eraFallback = eraFallbackOf(client, recorder, probeMs, fallback);
    return {
      client,
      transport: 'streamable-http',
      era: eraOf(client),
      protocolVersion: client.getNegotiatedProtocolVersion(),
      ...(eraFallback ? { eraFallback } : {}),
      logNotifications,
      serverMeta: recorder.meta,
      connectMs: performance.now() - started,
      close: async () => {
        // A stateful server keeps our session otherwise; 405 (no session support) is fine.
        await streamable.terminateSession().catch(() => {});
        await client.close().catch(() => {});
      },
    };
  };
  let eraFallback: EraFallback | undefined;
  try {
    try {
      return await once();
    } catch (error) {
      const probe = (error as { [PROBE]?: ReturnType<ServerMetaRecorder['probe']> })[PROBE];
      if (probe === undefined || !probeFailedBeforeInitialize(error, probe, deadline)) throw error;
      eraFallback = { reason: `${probeOutcome(probe, probeMs, error)}; connected again with initialize`, reconnected: true };
      return await once(eraFallback);
    }
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined || !SSE_FALLBACK_STATUSES.has(status)) throw error;
    const sse = await connectLegacySse(spec, url, requestInit, status, deadline, started, caFetch);
    return eraFallback ? { ...sse, eraFallback } : sse;
  }
}

/** Where a failed HTTP connect keeps its probe trace (the error is the SDK's own). */
const PROBE = Symbol('eraProbe');

/** The 2024-11-05 HTTP+SSE transport: only after Streamable HTTP was refused with 400/404/405. */
async function connectLegacySse(
  spec: HttpTargetSpec,
  url: URL,
  requestInit: RequestInit,
  status: number,
  deadline: Deadline,
  started: number,
  caFetch: { fetch?: typeof fetch } = {},
): Promise<Connection> {
  const logNotifications: LogNotification[] = [];
  const { transport: sse, recorder } = recordServerMeta(
    traceTransport(new SSEClientTransport(url, { requestInit, redirectPolicy: 'same-origin', ...caFetch }), spec.name, headerValues(spec.headers)),
  );
  // A Client is single-use after a failed connect, so a fresh one; SSE is legacy-only.
  const client = createClient(logNotifications, false, 0);
  try {
    await connectClient(client, sse, deadline);
  } catch (error) {
    // Without close() the EventSource keeps reconnecting and the process never exits.
    await client.close().catch(() => {});
    await sse.close().catch(() => {});
    throw error;
  }
  return {
    client,
    transport: 'sse',
    era: 'legacy',
    protocolVersion: client.getNegotiatedProtocolVersion(),
    sseFallback: { status, reason: `Streamable HTTP POST to ${spec.url} was answered ${status}; connected with legacy HTTP+SSE` },
    logNotifications,
    serverMeta: recorder.meta,
    connectMs: performance.now() - started,
    close: async () => {
      await client.close().catch(() => {});
      await sse.close().catch(() => {});
    },
  };
}

/** Header values (and the credential after `Bearer `), masked literally in the --debug trace. */
function headerValues(headers: Record<string, string>): string[] {
  return Object.values(headers).flatMap((value) => [value, value.replace(/^\s*(?:Bearer|Basic|Token)\s+/i, '')]);
}

/** Filled while connecting, so a failure can still show the server's stderr and exit status. */
export interface ConnectAttempt {
  /** Start a stdio server once, even if it exits on the era probe (kill-switch verification). */
  singleLaunch?: boolean;
  stdio?: GroupKillingStdioTransport;
  probe?: ServerMetaRecorder['probe'];
  /** Present for HTTP targets: how far the last request got. */
  http?: HttpWire;
}

/** The legacy era after a probe that did not give 2026-07-28; `reconnected` when we connected again (HTTP). */
export interface EraFallback {
  reason: string;
  reconnected: boolean;
}

export function connect(spec: TargetSpec, deadline: Deadline, attempt: ConnectAttempt = {}): Promise<Connection> {
  return spec.kind === 'stdio' ? connectStdio(spec, deadline, attempt) : connectHttp(spec, deadline, attempt);
}

/**
 * The era probe (`server/discover`) gets a share of the budget: a legacy stdio server that ignores
 * unknown requests before `initialize` must leave time for the `initialize` fallback.
 */
function probeTimeout(deadline: Deadline): number {
  return Math.max(1_000, Math.min(5_000, Math.floor(deadline.remainingMs() / 3)));
}

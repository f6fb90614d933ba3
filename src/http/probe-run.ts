import type { HttpTargetSpec } from '../discovery/target.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { sendRaw } from './request.js';
import type { ProbeExchange } from './types.js';

/**
 * What the HTTP probes of one target share: the time budget, the JSON-RPC ids, the credentials to
 * drop or mask, and the sessions to end afterwards. Every request goes to the target's own origin.
 */
export interface HttpProbeContext {
  /** Time left for the probes (the rest of the target's budget), in ms. */
  budgetMs: number;
  /** The revision live discovery negotiated, if it ran. */
  protocolVersion?: string;
  /** PEM of a private CA (--ca), for https targets. */
  ca?: string;
}

/** Upper bound for one request. */
export const MAX_REQUEST_MS = 5_000;

/** Header names that carry credentials: the anonymous probe drops them, reports never show their values. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey)$|token|secret|auth|session|key$/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

const POST_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

export interface SendInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  path?: string;
  headersOnly?: boolean;
}

export class ProbeRun {
  readonly started = performance.now();
  readonly url: URL;
  readonly notes: string[] = [];
  /** The revision the probes' initialize requests speak. */
  readonly protocolVersion: string;
  readonly credentialHeaders: string[];
  /** The scan's headers without its credentials. */
  readonly anonymousHeaders: Record<string, string>;
  private readonly endsAt: number;
  private readonly secretHeaders: ReadonlySet<string>;
  private nextId = 1;
  private readonly sessionsToEnd: Array<{ id: string; headers: Record<string, string> }> = [];

  constructor(
    readonly spec: HttpTargetSpec,
    readonly context: HttpProbeContext,
  ) {
    this.endsAt = this.started + Math.max(0, context.budgetMs);
    this.url = new URL(spec.url);
    this.protocolVersion = context.protocolVersion && context.protocolVersion < '2026' ? context.protocolVersion : '2025-11-25';
    if (context.protocolVersion && context.protocolVersion !== this.protocolVersion) {
      this.notes.push(`the server negotiated ${context.protocolVersion}; the probes speak the initialize handshake of ${this.protocolVersion}`);
    }
    this.credentialHeaders = Object.keys(spec.headers).filter(isCredentialHeader).sort();
    this.secretHeaders = new Set(this.credentialHeaders.map((name) => name.toLowerCase()));
    this.anonymousHeaders = Object.fromEntries(Object.entries(spec.headers).filter(([name]) => !isCredentialHeader(name)));
  }

  remaining(): number {
    return this.endsAt - performance.now();
  }

  /** Whether there is time for `what`; when not, says so in the notes. */
  timeLeft(what: string): boolean {
    if (this.remaining() > 50) return true;
    this.notes.push(`${what}: not probed, the target's time budget ran out`);
    return false;
  }

  send(purpose: string, init: SendInit): Promise<ProbeExchange> {
    return sendRaw({
      purpose,
      url: init.path === undefined ? this.url : new URL(init.path, this.url),
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.headersOnly ? { headersOnly: true } : {}),
      timeoutMs: Math.max(1, Math.min(MAX_REQUEST_MS, Math.floor(this.remaining()))),
      ...(this.context.ca ? { ca: this.context.ca } : {}),
      secretHeaders: this.secretHeaders,
    });
  }

  post(purpose: string, headers: Record<string, string>, body: string): Promise<ProbeExchange> {
    return this.send(purpose, { method: 'POST', headers: { ...POST_HEADERS, ...headers }, body });
  }

  initialize(purpose: string, headers: Record<string, string>): Promise<ProbeExchange> {
    return this.post(
      purpose,
      headers,
      JSON.stringify({
        jsonrpc: '2.0',
        id: this.nextId++,
        method: 'initialize',
        params: { protocolVersion: this.protocolVersion, capabilities: {}, clientInfo: { name: `${TOOL_NAME}-probe`, version: TOOL_VERSION } },
      }),
    );
  }

  /** `notifications/initialized`, then `tools/list`, in a session opened with `headers`. */
  async listTools(purpose: string, headers: Record<string, string>, notify: string): Promise<ProbeExchange> {
    await this.post(notify, headers, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    return this.toolsList(purpose, headers);
  }

  toolsList(purpose: string, headers: Record<string, string>): Promise<ProbeExchange> {
    return this.post(purpose, headers, JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method: 'tools/list' }));
  }

  /** Notes a session the probes opened, to end it afterwards; returns its id. */
  remember(exchange: ProbeExchange, headers: Record<string, string>): string | undefined {
    const id = exchange.headers['mcp-session-id'];
    if (id !== undefined && exchange.status !== undefined && exchange.status < 300) this.sessionsToEnd.push({ id, headers });
    return id;
  }

  /** Ends every session the probes opened (best effort; 405 means the server does not support DELETE), so a stateful server does not keep them. */
  async endSessions(version: string): Promise<void> {
    for (const session of this.sessionsToEnd) {
      if (this.remaining() < 20) break;
      await this.send('DELETE a probe session', { method: 'DELETE', headers: sessionHeaders(session.headers, session.id, version) });
    }
  }
}

export function sessionHeaders(headers: Record<string, string>, sessionId: string | undefined, version: string): Record<string, string> {
  return {
    ...headers,
    ...(sessionId !== undefined ? { 'Mcp-Session-Id': sessionId } : {}),
    'MCP-Protocol-Version': version,
  };
}

/** A 2xx with a JSON-RPC result. */
export function ok(exchange: ProbeExchange | undefined): boolean {
  return exchange?.status !== undefined && exchange.status >= 200 && exchange.status < 300 && exchange.jsonrpc?.hasResult === true;
}

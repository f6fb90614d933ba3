import type { HttpTargetSpec } from '../discovery/target.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseChallenge } from './challenge.js';
import { isLoopbackHost } from './loopback.js';
import { sendRaw } from './request.js';
import { probeTls } from './tls.js';
import type { HttpFacts, ProbeExchange, ResourceMetadataProbe } from './types.js';

export { isLoopbackHost } from './loopback.js';

/**
 * HTTP surface probes: a fixed, small set of raw requests to the target's origin (never another
 * one), each bounded in time and size, that show how the endpoint treats a client without
 * credentials, a foreign Origin or Host, a CORS preflight, several sessions, a bad protocol-version
 * header and a GET. Results are facts; a server's misbehaviour (errors, hangs, garbage) is recorded,
 * never thrown. See docs/http-probes.md for what each probe sends.
 */
export interface HttpProbeContext {
  /** Time left for the probes (the rest of the target's budget), in ms. */
  budgetMs: number;
  /** The revision live discovery negotiated, if it ran. */
  protocolVersion?: string;
  /** PEM of a private CA (--ca), for https targets. */
  ca?: string;
}

/** The foreign origin and host the probes pretend to come from (reserved, never resolved). */
export const FOREIGN_ORIGIN = 'http://evil.example';
export const FOREIGN_HOST = 'evil.example';
export const INVALID_PROTOCOL_VERSION = '1999-01-01';
/** Fresh sessions opened to sample Mcp-Session-Id values (the baseline session makes one more). */
export const SESSION_SAMPLES = 3;
/** Upper bound for one request. */
export const MAX_REQUEST_MS = 5_000;

/** Header names that carry credentials: the anonymous probe drops them, reports never show their values. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey)$|token|secret|auth|session|key$/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

function initializeBody(protocolVersion: string, id: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: `${TOOL_NAME}-probe`, version: TOOL_VERSION } },
  });
}

const POST_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

export async function probeHttpSurface(spec: HttpTargetSpec, context: HttpProbeContext): Promise<HttpFacts> {
  const started = performance.now();
  const endsAt = started + Math.max(0, context.budgetMs);
  const url = new URL(spec.url);
  const notes: string[] = [];
  const protocolVersion = context.protocolVersion && context.protocolVersion < '2026' ? context.protocolVersion : '2025-11-25';
  if (context.protocolVersion && context.protocolVersion !== protocolVersion) {
    notes.push(`the server negotiated ${context.protocolVersion}; the probes speak the initialize handshake of ${protocolVersion}`);
  }
  const credentialHeaders = Object.keys(spec.headers).filter(isCredentialHeader).sort();
  const secretHeaders = new Set(credentialHeaders.map((name) => name.toLowerCase()));
  const anonymousHeaders = Object.fromEntries(Object.entries(spec.headers).filter(([name]) => !isCredentialHeader(name)));
  let nextId = 1;

  const remaining = () => endsAt - performance.now();
  const send = (purpose: string, init: { method: string; headers: Record<string, string>; body?: string; path?: string; headersOnly?: boolean }) =>
    sendRaw({
      purpose,
      url: init.path === undefined ? url : new URL(init.path, url),
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.headersOnly ? { headersOnly: true } : {}),
      timeoutMs: Math.max(1, Math.min(MAX_REQUEST_MS, Math.floor(remaining()))),
      ...(context.ca ? { ca: context.ca } : {}),
      secretHeaders,
    });
  const timeLeft = (what: string) => {
    if (remaining() > 50) return true;
    notes.push(`${what}: not probed, the target's time budget ran out`);
    return false;
  };
  const post = (purpose: string, headers: Record<string, string>, body: string) => send(purpose, { method: 'POST', headers: { ...POST_HEADERS, ...headers }, body });
  const initialize = (purpose: string, headers: Record<string, string>) => post(purpose, headers, initializeBody(protocolVersion, nextId++));

  /** Ends a session the probes opened (best effort; 405 means the server does not support DELETE). */
  const sessionsToEnd: Array<{ id: string; headers: Record<string, string> }> = [];
  const remember = (exchange: ProbeExchange, headers: Record<string, string>) => {
    const id = exchange.headers['mcp-session-id'];
    if (id !== undefined && exchange.status !== undefined && exchange.status < 300) sessionsToEnd.push({ id, headers });
    return id;
  };
  const sessionHeaders = (headers: Record<string, string>, sessionId: string | undefined, version: string) => ({
    ...headers,
    ...(sessionId !== undefined ? { 'Mcp-Session-Id': sessionId } : {}),
    'MCP-Protocol-Version': version,
  });
  const ok = (exchange: ProbeExchange | undefined) => exchange?.status !== undefined && exchange.status >= 200 && exchange.status < 300 && exchange.jsonrpc?.hasResult === true;

  // 1. No credentials at all: initialize, then tools/list in that session.
  const anonymousInit = await initialize('initialize without credentials', anonymousHeaders);
  const anonymousSession = remember(anonymousInit, anonymousHeaders);
  let anonymousList: ProbeExchange | undefined;
  if (ok(anonymousInit) && timeLeft('tools/list without credentials')) {
    const version = anonymousInit.jsonrpc?.protocolVersion ?? protocolVersion;
    const headers = sessionHeaders(anonymousHeaders, anonymousSession, version);
    await post('initialized notification without credentials', headers, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    anonymousList = await post('tools/list without credentials', headers, JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: 'tools/list' }));
  }
  const accessGranted = ok(anonymousInit) && ok(anonymousList);
  const challenge =
    anonymousInit.status === 401 || anonymousInit.status === 403 ? parseChallenge(anonymousInit.status, anonymousInit.headers['www-authenticate']) : undefined;

  // 2. RFC 9728: the challenge's resource_metadata (same origin only), path-suffixed, root.
  const resourceMetadata: ResourceMetadataProbe[] = [];
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const candidates: Array<{ source: ResourceMetadataProbe['source']; url: string }> = [];
  const advertised = challenge?.params.resource_metadata;
  if (advertised !== undefined) {
    let resolved: string;
    try {
      resolved = new URL(advertised, url).href;
    } catch {
      resolved = advertised;
    }
    candidates.push({ source: 'header', url: resolved });
  }
  candidates.push({ source: 'path-suffixed', url: new URL(`/.well-known/oauth-protected-resource${path}`, url).href });
  candidates.push({ source: 'root', url: new URL('/.well-known/oauth-protected-resource', url).href });
  const fetched = new Map<string, ResourceMetadataProbe>();
  for (const candidate of candidates) {
    let target: URL | undefined;
    try {
      target = new URL(candidate.url);
    } catch {
      target = undefined;
    }
    const sameOrigin = target !== undefined && target.origin === url.origin;
    if (!sameOrigin || target === undefined) {
      resourceMetadata.push({ source: candidate.source, url: candidate.url, sameOrigin: false });
      continue;
    }
    const previous = fetched.get(target.href);
    if (previous) {
      resourceMetadata.push({ ...previous, source: candidate.source });
      continue;
    }
    if (!timeLeft(`RFC 9728 document at ${target.href}`)) break;
    const exchange = await send(`RFC 9728 metadata (${candidate.source})`, { method: 'GET', headers: { ...anonymousHeaders, Accept: 'application/json' }, path: `${target.pathname}${target.search}` });
    const probe: ResourceMetadataProbe = { source: candidate.source, url: target.href, sameOrigin: true };
    if (exchange.error !== undefined) probe.error = exchange.error;
    if (exchange.status !== undefined) probe.status = exchange.status;
    if (exchange.status !== undefined && exchange.status >= 200 && exchange.status < 300) {
      try {
        const parsed: unknown = JSON.parse(exchange.body ?? '');
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) probe.document = parsed as Record<string, unknown>;
        else probe.invalid = 'the body is JSON but not an object';
      } catch {
        probe.invalid = exchange.bodyTruncated ? 'the body is larger than the probe reads' : 'the body is not JSON';
      }
    }
    fetched.set(target.href, probe);
    resourceMetadata.push(probe);
  }

  // 3. Baseline with the scan's own headers: can the probes below get in?
  const baseline = credentialHeaders.length > 0 || !ok(anonymousInit) ? await initialize('initialize with the scan\'s headers', spec.headers) : anonymousInit;
  const baselineSession = baseline === anonymousInit ? anonymousSession : remember(baseline, spec.headers);
  const access = ok(baseline);
  const version = baseline.jsonrpc?.protocolVersion ?? protocolVersion;
  const facts: HttpFacts = {
    url: url.href,
    origin: url.origin,
    scheme: url.protocol === 'https:' ? 'https' : 'http',
    loopback: isLoopbackHost(url.hostname),
    credentialHeaders,
    ...(spec.authNone ? { authNone: { reason: spec.authNone.reason } } : {}),
    protocolVersion,
    durationMs: 0,
    notes,
    anonymous: { initialize: anonymousInit, ...(anonymousList ? { toolsList: anonymousList } : {}), accessGranted },
    ...(challenge ? { challenge } : {}),
    resourceMetadata,
    baseline,
    access,
  };

  try {
    if (access && timeLeft('tools/list')) {
      const headers = sessionHeaders(spec.headers, baselineSession, version);
      await post('initialized notification', headers, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      facts.toolsList = await post('tools/list with a valid MCP-Protocol-Version', headers, JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: 'tools/list' }));
    }

    // 4. Origin: a foreign one must be refused (403 since 2025-11-25); our own must still work.
    if (timeLeft('Origin validation')) {
      const foreign = await initialize('initialize with a foreign Origin', { ...spec.headers, Origin: FOREIGN_ORIGIN });
      remember(foreign, spec.headers);
      const own = await initialize('initialize with the target\'s own Origin', { ...spec.headers, Origin: url.origin });
      remember(own, spec.headers);
      facts.originHeader = { foreignOrigin: FOREIGN_ORIGIN, foreign, own };
    }

    // 5. Host: a foreign Host header (DNS rebinding) must be refused.
    if (timeLeft('Host validation')) {
      const foreignHost = url.port ? `${FOREIGN_HOST}:${url.port}` : FOREIGN_HOST;
      const foreign = await initialize('initialize with a foreign Host', { ...spec.headers, Host: foreignHost });
      remember(foreign, spec.headers);
      facts.hostHeader = { foreignHost, foreign };
    }

    // 6. CORS preflight from a foreign origin.
    if (timeLeft('CORS preflight')) {
      const preflight = await send('CORS preflight from a foreign origin', {
        method: 'OPTIONS',
        headers: {
          ...anonymousHeaders,
          Origin: FOREIGN_ORIGIN,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, mcp-protocol-version, mcp-session-id',
        },
      });
      facts.cors = { foreignOrigin: FOREIGN_ORIGIN, preflight };
    }

    // 7. Sessions: sample several Mcp-Session-Id values.
    if (access && baselineSession !== undefined && timeLeft('session id sampling')) {
      const ids = [baselineSession];
      for (let index = 0; index < SESSION_SAMPLES && timeLeft('session id sampling'); index++) {
        const exchange = await initialize('initialize to sample a session id', spec.headers);
        const id = remember(exchange, spec.headers);
        if (id !== undefined) ids.push(id);
      }
      facts.sessions = { ids, requested: SESSION_SAMPLES + 1 };
    } else if (access) {
      facts.sessions = { ids: [], requested: 1 };
    }

    // 8. An invalid MCP-Protocol-Version must be answered 400.
    if (access && timeLeft('MCP-Protocol-Version validation')) {
      const response = await post(
        'tools/list with an invalid MCP-Protocol-Version',
        sessionHeaders(spec.headers, baselineSession, INVALID_PROTOCOL_VERSION),
        JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: 'tools/list' }),
      );
      facts.protocolVersionHeader = { sent: INVALID_PROTOCOL_VERSION, response };
    }

    // 9. GET must be an SSE stream or 405 (headers only: a stream may stay open).
    if (access && timeLeft('GET on the endpoint')) {
      facts.get = await send('GET on the endpoint', { method: 'GET', headers: { ...sessionHeaders(spec.headers, baselineSession, version), Accept: 'text/event-stream' }, headersOnly: true });
    }

    // 10. TLS, for https targets.
    if (facts.scheme === 'https' && timeLeft('TLS')) {
      facts.tls = await probeTls(url, { timeoutMs: Math.min(MAX_REQUEST_MS, Math.max(1, Math.floor(remaining()))), ...(context.ca ? { ca: context.ca } : {}) });
    }
  } finally {
    // End every session the probes opened, so a stateful server does not keep them.
    for (const session of sessionsToEnd) {
      if (remaining() < 20) break;
      await send('DELETE a probe session', { method: 'DELETE', headers: sessionHeaders(session.headers, session.id, version) });
    }
  }
  facts.durationMs = Math.round(performance.now() - started);
  return facts;
}

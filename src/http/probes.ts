import { parseChallenge } from './challenge.js';
import { MAX_REQUEST_MS, ok, sessionHeaders, type ProbeRun } from './probe-run.js';
import { probeTls } from './tls.js';
import type { AuthChallenge, HttpFacts, ProbeExchange, ResourceMetadataProbe, TlsFacts } from './types.js';

/**
 * One function per HTTP surface probe, in the order probe.ts runs them. Each returns the facts it
 * saw; a server's misbehaviour (errors, hangs, garbage) is recorded, never thrown. See
 * docs/http-probes.md for what each probe sends.
 */

/** The foreign origin and host the probes pretend to come from (reserved, never resolved). */
export const FOREIGN_ORIGIN = 'http://evil.example';
export const FOREIGN_HOST = 'evil.example';
export const INVALID_PROTOCOL_VERSION = '1999-01-01';
/** Fresh sessions opened to sample Mcp-Session-Id values (the baseline session makes one more). */
export const SESSION_SAMPLES = 3;

export interface AnonymousProbe {
  facts: HttpFacts['anonymous'];
  session: string | undefined;
  challenge: AuthChallenge | undefined;
}

/** 1. No credentials at all: initialize, then tools/list in that session. */
export async function probeAnonymous(run: ProbeRun): Promise<AnonymousProbe> {
  const initialize = await run.initialize('initialize without credentials', run.anonymousHeaders);
  const session = run.remember(initialize, run.anonymousHeaders);
  let toolsList: ProbeExchange | undefined;
  if (ok(initialize) && run.timeLeft('tools/list without credentials')) {
    const headers = sessionHeaders(run.anonymousHeaders, session, initialize.jsonrpc?.protocolVersion ?? run.protocolVersion);
    toolsList = await run.listTools('tools/list without credentials', headers, 'initialized notification without credentials');
  }
  const accessGranted = ok(initialize) && ok(toolsList);
  const challenge =
    initialize.status === 401 || initialize.status === 403 ? parseChallenge(initialize.status, initialize.headers['www-authenticate']) : undefined;
  return { facts: { initialize, ...(toolsList ? { toolsList } : {}), accessGranted }, session, challenge };
}

/** 2. RFC 9728: the challenge's resource_metadata (same origin only), path-suffixed, root. */
export async function probeResourceMetadata(run: ProbeRun, challenge: AuthChallenge | undefined): Promise<ResourceMetadataProbe[]> {
  const url = run.url;
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
    if (!run.timeLeft(`RFC 9728 document at ${target.href}`)) break;
    const probe = await fetchResourceMetadata(run, candidate.source, target);
    fetched.set(target.href, probe);
    resourceMetadata.push(probe);
  }
  return resourceMetadata;
}

async function fetchResourceMetadata(run: ProbeRun, source: ResourceMetadataProbe['source'], target: URL): Promise<ResourceMetadataProbe> {
  const exchange = await run.send(`RFC 9728 metadata (${source})`, {
    method: 'GET',
    headers: { ...run.anonymousHeaders, Accept: 'application/json' },
    path: `${target.pathname}${target.search}`,
  });
  const probe: ResourceMetadataProbe = { source, url: target.href, sameOrigin: true };
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
  return probe;
}

export interface BaselineProbe {
  exchange: ProbeExchange;
  session: string | undefined;
  access: boolean;
  /** The revision the server answered with, for the session's requests. */
  version: string;
}

/** 3. Baseline with the scan's own headers: can the probes below get in? (The anonymous session when nothing was dropped.) */
export async function probeBaseline(run: ProbeRun, anonymous: AnonymousProbe): Promise<BaselineProbe> {
  const anonymousInit = anonymous.facts.initialize;
  const headers = run.spec.headers;
  const exchange = run.credentialHeaders.length > 0 || !ok(anonymousInit) ? await run.initialize("initialize with the scan's headers", headers) : anonymousInit;
  const session = exchange === anonymousInit ? anonymous.session : run.remember(exchange, headers);
  return { exchange, session, access: ok(exchange), version: exchange.jsonrpc?.protocolVersion ?? run.protocolVersion };
}

/** tools/list in the baseline session, with a valid MCP-Protocol-Version. */
export function probeToolsList(run: ProbeRun, baseline: BaselineProbe): Promise<ProbeExchange> {
  return run.listTools(
    'tools/list with a valid MCP-Protocol-Version',
    sessionHeaders(run.spec.headers, baseline.session, baseline.version),
    'initialized notification',
  );
}

/** 4. Origin: a foreign one must be refused (403 since 2025-11-25); our own must still work. */
export async function probeOrigin(run: ProbeRun): Promise<NonNullable<HttpFacts['originHeader']>> {
  const headers = run.spec.headers;
  const foreign = await run.initialize('initialize with a foreign Origin', { ...headers, Origin: FOREIGN_ORIGIN });
  run.remember(foreign, headers);
  const own = await run.initialize("initialize with the target's own Origin", { ...headers, Origin: run.url.origin });
  run.remember(own, headers);
  return { foreignOrigin: FOREIGN_ORIGIN, foreign, own };
}

/** 5. Host: a foreign Host header (DNS rebinding) must be refused. */
export async function probeHost(run: ProbeRun): Promise<NonNullable<HttpFacts['hostHeader']>> {
  const foreignHost = run.url.port ? `${FOREIGN_HOST}:${run.url.port}` : FOREIGN_HOST;
  const foreign = await run.initialize('initialize with a foreign Host', { ...run.spec.headers, Host: foreignHost });
  run.remember(foreign, run.spec.headers);
  return { foreignHost, foreign };
}

/** 6. CORS preflight from a foreign origin. */
export async function probeCors(run: ProbeRun): Promise<NonNullable<HttpFacts['cors']>> {
  const preflight = await run.send('CORS preflight from a foreign origin', {
    method: 'OPTIONS',
    headers: {
      ...run.anonymousHeaders,
      Origin: FOREIGN_ORIGIN,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type, mcp-protocol-version, mcp-session-id',
    },
  });
  return { foreignOrigin: FOREIGN_ORIGIN, preflight };
}

/** 7. Sessions: sample several Mcp-Session-Id values; undefined when the probes have no access. */
export async function probeSessions(run: ProbeRun, baseline: BaselineProbe): Promise<HttpFacts['sessions']> {
  if (baseline.access && baseline.session !== undefined && run.timeLeft('session id sampling')) {
    const ids = [baseline.session];
    for (let index = 0; index < SESSION_SAMPLES && run.timeLeft('session id sampling'); index++) {
      const exchange = await run.initialize('initialize to sample a session id', run.spec.headers);
      const id = run.remember(exchange, run.spec.headers);
      if (id !== undefined) ids.push(id);
    }
    return { ids, requested: SESSION_SAMPLES + 1 };
  }
  return baseline.access ? { ids: [], requested: 1 } : undefined;
}

/** 8. An invalid MCP-Protocol-Version must be answered 400. */
export async function probeProtocolVersionHeader(run: ProbeRun, baseline: BaselineProbe): Promise<NonNullable<HttpFacts['protocolVersionHeader']>> {
  const response = await run.toolsList(
    'tools/list with an invalid MCP-Protocol-Version',
    sessionHeaders(run.spec.headers, baseline.session, INVALID_PROTOCOL_VERSION),
  );
  return { sent: INVALID_PROTOCOL_VERSION, response };
}

/** 9. GET must be an SSE stream or 405 (headers only: a stream may stay open). */
export function probeGet(run: ProbeRun, baseline: BaselineProbe): Promise<ProbeExchange> {
  return run.send('GET on the endpoint', {
    method: 'GET',
    headers: { ...sessionHeaders(run.spec.headers, baseline.session, baseline.version), Accept: 'text/event-stream' },
    headersOnly: true,
  });
}

/** 10. TLS, for https targets. */
export function probeHttpsTls(run: ProbeRun): Promise<TlsFacts> {
  return probeTls(run.url, {
    timeoutMs: Math.min(MAX_REQUEST_MS, Math.max(1, Math.floor(run.remaining()))),
    ...(run.context.ca ? { ca: run.context.ca } : {}),
  });
}

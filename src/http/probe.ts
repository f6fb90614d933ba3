import type { HttpTargetSpec } from '../discovery/target.js';
import { ProbeRun, type HttpProbeContext } from './probe-run.js';
import {
  probeAnonymous,
  probeBaseline,
  probeCors,
  probeGet,
  probeHost,
  probeHttpsTls,
  probeOrigin,
  probeProtocolVersionHeader,
  probeResourceMetadata,
  probeSessions,
  probeToolsList,
} from './probes.js';
import type { HttpFacts } from './types.js';
import { isLoopbackHost } from './loopback.js';

export { isLoopbackHost } from './loopback.js';

export { isCredentialHeader, type HttpProbeContext } from './probe-run.js';

/**
 * HTTP surface probes: a fixed, small set of raw requests to the target's origin (never another
 * one), each bounded in time and size, that show how the endpoint treats a client without
 * credentials, a foreign Origin or Host, a CORS preflight, several sessions, a bad protocol-version
 * header and a GET. Results are facts; a server's misbehaviour (errors, hangs, garbage) is recorded,
 * never thrown. One function per probe in probes.ts; see docs/http-probes.md for what each sends.
 */

export async function probeHttpSurface(spec: HttpTargetSpec, context: HttpProbeContext): Promise<HttpFacts> {
  const run = new ProbeRun(spec, context);
  const anonymous = await probeAnonymous(run);
  const resourceMetadata = await probeResourceMetadata(run, anonymous.challenge);
  const baseline = await probeBaseline(run, anonymous);
  const url = run.url;
  const facts: HttpFacts = {
    url: url.href,
    origin: url.origin,
    scheme: url.protocol === 'https:' ? 'https' : 'http',
    loopback: isLoopbackHost(url.hostname),
    credentialHeaders: run.credentialHeaders,
    ...(spec.authNone ? { authNone: { reason: spec.authNone.reason } } : {}),
    protocolVersion: run.protocolVersion,
    durationMs: 0,
    notes: run.notes,
    anonymous: anonymous.facts,
    ...(anonymous.challenge ? { challenge: anonymous.challenge } : {}),
    resourceMetadata,
    baseline: baseline.exchange,
    access: baseline.access,
  };

  try {
    // Each probe runs only while the budget lasts; what is skipped is said in the notes.
    if (baseline.access && run.timeLeft('tools/list')) facts.toolsList = await probeToolsList(run, baseline);
    if (run.timeLeft('Origin validation')) facts.originHeader = await probeOrigin(run);
    if (run.timeLeft('Host validation')) facts.hostHeader = await probeHost(run);
    if (run.timeLeft('CORS preflight')) facts.cors = await probeCors(run);
    const sessions = await probeSessions(run, baseline);
    if (sessions !== undefined) facts.sessions = sessions;
    if (baseline.access && run.timeLeft('MCP-Protocol-Version validation')) facts.protocolVersionHeader = await probeProtocolVersionHeader(run, baseline);
    if (baseline.access && run.timeLeft('GET on the endpoint')) facts.get = await probeGet(run, baseline);
    if (facts.scheme === 'https' && run.timeLeft('TLS')) facts.tls = await probeHttpsTls(run);
  } finally {
    await run.endSessions(baseline.version);
  }
  facts.durationMs = Math.round(performance.now() - run.started);
  return facts;
}

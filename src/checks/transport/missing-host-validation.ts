import { defineCheck } from '../../engine/define-check.js';
import { isIP } from 'node:net';
import { describeExchange, httpFacts, SERVER, succeeded } from '../http/facts.js';

/** RFC 1918 and link-local IPv4 literals: reachable by DNS rebinding like loopback. */
function isPrivateAddress(hostname: string): boolean {
  if (isIP(hostname) !== 4) return false;
  const [a, b] = hostname.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/**
 * transport/missing-host-validation: a server on loopback (or a private address) that answers a
 * foreign Host header can be reached from a web page through DNS rebinding.
 */
export const missingHostValidation = defineCheck('transport/missing-host-validation', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  const hostname = new URL(facts.url).hostname;
  if (!facts.loopback && !isPrivateAddress(hostname)) {
    context.skip?.(`${hostname} is neither loopback nor a private address; DNS rebinding aims at those`);
    return;
  }
  const probe = facts.hostHeader;
  if (probe === undefined) {
    context.skip?.('the Host probe did not run (time budget)');
    return;
  }
  const { foreign } = probe;
  if (foreign.status === undefined) {
    context.skip?.(`the request with a foreign Host got no answer (${foreign.error ?? 'unknown error'})`);
    return;
  }
  if (succeeded(foreign)) {
    context.report({ messageId: 'foreignHostAccepted', data: { host: probe.foreignHost, status: foreign.status }, capability: SERVER, field: 'http.host', evidence: describeExchange(foreign, ['Host']) });
    return;
  }
  if (!facts.access && foreign.status === facts.baseline.status) {
    context.skip?.(`a request with the right Host was refused the same way (${foreign.status}), so the probe cannot see Host handling; scan with credentials`);
  }
});

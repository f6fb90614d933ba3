import { defineCheck } from '../../engine/define-check.js';
import { httpFacts, SERVER } from '../http/facts.js';

const MODERN = new Set(['TLSv1.2', 'TLSv1.3']);

/** transport/tls-version: the server must not negotiate, or still accept, TLS below 1.2. */
export const tlsVersion = defineCheck('transport/tls-version', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  if (facts.scheme !== 'https') {
    context.skip?.('not an https target');
    return;
  }
  const tls = facts.tls;
  if (tls === undefined || tls.error !== undefined) {
    context.skip?.(tls === undefined ? 'the TLS probe did not run (time budget)' : `no TLS handshake (${tls.error})`);
    return;
  }
  if (tls.protocol !== undefined && !MODERN.has(tls.protocol)) {
    context.report({ messageId: 'oldNegotiated', data: { protocol: tls.protocol }, capability: SERVER, field: 'http.tls.protocol', evidence: tls.protocol });
  }
  for (const protocol of tls.legacyProtocolsAccepted) {
    context.report({ messageId: 'oldAccepted', data: { protocol }, capability: SERVER, field: 'http.tls.protocol', evidence: protocol });
  }
  if (tls.legacyProtocolsAccepted.length === 0 && tls.legacyProbeNote !== undefined && tls.protocol !== undefined && MODERN.has(tls.protocol)) {
    // Negotiated a modern protocol; whether older ones are also accepted could not be tested here.
    return;
  }
});

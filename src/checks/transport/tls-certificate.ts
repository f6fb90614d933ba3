import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';
import { httpFacts, SERVER } from '../http/facts.js';

/** transport/tls-certificate: the certificate chain must verify (system CAs, or --ca) and match the host name. */
export const tlsCertificate = defineCheck('transport/tls-certificate', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  if (facts.scheme !== 'https') {
    context.skip?.('not an https target');
    return;
  }
  const tls = facts.tls;
  if (tls === undefined) {
    context.skip?.('the TLS probe did not run (time budget)');
    return;
  }
  const subject = tls.certificate?.subjectAltNames ?? tls.certificate?.subject ?? 'unknown';
  if (tls.error !== undefined) {
    context.report({ messageId: 'handshakeFailed', data: { error: tls.error }, capability: SERVER, field: 'http.tls', evidence: tls.error });
  } else if (!tls.authorized) {
    context.report({
      messageId: 'notTrusted',
      data: { code: tls.authorizationError ?? 'unknown', subject, ca: tls.customCa ? 'the --ca file' : 'the system CAs' },
      capability: SERVER,
      field: 'http.tls.certificate',
      evidence: `${tls.authorizationError ?? 'not authorized'}; subject ${tls.certificate?.subject ?? '?'}; issuer ${tls.certificate?.issuer ?? '?'}; ${subject}`,
    });
  } else if (tls.certificate?.validTo !== undefined) {
    const days = (Date.parse(tls.certificate.validTo) - Date.now()) / 86_400_000;
    const warnDays = numberOption(context.rule, 'expiryWarningDays');
    if (Number.isFinite(days) && days < warnDays) {
      context.report({
        messageId: 'expiresSoon',
        data: { days: Math.max(0, Math.floor(days)), validTo: tls.certificate.validTo, warnDays },
        capability: SERVER,
        field: 'http.tls.certificate',
        evidence: `valid until ${tls.certificate.validTo}`,
      });
    }
  }
});

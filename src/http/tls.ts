import { isIP } from 'node:net';
import { connect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsFacts } from './types.js';

/**
 * TLS of an https target: one handshake with Node's defaults (plus --ca) that verifies the chain and
 * the host name, then one handshake offering only TLS 1.0/1.1 to see whether the server still accepts
 * them. Never throws; bounded by `timeoutMs` per handshake. No HTTP is sent.
 */
export async function probeTls(url: URL, options: { timeoutMs: number; ca?: string }): Promise<TlsFacts> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const base: ConnectionOptions = {
    host,
    port,
    ...(isIP(host) ? {} : { servername: host }),
    ...(options.ca ? { ca: options.ca } : {}),
    rejectUnauthorized: false,
  };
  const facts: TlsFacts = { authorized: false, legacyProtocolsAccepted: [], customCa: options.ca !== undefined };
  const main = await handshake(base, options.timeoutMs);
  if (main.error !== undefined) {
    facts.error = main.error;
    return facts;
  }
  const socket = main.socket!;
  facts.authorized = socket.authorized;
  if (!socket.authorized && socket.authorizationError)
    facts.authorizationError = String((socket.authorizationError as Error & { code?: string }).code ?? socket.authorizationError);
  // Node checks the chain; the host name is checked here (rejectUnauthorized is off to read the certificate).
  const certificate = socket.getPeerCertificate();
  if (facts.authorized) {
    const { checkServerIdentity } = await import('node:tls');
    const mismatch = checkServerIdentity(host, certificate);
    if (mismatch) {
      facts.authorized = false;
      facts.authorizationError = (mismatch as Error & { code?: string }).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID';
    }
  }
  facts.protocol = socket.getProtocol() ?? undefined;
  facts.certificate = summarise(certificate);
  socket.destroy();

  const legacy = await handshake({ ...base, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, options.timeoutMs);
  if (legacy.socket) {
    facts.legacyProtocolsAccepted.push(legacy.socket.getProtocol() ?? 'TLSv1.x');
    legacy.socket.destroy();
  } else if (
    legacy.error !== undefined &&
    /no protocols available|unsupported protocol|ERR_SSL_NO_PROTOCOLS_AVAILABLE/i.test(legacy.error) &&
    /client/i.test(legacy.error)
  ) {
    facts.legacyProbeNote = `the local TLS library cannot offer TLS 1.0/1.1 (${legacy.error})`;
  }
  return facts;
}

function summarise(certificate: PeerCertificate): TlsFacts['certificate'] {
  if (!certificate || Object.keys(certificate).length === 0) return undefined;
  const name = (entry: unknown) =>
    entry && typeof entry === 'object'
      ? Object.entries(entry)
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(', ')
      : undefined;
  const summary: NonNullable<TlsFacts['certificate']> = {};
  const subject = name(certificate.subject);
  const issuer = name(certificate.issuer);
  if (subject) summary.subject = subject;
  if (issuer) summary.issuer = issuer;
  if (certificate.valid_from) summary.validFrom = certificate.valid_from;
  if (certificate.valid_to) summary.validTo = certificate.valid_to;
  if (certificate.subjectaltname) summary.subjectAltNames = certificate.subjectaltname;
  return summary;
}

function handshake(options: ConnectionOptions, timeoutMs: number): Promise<{ socket?: TLSSocket; error?: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect(options);
    const finish = (result: { socket?: TLSSocket; error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (result.error !== undefined) socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ error: `no TLS handshake within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
    socket.once('secureConnect', () => finish({ socket }));
    socket.once('error', (error: Error & { code?: string }) => finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }));
  });
}

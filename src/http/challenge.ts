import { truncateSafely } from '../secrets/truncate.js';
import type { AuthChallenge } from './types.js';

/**
 * Parses the first challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1):
 * `Bearer realm="x", error="invalid_token", scope="a b", resource_metadata="https://…"`.
 * Parameter names are lower-cased; quoted values are unescaped. Tolerant: junk ends the parse.
 */
export function parseChallenge(status: number, header: string | undefined): AuthChallenge {
  if (header === undefined || header.trim() === '') return { status, params: {} };
  const text = header.trim();
  const schemeMatch = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)/.exec(text);
  const challenge: AuthChallenge = { status, header: truncateSafely(text, 1024, ''), params: {} };
  if (!schemeMatch?.[1]) return challenge;
  challenge.scheme = schemeMatch[1];
  let rest = text.slice(schemeMatch[1].length);
  const param = /^\s*,?\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*/;
  for (let count = 0; count < 32; count++) {
    const match = param.exec(rest);
    if (!match?.[1]) break;
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    const name = match[1].toLowerCase();
    if (!(name in challenge.params)) challenge.params[name] = value;
    rest = rest.slice(match[0].length);
    // The next challenge starts with a scheme not followed by "=": stop there.
    if (/^,?\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+\s+[^=\s]/.test(rest) && !/^,?\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=/.test(rest)) break;
  }
  return challenge;
}

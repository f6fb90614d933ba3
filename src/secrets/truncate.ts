/**
 * Cutting text without cutting a secret in half. Masking recognises a secret by its whole format
 * (`ghp_` + 36 characters): once an excerpt ends, or a ring buffer starts, inside one, the rest is
 * no longer recognisable and would be printed as is. So a cut never keeps the token it ran through.
 */

const TOKEN_TAIL = /[A-Za-z0-9_\-+/=.~%]*$/;
const TOKEN_HEAD = /^[A-Za-z0-9_\-+/=.~%]*/;

/** The first `max` characters of `text` (then `ellipsis`), minus the token the cut ran through. */
export function truncateSafely(text: string, max: number, ellipsis = '…'): string {
  if (typeof text !== 'string' || text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - ellipsis.length));
  const next = text.charAt(cut.length);
  // Cut between two characters of one token: drop the token's first part.
  const kept = /[A-Za-z0-9_\-+/=.~%]/.test(next) ? cut.replace(TOKEN_TAIL, '') : cut;
  return `${kept}${ellipsis}`;
}

/** `text` that lost its beginning (a tail, a ring buffer): drops the partial token it now starts with. */
export function dropLeadingPartialToken(text: string): string {
  return text.replace(TOKEN_HEAD, '');
}

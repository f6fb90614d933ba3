import { findSecrets } from './find.js';
import { isKeyLikeName, patternFor, type SecretKind } from './patterns.js';

const MASK = '****';
/** Below this length nothing of a value is shown; at or above it, only the last 4 characters. */
const MIN_REVEAL_LENGTH = 12;
const MAX_DEPTH = 64;

/**
 * The masked form of one secret value: the format's non-secret prefix, `****`, and at most the last
 * four characters (`AKIA****WXYZ`, `ghp_****abcd`). Short values become `****`; private keys show
 * their BEGIN/END lines only.
 */
export function maskValue(value: string, kind?: SecretKind): string {
  if (typeof value !== 'string' || value.length < MIN_REVEAL_LENGTH) return MASK;
  if (kind === 'private-key') {
    const begin = /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/.exec(value)?.[0] ?? '';
    const end = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----$/.exec(value)?.[0] ?? '';
    return `${begin}${MASK}${end}`;
  }
  const prefix = kind === undefined ? '' : (patternFor(kind)?.visiblePrefix(value) ?? '');
  const body = value.slice(prefix.length);
  if (body.length < MIN_REVEAL_LENGTH) return `${prefix}${MASK}`;
  return `${prefix}${MASK}${body.slice(-4)}`;
}

/** Last resort when scanning fails: hide every long token rather than risk printing a secret. */
function maskLongTokens(text: string): string {
  return text.replace(/[A-Za-z0-9_\-+/=.]{12,}/g, (token) => maskValue(token));
}

/**
 * `text` with every secret-like value masked. Every reporter, error message and debug line passes
 * through here, so it is total: any input gives a string, nothing throws, and masking twice changes
 * nothing more.
 */
export function maskSecrets(text: string): string {
  if (typeof text !== 'string') return text === undefined || text === null ? '' : maskSecrets(String(text));
  try {
    const secrets = findSecrets(text);
    if (secrets.length === 0) return text;
    let out = '';
    let cursor = 0;
    for (const secret of secrets) {
      out += text.slice(cursor, secret.start) + maskValue(secret.value, secret.kind);
      cursor = secret.end;
    }
    return out + text.slice(cursor);
  } catch {
    try {
      return maskLongTokens(text);
    } catch {
      return MASK;
    }
  }
}

/**
 * A copy of a JSON-like value with secrets masked in every string, and every string held under a
 * key-like name (`password`, `apiKey`, `client_secret`) masked whole. Cycles and depth are bounded.
 */
export function maskDeep<T>(value: T): T {
  try {
    return maskNode(value, new WeakSet<object>(), 0) as T;
  } catch {
    return MASK as T;
  }
}

function maskNode(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  // `seen` holds the ancestors only: a cycle is cut, an object shared by two branches is kept.
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => maskNode(item, seen, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const maskedKey = maskSecrets(key);
      out[maskedKey] =
        typeof item === 'string' && item.length > 0 && isKeyLikeName(key) ? maskWhole(item) : maskNode(item, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function maskWhole(value: string): string {
  if (value.includes(MASK)) return value;
  const masked = maskSecrets(value);
  return masked !== value ? masked : maskValue(value);
}

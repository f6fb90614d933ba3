import { findSecrets } from './find.js';
import { isKeyLikeName, patternFor, type SecretKind } from './patterns.js';
import { applySpans, credentialFieldMasker, placeSpans, VALUE_KEYWORDS } from './places.js';

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
 * `text` with every secret-like value masked: every value a detector recognises (src/secrets/patterns),
 * then every value in a credential place whatever its format (src/secrets/places: `SERVICE_TOKEN=…`,
 * `"api_key": {"default": …}`, `X-Api-Key: …`). Every reporter, error message and debug line passes
 * through here, so it is total: any input gives a string, nothing throws, and masking twice changes
 * nothing more.
 */
export function maskSecrets(text: string): string {
  if (typeof text !== 'string') return text === undefined || text === null ? '' : maskSecrets(String(text));
  if (text.length <= MEMO_MAX_TEXT) {
    const known = memo.get(text);
    if (known !== undefined) return known;
  }
  const masked = maskUncached(text);
  if (text.length <= MEMO_MAX_TEXT) {
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    memo.set(text, masked);
  }
  return masked;
}

/**
 * maskSecrets is pure, and a report repeats the same strings thousands of times (keys, a parameter's
 * description on every tool, text masked once in the finding and again by the reporter): the answer
 * for a short string is remembered. Bounded: emptied when full, so memory stays flat.
 */
const memo = new Map<string, string>();
const MEMO_MAX_TEXT = 4_096;
const MEMO_MAX_ENTRIES = 50_000;

function maskUncached(text: string): string {
  try {
    return maskPlaces(maskDetected(text));
  } catch {
    try {
      return maskLongTokens(text);
    } catch {
      return MASK;
    }
  }
}

function maskDetected(text: string): string {
  const secrets = findSecrets(text);
  if (secrets.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const secret of secrets) {
    out += text.slice(cursor, secret.start) + maskValue(secret.value, secret.kind);
    cursor = secret.end;
  }
  return out + text.slice(cursor);
}

const placeMask = (value: string): string => maskValue(value);

function maskPlaces(text: string): string {
  const spans = placeSpans(text, { mask: placeMask });
  return spans.length === 0 ? text : applySpans(text, spans, placeMask);
}

/**
 * A copy of a JSON-like value with secrets masked in every string, and every value in a credential
 * place masked whole: a string under a credential-like name (`password`, `apiKey`, `client_secret`,
 * `Set-Cookie`), the strings of an array under one, and the `default`/`examples`/`example`/`const`/
 * `enum` values anywhere inside a property so named or declared `format: "password"`
 * (src/secrets/places.ts). Cycles and depth are bounded.
 */
export function maskDeep<T>(value: T): T {
  try {
    return maskNode(value, new WeakSet<object>(), 0, OUTSIDE) as T;
  } catch {
    return MASK as T;
  }
}

interface Place {
  /** Inside a credential-named property (its schema, nested properties and items included). */
  credential: boolean;
  /** Every string below is a value supplied in a credential place. */
  value: boolean;
}

const OUTSIDE: Place = { credential: false, value: false };

function maskNode(value: unknown, seen: WeakSet<object>, depth: number, place: Place): unknown {
  if (typeof value === 'string') return place.value && value.length > 0 ? maskWhole(value) : maskSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  // `seen` holds the ancestors only: a cycle is cut, an object shared by two branches is kept.
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => maskNode(item, seen, depth + 1, place));
    const credential = place.credential || (value as { format?: unknown }).format === 'password';
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const maskedKey = maskSecrets(key);
      const named = isKeyLikeName(key);
      const supplied = place.value || (credential && VALUE_KEYWORDS.has(key));
      const masked =
        typeof item === 'string'
          ? item.length > 0 && (named || supplied)
            ? maskWhole(item)
            : maskSecrets(item)
          : maskNode(item, seen, depth + 1, { credential: credential || named, value: supplied || (named && Array.isArray(item)) });
      // defineProperty for "__proto__": a server's property so named must stay a property of the
      // report, not silently become the copy's prototype and vanish from the JSON. Every other key is
      // assigned (the same own data property, without turning the copy into a slow dictionary object).
      if (maskedKey === '__proto__') Object.defineProperty(out, maskedKey, { value: masked, enumerable: true, writable: true, configurable: true });
      else out[maskedKey] = masked;
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

/**
 * For a finding on `field` of a capability (as served): hides the values it holds in a credential
 * place wherever the finding's texts quote them, even without their name (see places.ts); else undefined.
 */
export function fieldPlaceMasker(capability: unknown, field: string | undefined): ((text: string) => string) | undefined {
  try {
    return credentialFieldMasker(capability, field, placeMask);
  } catch {
    return undefined;
  }
}

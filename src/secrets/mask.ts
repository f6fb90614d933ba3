import { findSecrets } from './find.js';
import { isKeyLikeName, patternFor, type SecretKind } from './patterns.js';
import { applySpans, credentialFieldMasker, placeSpans, VALUE_KEYWORDS } from './places.js';
import { setOwnKey } from '../util/own-key.js';

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
    return maskNode(value, [], false, false, true) as T;
  } catch {
    return MASK as T;
  }
}

/**
 * `JSON.stringify(maskDeep(value), null, space)`, the same text, without copying what masking leaves
 * alone (issue 18: a report of 5,000 tools is 70,000 objects, and copying them all cost more than
 * masking and serialising together). Every string is masked exactly as by maskDeep, by the same walk;
 * only an object or array whose every key and value came out unchanged is serialised in place of its
 * copy. That is the same text: a plain object or array (prototype Object.prototype, null or
 * Array.prototype, no `toJSON`) serialises as its own enumerable string keys in the order
 * Object.keys gives, which is the order the copy gets them in; anything else (a Date, a class with
 * `toJSON`, a boxed string) is copied as maskDeep copies it. A subtree that held a cycle or went too
 * deep came out changed (`[…]`), so JSON.stringify never meets either. The result is text, never a
 * shared object, so nothing can mutate the input through it.
 */
export function maskedJson(value: unknown, space?: number): string {
  let masked: unknown;
  try {
    masked = maskNode(value, [], false, false, false);
  } catch {
    masked = MASK;
  }
  return JSON.stringify(masked, null, space);
}

/**
 * One walk for both: `fresh` (maskDeep) copies every object and array; otherwise (maskedJson) an
 * object or array that masking leaves unchanged is returned itself. `credential`: inside a
 * credential-named property (its schema, nested properties and items included); `supplied`: every
 * string below is a value supplied in a credential place. `ancestors` holds the objects above (its
 * length is the depth): a cycle is cut, an object shared by two branches is kept.
 */
function maskNode(value: unknown, ancestors: object[], credential: boolean, supplied: boolean, fresh: boolean): unknown {
  if (typeof value === 'string') return supplied && value.length > 0 ? maskWhole(value) : maskSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.length >= MAX_DEPTH || ancestors.includes(value)) return '[…]';
  ancestors.push(value);
  try {
    const copy = fresh || !serialisesAsItsKeys(value);
    if (Array.isArray(value)) return maskArray(value, ancestors, credential, supplied, fresh, copy);
    return maskObject(value as Record<string, unknown>, ancestors, credential, supplied, fresh, copy);
  } finally {
    ancestors.pop();
  }
}

function maskArray(value: unknown[], ancestors: object[], credential: boolean, supplied: boolean, fresh: boolean, copy: boolean): unknown[] {
  if (copy) return value.map((item) => maskNode(item, ancestors, credential, supplied, fresh));
  let out: unknown[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    const masked = maskNode(item, ancestors, credential, supplied, fresh);
    if (masked !== item) (out ??= value.slice())[index] = masked;
  }
  return out ?? value;
}

function maskObject(
  value: Record<string, unknown>,
  ancestors: object[],
  credential: boolean,
  supplied: boolean,
  fresh: boolean,
  copy: boolean,
): Record<string, unknown> {
  const inCredential = credential || (value as { format?: unknown }).format === 'password';
  const keys = Object.keys(value);
  let out: Record<string, unknown> | undefined = copy ? {} : undefined;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const item = value[key];
    const { masked: maskedKey, named, keyword } = keyFacts(key);
    const valuePlace = supplied || (inCredential && keyword);
    const masked =
      typeof item === 'string'
        ? item.length > 0 && (named || valuePlace)
          ? maskWhole(item)
          : maskSecrets(item)
        : maskNode(item, ancestors, inCredential || named, valuePlace || (named && Array.isArray(item)), fresh);
    if (out === undefined) {
      if (masked === item && maskedKey === key) continue;
      // The first change: the copy gets every key before it as it was (each came out unchanged).
      out = {};
      for (let before = 0; before < index; before++) setOwnKey(out, keys[before]!, value[keys[before]!]);
    }
    setOwnKey(out, maskedKey, masked);
  }
  return out ?? value;
}

/** JSON.stringify writes it exactly as its copy: a plain object or array without `toJSON`. */
function serialisesAsItsKeys(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null || prototype === Array.prototype) && typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

interface KeyFacts {
  /** maskSecrets(key). */
  masked: string;
  /** isKeyLikeName(key). */
  named: boolean;
  /** VALUE_KEYWORDS.has(key). */
  keyword: boolean;
}

/**
 * What a key means for masking, remembered: a report repeats a few hundred keys hundreds of
 * thousands of times. Pure functions of the key, so remembering changes nothing; bounded like memo.
 */
const keyMemo = new Map<string, KeyFacts>();
const KEY_MEMO_MAX_KEY = 256;
const KEY_MEMO_MAX_ENTRIES = 10_000;

function keyFacts(key: string): KeyFacts {
  const known = keyMemo.get(key);
  if (known !== undefined) return known;
  const facts: KeyFacts = { masked: maskSecrets(key), named: isKeyLikeName(key), keyword: VALUE_KEYWORDS.has(key) };
  if (key.length <= KEY_MEMO_MAX_KEY) {
    if (keyMemo.size >= KEY_MEMO_MAX_ENTRIES) keyMemo.clear();
    keyMemo.set(key, facts);
  }
  return facts;
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

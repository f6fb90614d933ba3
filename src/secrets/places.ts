import { isKeyLikeName } from './patterns.js';

/**
 * Masking by place: a value a server puts where credentials live is masked whatever its format, so a
 * key no pattern knows is hidden too. The places, in structured values (mask.ts) and in text (here):
 * - a string under a credential-like name (`"api_key": "…"`, `api_keys: ["…"]`);
 * - the `default`, `examples`, `example`, `const` and `enum` values anywhere inside a property whose
 *   name is credential-like (`properties.api_key.default`, `properties.auth.properties.token.enum`,
 *   `…api_key.items.examples`);
 * - the value of a `NAME=value` pair (`SERVICE_TOKEN=…`, `?api_key=…`, `--password=…`);
 * - the value of a credential header line (`Authorization: Token …`, `X-Api-Key: …`, `Cookie: …`).
 * References (`${API_KEY}`, `<token>`) and masked values are left as they are. "Credential-like" is
 * isKeyLikeName, the one vocabulary.
 */

/** Schema keywords whose values are what the server supplies for a parameter. */
export const VALUE_KEYWORDS: ReadonlySet<string> = new Set(['default', 'examples', 'example', 'const', 'enum']);

const REFERENCE = [
  /^\$\{?[\w.:-]+\}?$/, // $TOKEN, ${API_KEY}
  /^\{\{[^{}]*\}\}$/, // {{token}}
  /^<[^<>]*>$/, // <token>
  /^%[sd]$/,
  /^x{3,}$/i,
  /\*{4}/, // already masked
  /^(?:null|none|undefined|true|false|redacted|\[redacted\])$/i,
];

/** Never a secret itself: a reference to one, a placeholder in brackets, or a masked value. */
export function isReference(value: string): boolean {
  return value.length === 0 || REFERENCE.some((pattern) => pattern.test(value));
}

export interface PlaceSpan {
  start: number;
  end: number;
  /** Replaces the span instead of masking it whole (JSON text nested in a JSON string). */
  replacement?: string;
}

export interface PlaceOptions {
  /** Masks one value (mask.ts passes maskValue), for JSON text nested in a string. */
  mask?: (value: string) => string;
}

/** Within this many characters after `NAME=`, a value is taken (a longer one is masked up to here). */
const MAX_VALUE = 4_096;
// `NAME=value`, or `NAME = "value"` (spaces only before a quoted value: `token = x` is prose).
const ASSIGNMENT = /(?<![\w.])-{0,2}([A-Za-z_][\w.-]{0,63})(?:=|[ \t]*=[ \t]*(?=["']))(?:"([^"\n]{1,4096})"|'([^'\n]{1,4096})'|([^\s"'`,;&<>()]{1,4096}))/dg;
// After an auth scheme the credential is one token; without one it is the rest of the line (`Cookie: a=b; c=d`).
const HEADER_LINE =
  /^[ \t>*<-]*([A-Za-z][A-Za-z0-9-]{0,63})[ \t]*:[ \t]*(?:(?:Bearer|Basic|Token|Digest|ApiKey|Key|Negotiate)[ \t]+([^\s;,]{1,4096})|([^\r\n]{1,4096}))/dgim;
const JSON_PAIR = /"([^"\\\n]{1,64})"[ \t]*:[ \t]*"((?:[^"\\\n]|\\.){1,4096})"/dg;
const MAX_NESTING = 2;
const SUPPLIED = /"(?:default|examples?|const|enum)\\?"/;

/** Spans of `text` (sorted, not overlapping) that sit in a credential place. Never throws. */
export function placeSpans(text: string, options: PlaceOptions = {}, nesting = 0): PlaceSpan[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const spans: PlaceSpan[] = [];
  if (text.includes('=')) assignments(text, spans);
  if (text.includes(':')) headerLines(text, spans);
  if (text.includes('"')) {
    jsonPairs(text, spans);
    const scan = scanJson(text, 0, options, nesting);
    spans.push(...scan.spans, ...(scan.cut ? scan.ifCut : []));
    // A text cut inside a string (`ng","default":"…"}}`) reads inside out; read it again from its
    // first quote on, and believe that reading when it too ends in brackets nothing opened.
    const first = text.indexOf('"');
    if (first > 0 && !/^\s*[[{]/.test(text) && SUPPLIED.test(text)) {
      const again = scanJson(text, first + 1, options, nesting);
      if (again.cut) spans.push(...again.spans, ...again.ifCut);
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PlaceSpan[] = [];
  let covered = 0;
  for (const span of spans) {
    if (span.start < covered || span.end <= span.start) continue;
    kept.push(span);
    covered = span.end;
  }
  return kept;
}

function push(spans: PlaceSpan[], text: string, start: number, end: number): void {
  const value = text.slice(start, end).trim();
  if (isReference(value)) return;
  spans.push({ start, end: Math.min(end, start + MAX_VALUE) });
}

function assignments(text: string, spans: PlaceSpan[]): void {
  ASSIGNMENT.lastIndex = 0;
  for (let match = ASSIGNMENT.exec(text); match !== null; match = ASSIGNMENT.exec(text)) {
    if (!isKeyLikeName(match[1]!)) continue;
    const group = match[2] !== undefined ? 2 : match[3] !== undefined ? 3 : 4;
    const span = match.indices?.[group];
    if (span === undefined) continue;
    // `Run with TOKEN=abc.`: the full stop ends the sentence, not the value.
    let end = span[1];
    while (group === 4 && end > span[0] + 1 && text.charCodeAt(end - 1) === 46 /* . */) end -= 1;
    push(spans, text, span[0], end);
  }
}

/** `Authorization: Token abc`, `X-Api-Key: abc`, `Set-Cookie: a=b`: header-shaped names only, not prose like `Token: required`. */
function headerLines(text: string, spans: PlaceSpan[]): void {
  HEADER_LINE.lastIndex = 0;
  for (let match = HEADER_LINE.exec(text); match !== null; match = HEADER_LINE.exec(text)) {
    const name = match[1]!;
    if (!(name.includes('-') || /^(?:authorization|cookie)$/i.test(name)) || !isKeyLikeName(name)) continue;
    const span = match.indices?.[match[2] !== undefined ? 2 : 3];
    if (span !== undefined) push(spans, text, span[0], span[1]);
  }
}

function jsonPairs(text: string, spans: PlaceSpan[]): void {
  JSON_PAIR.lastIndex = 0;
  for (let match = JSON_PAIR.exec(text); match !== null; match = JSON_PAIR.exec(text)) {
    if (!isKeyLikeName(match[1]!)) continue;
    const span = match.indices?.[2];
    if (span !== undefined) push(spans, text, span[0], span[1]);
  }
}

interface Frame {
  array: boolean;
  /** Inside a credential-named property (its schema, its nested properties and items). */
  credential: boolean;
  /** Every string below is a supplied value in a credential place (`api_key.enum`, `api_keys: [...]`). */
  value: boolean;
  /** What `value` would be if the text began inside a credential place (its start was cut off). */
  valueIfCut: boolean;
  /** The member name the next value belongs to (objects only). */
  key: string | undefined;
}

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

/**
 * A lexical walk over the JSON in `text` (whole, cut at either end, or embedded in prose), tracking
 * the member names above each string. Not a parser: it never fails, and text that is not JSON just
 * yields nothing. A text that starts inside a structure (a closing bracket with nothing open: a tail,
 * a ring buffer) may start inside a credential property, so there every supplied value is masked.
 */
interface Scan {
  spans: PlaceSpan[];
  /** Spans to mask if the text began inside a credential place. */
  ifCut: PlaceSpan[];
  /** A closing bracket with nothing open was seen: the text's start was cut off. */
  cut: boolean;
}

function scanJson(text: string, from: number, options: PlaceOptions, nesting: number): Scan {
  const stack: Frame[] = [{ array: false, credential: false, value: false, valueIfCut: false, key: undefined }];
  const spans: PlaceSpan[] = [];
  const ifCut: PlaceSpan[] = [];
  let cut = false;
  const length = text.length;
  let index = from;
  while (index < length) {
    const code = text.charCodeAt(index);
    const top = stack[stack.length - 1]!;
    if (code === QUOTE) {
      let end = index + 1;
      while (end < length) {
        const c = text.charCodeAt(end);
        if (c === BACKSLASH) end += 2;
        else if (c === QUOTE || c === NEWLINE) break;
        else end += 1;
      }
      end = Math.min(end, length);
      const closed = end < length && text.charCodeAt(end) === QUOTE;
      let after = closed ? end + 1 : end;
      while (after < length && (text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9)) after += 1;
      if (closed && !top.array && text.charCodeAt(after) === 58 /* : */) {
        top.key = text.slice(index + 1, end);
        index = after + 1;
        continue;
      }
      const before = spans.length;
      stringValue(text, top, index + 1, end, options, spans, ifCut, nesting);
      // A value cut short shows nothing of itself, not even its last characters (they are not its end).
      if (!closed && spans.length > before) spans[spans.length - 1]!.replacement = '****';
      index = closed ? end + 1 : end;
      continue;
    }
    if (code === 123 /* { */ || code === 91 /* [ */) {
      stack.push(child(top, code === 91));
      if (stack.length > 512) break; // deeper than any real document: stop rather than grow
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      if (stack.length > 1) stack.pop();
      else cut = true;
    } else if (code === 44 /* , */) {
      if (!top.array) top.key = undefined;
    } else if (code === 58 /* : */ && !top.array) {
      // A bare label before a value (`api_key: {"default": …}` in an evidence line, YAML-ish text).
      const label = /([A-Za-z_][\w.\-[\]]{0,63})[ \t]*$/.exec(text.slice(Math.max(0, index - 64), index))?.[1];
      if (label !== undefined) top.key = label;
    }
    index += 1;
  }
  return { spans, ifCut, cut };
}

function child(top: Frame, array: boolean): Frame {
  const key = top.array ? undefined : top.key;
  const named = key !== undefined && isKeyLikeName(key);
  const keyword = key !== undefined && VALUE_KEYWORDS.has(key);
  return {
    array,
    credential: top.credential || named,
    value: top.value || (keyword && top.credential) || (array && named),
    valueIfCut: top.valueIfCut || keyword || (array && named),
    key: undefined,
  };
}

function stringValue(
  text: string,
  top: Frame,
  start: number,
  end: number,
  options: PlaceOptions,
  spans: PlaceSpan[],
  ifCut: PlaceSpan[],
  nesting: number,
): void {
  if (end <= start) return;
  const key = top.array ? undefined : top.key;
  const named = key !== undefined && isKeyLikeName(key);
  const keyword = key !== undefined && VALUE_KEYWORDS.has(key);
  if (top.value || named || (keyword && top.credential)) return push(spans, text, start, end);
  if (top.valueIfCut || keyword) {
    const value = text.slice(start, end);
    if (!isReference(value)) ifCut.push({ start, end });
  }
  // JSON text inside a JSON string (`"evidence": "{\"api_key\": …}"`): mask it at its own level.
  if (nesting >= MAX_NESTING || !text.slice(start, end).includes('\\"')) return;
  let decoded: unknown;
  try {
    decoded = JSON.parse(`"${text.slice(start, end)}"`);
  } catch {
    return;
  }
  if (typeof decoded !== 'string') return;
  const mask = options.mask ?? (() => '****');
  const inner = placeSpans(decoded, { mask }, nesting + 1);
  if (inner.length === 0) return;
  spans.push({ start, end, replacement: JSON.stringify(applySpans(decoded, inner, mask)).slice(1, -1) });
}

/** `text` with each span masked (`mask`) or replaced by its own replacement. */
export function applySpans(text: string, spans: readonly PlaceSpan[], mask: (value: string) => string): string {
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += text.slice(cursor, span.start) + (span.replacement ?? mask(text.slice(span.start, span.end)));
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/** `inputSchema.properties["x-api-key"].enum[0]` → `inputSchema`, `properties`, `x-api-key`, `enum`, 0. */
export function fieldSegments(field: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const part = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  for (let match = part.exec(field); match !== null && part.lastIndex <= field.length; match = part.exec(field)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else {
      try {
        segments.push(JSON.parse(match[3]!) as string);
      } catch {
        return segments;
      }
    }
    if (part.lastIndex === field.length) break;
  }
  return segments;
}

const MIN_LITERAL = 4;
const WINDOW = 8;

/**
 * For a finding on `field` of `root` (a capability as served): when the field is, or holds, a value
 * supplied in a credential place, a function that hides those values in the finding's texts, also
 * when a check quoted them with no name in sight (`near "…"`) or only in part; otherwise undefined.
 */
export function credentialFieldMasker(root: unknown, field: string | undefined, mask: (value: string) => string): ((text: string) => string) | undefined {
  if (field === undefined || typeof root !== 'object' || root === null) return undefined;
  let node: unknown = root;
  let credential = false;
  let value = false;
  for (const segment of fieldSegments(field)) {
    if (typeof node !== 'object' || node === null) return undefined;
    if (!Array.isArray(node) && (node as { format?: unknown }).format === 'password') credential = true;
    const next = (node as Record<string | number, unknown>)[segment];
    if (typeof segment === 'string') {
      const named = isKeyLikeName(segment);
      value = value || (credential && VALUE_KEYWORDS.has(segment)) || (named && holdsValues(next));
      credential = credential || named;
    }
    node = next;
  }
  const secrets = new Set<string>();
  collectSupplied(node, credential, value, secrets, 0);
  const literals = [...secrets].filter((secret) => secret.length >= MIN_LITERAL && !isReference(secret)).sort((a, b) => b.length - a.length);
  if (literals.length === 0) return undefined;
  return (text) => {
    if (typeof text !== 'string') return text;
    let out = text;
    for (const literal of literals) {
      for (const form of new Set([literal, JSON.stringify(literal).slice(1, -1)])) out = out.split(form).join(mask(literal));
    }
    // A part of one (an excerpt cut short) is still a leak: then the whole text goes.
    return literals.some((literal) => containsWindow(out, literal)) ? mask(out) : out;
  };
}

function containsWindow(text: string, literal: string): boolean {
  if (literal.length <= WINDOW) return false;
  const bounded = literal.slice(0, 512);
  for (let start = 0; start + WINDOW <= bounded.length; start += 1) if (text.includes(bounded.slice(start, start + WINDOW))) return true;
  return false;
}

/** The strings maskDeep would mask by place below `node` (the same rules, without building a copy). */
function collectSupplied(node: unknown, credential: boolean, value: boolean, out: Set<string>, depth: number): void {
  if (out.size >= 256 || depth > 32) return;
  if (typeof node === 'string') {
    if (value) out.add(node);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) collectSupplied(item, credential, value, out, depth + 1);
    return;
  }
  const here = credential || (node as { format?: unknown }).format === 'password';
  for (const [key, item] of Object.entries(node)) {
    const named = isKeyLikeName(key);
    const supplied = value || (here && VALUE_KEYWORDS.has(key));
    collectSupplied(item, here || named, supplied || (named && holdsValues(item)), out, depth + 1);
  }
}

/** Under a credential name, a string or a list is the credential itself; an object is its schema. */
function holdsValues(node: unknown): boolean {
  return typeof node === 'string' || Array.isArray(node);
}

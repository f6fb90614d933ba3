import { createHash } from 'node:crypto';
import { joinPath } from '../checks/json-schema.js';
import type { CutString, CutStrings } from './base-types.js';
import { setOwnKey } from '../util/own-key.js';
import type { LogNotification } from './model.js';

/**
 * Bounded server strings. A server can send one string of any size (a 20 MiB description, a schema
 * `default` of a million characters, a log line); kept whole it would sit in the inventory, every
 * report and every rule's regular expressions. So each string the server supplies is kept as a
 * prefix of at most MAX_SERVER_STRING_CHARS, and what was cut is recorded beside it, under the
 * field's path: the full length (what size rules judge), its UTF-8 bytes and a SHA-256 of the whole
 * string (to tell two long strings apart without keeping them). docs/inventory-json.md, "Cut strings".
 */

/** 64 Ki characters: far more than any rule needs to judge prose, small enough to keep many. */
export const MAX_SERVER_STRING_CHARS = 64 * 1024;

/** Values nested deeper than this are replaced by a marker string (and recorded as cut). */
export const MAX_SERVER_VALUE_DEPTH = 128;

// The record types live in base-types.ts: model.ts names them, and this module imports model.ts.
export type { CutString, CutStrings } from './base-types.js';

const TOKEN_CHAR = /[A-Za-z0-9_\-+/=.~%]/;
/** How far back a cut may move to avoid splitting a token (longer runs are not secrets we could mask anyway). */
const MAX_TOKEN_BACKTRACK = 4_096;

export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length -= 1;
        i += 1;
      }
    }
  }
  return length;
}

export function describeCut(text: string): CutString {
  return { length: codePointLength(text), bytes: Buffer.byteLength(text, 'utf8'), sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/**
 * The first `max` characters of `text`, never ending inside a surrogate pair or inside a token (half
 * a secret is no longer recognisable, so masking could not hide it). A fresh string: a plain slice
 * would keep the whole original alive in V8.
 */
export function prefixOf(text: string, max: number): string {
  let end = Math.min(max, text.length);
  const code = text.charCodeAt(end - 1);
  if (end < text.length && code >= 0xd800 && code <= 0xdbff) end -= 1;
  if (end < text.length && TOKEN_CHAR.test(text.charAt(end))) {
    let start = end;
    while (start > 0 && end - start < MAX_TOKEN_BACKTRACK && TOKEN_CHAR.test(text.charAt(start - 1))) start -= 1;
    if (end - start < MAX_TOKEN_BACKTRACK) end = start;
  }
  return JSON.parse(JSON.stringify(text.slice(0, end))) as string;
}

/** `text` itself when short enough; otherwise its prefix, with the cut recorded under `field`. */
export function boundString(text: string, field: string, cuts: CutStrings, max = MAX_SERVER_STRING_CHARS): string {
  if (text.length <= max) return text;
  cuts[field] = describeCut(text);
  return prefixOf(text, max);
}

/**
 * A JSON value from the server with every string (and object key) bounded. Returns `value` itself
 * when nothing was cut, so the common case copies nothing.
 */
export function boundValue(value: unknown, field: string, cuts: CutStrings, max = MAX_SERVER_STRING_CHARS, depth = 0): unknown {
  return boundNode(value, { field }, cuts, max, depth);
}

/**
 * Where a value sits, as the chain of keys from `field`: the path string is built only for a value
 * that is cut, because joining it for every node of every tool was most of the walk (issue 18:
 * 5,000 tools are ~70,000 nodes, and nearly all of them are kept as they are).
 */
type Where = { field: string } | { parent: Where; key: string | number };

function pathOf(where: Where): string {
  return 'field' in where ? where.field : joinPath(pathOf(where.parent), where.key);
}

function boundNode(value: unknown, where: Where, cuts: CutStrings, max: number, depth: number): unknown {
  if (typeof value === 'string') return value.length <= max ? value : boundString(value, pathOf(where), cuts, max);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_SERVER_VALUE_DEPTH) {
    const marker = `[nested deeper than ${MAX_SERVER_VALUE_DEPTH} levels: not kept]`;
    cuts[pathOf(where)] = describeCut(safeJson(value));
    return marker;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const bounded = boundNode(item, { parent: where, key: index }, cuts, max, depth + 1);
      if (bounded !== item) (copy ??= value.slice())[index] = bounded;
    }
    return copy ?? value;
  }
  const keys = Object.keys(value);
  let copy: Record<string, unknown> | undefined;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const item: unknown = (value as Record<string, unknown>)[key];
    const boundedKey = key.length <= max ? key : boundString(key, joinPath(pathOf(where), '[key]'), cuts, max);
    const bounded = boundNode(item, { parent: where, key: boundedKey }, cuts, max, depth + 1);
    if (copy === undefined) {
      if (bounded === item && boundedKey === key) continue;
      // The first change: the copy gets every key before it as it was (each came out unchanged).
      copy = {};
      for (let before = 0; before < index; before++) setOwnKey(copy, keys[before]!, (value as Record<string, unknown>)[keys[before]!]);
    }
    setOwnKey(copy, boundedKey, bounded);
  }
  return copy ?? value;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** Log data is read only for secrets and prose: a smaller prefix than a description's is plenty. */
export const MAX_LOG_STRING_CHARS = 4 * 1024;

/** A `notifications/message` as kept in the inventory: every string bounded, cuts recorded. */
export function boundLogNotification(params: { level?: unknown; logger?: unknown; data?: unknown }): LogNotification {
  const cuts: CutStrings = {};
  const notification: LogNotification = {
    level: typeof params.level === 'string' ? boundString(params.level, 'level', cuts, 64) : undefined,
    logger: typeof params.logger === 'string' ? boundString(params.logger, 'logger', cuts, 256) : undefined,
    data: boundValue(params.data, 'data', cuts, MAX_LOG_STRING_CHARS),
  };
  if (Object.keys(cuts).length > 0) notification.cut = cuts;
  return notification;
}

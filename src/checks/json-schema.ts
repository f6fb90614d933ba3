/** Small JSON Schema helpers shared by the checks: no validation, just reading shapes as served. */

import { truncateSafely } from '../secrets/truncate.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `inputSchema.properties.cmd`, or `inputSchema.properties["odd key"]` when the key is not identifier-like. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const segment = /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return base === '' ? segment.replace(/^\./, '') : `${base}${segment}`;
}

/** The `type` keyword as a list (`"string"` → `["string"]`), or undefined when absent or malformed. */
export function schemaTypes(schema: unknown): string[] | undefined {
  if (!isRecord(schema)) return undefined;
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type) && type.every((item) => typeof item === 'string')) return type;
  return undefined;
}

/** Root `properties` entries whose values are schemas (objects or booleans). */
export function propertyEntries(schema: unknown): Array<[string, unknown]> {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  return Object.entries(schema.properties);
}

/** A short, single-line JSON rendering for messages and evidence. */
export function excerpt(value: unknown, max = 160): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return truncateSafely(text, max);
}

/** Describes what a value is, for "is X, not an object" messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

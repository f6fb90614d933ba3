import type { HintName } from '../inventory/base-types.js';
import type { ToolAnnotations } from '../inventory/model.js';

/**
 * Canonical forms for the capability lockfile: keys sorted at every depth, and the defaults a
 * reader would otherwise have to know made explicit, so that two surfaces that mean the same thing
 * serialise to the same bytes and a `git diff` of the lock shows only real changes.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys sorted at every depth; `undefined` members dropped (JSON.stringify would drop them too). */
export function sortKeys(value: unknown): Json {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  return null;
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'] as const;
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A JSON Schema with its defaults explicit: an object schema gets `properties: {}`,
 * `required: []` (sorted) and `additionalProperties: true` when absent (JSON Schema's own
 * defaults), so "additionalProperties opened" is a visible `false → true`. Sub-schemas likewise.
 */
export function normaliseSchema(schema: unknown): Json {
  if (!isObject(schema)) return sortKeys(schema);
  const out: Record<string, unknown> = { ...schema };
  const isObjectSchema =
    schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object')) || (schema.type === undefined && isObject(schema.properties));
  if (isObjectSchema) {
    out.properties ??= {};
    out.required = Array.isArray(schema.required) ? [...(schema.required as unknown[])].map(String).sort() : [];
    out.additionalProperties ??= true;
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = out[key];
    if (isObject(map)) out[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, normaliseSchema(sub)]));
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map(normaliseSchema);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'contains'] as const) {
    if (isObject(out[key])) out[key] = normaliseSchema(out[key]);
  }
  return sortKeys(out);
}

/** The specification's defaults for an unset hint (MCP 2025-11-25, ToolAnnotations); `satisfies` checks every HintName is here, and only those. */
export const ANNOTATION_DEFAULTS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
} as const satisfies Record<HintName, boolean>;
export const HINTS = Object.keys(ANNOTATION_DEFAULTS) as HintName[];

/** Tool annotations with every hint explicit (unset → the spec's default); other keys kept as served. */
export function normaliseAnnotations(annotations: ToolAnnotations | undefined): Json {
  const out: Record<string, unknown> = { ...annotations };
  for (const hint of HINTS) out[hint] = typeof annotations?.[hint] === 'boolean' ? annotations[hint] : ANNOTATION_DEFAULTS[hint];
  return sortKeys(out);
}

/** Stable JSON text of a canonical value (for equality and hashing). */
export function canonicalText(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

import { isRecord, schemaTypes } from '../checks/json-schema.js';

/**
 * Arguments for probe calls, made from a tool's input schema alone. Minimal: only required
 * properties get a value, taken from `const`, `enum`, `default` or `examples` first. A required
 * string that has none of those and looks like a path, URL, identifier, query or command is never
 * invented (the call is skipped, with the reason): guessing one could point a "read-only" tool at
 * something real.
 */

export type Synthesis = { ok: true; value: unknown } | { ok: false; reason: string };

/** How the invalid arguments break the schema. */
export type InvalidKind = 'missing-required' | 'wrong-type' | 'unexpected-property';

const MAX_DEPTH = 8;

/** Names (and descriptions) of strings whose value must come from the user, never from us. */
const RISKY_NAME =
  /(?:^|[^a-z])(?:path|paths|file|files|filename|dir|directory|folder|url|uri|urls|link|href|host|hostname|domain|endpoint|id|ids|uuid|guid|key|slug|ref|sha|hash|owner|repo|repository|branch|query|q|sql|search|filter|expression|expr|command|cmd|script|code|shell|pattern|regex|selector|token|secret|password|email|account|user|username|table|database|db|bucket|channel|target|address)(?:$|[^a-z])/i;
const RISKY_FORMAT = new Set([
  'uri',
  'uri-reference',
  'iri',
  'iri-reference',
  'url',
  'hostname',
  'idn-hostname',
  'email',
  'idn-email',
  'ipv4',
  'ipv6',
  'uuid',
  'json-pointer',
  'relative-json-pointer',
  'regex',
  'uri-template',
]);
const SAFE_STRING = 'mcp-preflight';

function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function resolveRef(schema: Record<string, unknown>, root: unknown): Record<string, unknown> | undefined {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    if (!isRecord(node)) return undefined;
    node = node[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))];
  }
  return isRecord(node) ? node : undefined;
}

function firstListed(schema: Record<string, unknown>): { found: true; value: unknown } | { found: false } {
  if ('const' in schema) return { found: true, value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { found: true, value: schema.enum[0] };
  if ('default' in schema) return { found: true, value: schema.default };
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return { found: true, value: schema.examples[0] };
  if ('example' in schema) return { found: true, value: schema.example };
  return { found: false };
}

function synthesiseNumber(schema: Record<string, unknown>, integer: boolean): Synthesis {
  const min =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : undefined;
  const max =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
        : undefined;
  let value = min ?? (max !== undefined && max < 1 ? max : 1);
  if (integer) value = Math.ceil(value);
  if (max !== undefined && value > max) return { ok: false, reason: 'no number satisfies its bounds' };
  return { ok: true, value };
}

function synthesiseString(name: string, schema: Record<string, unknown>): Synthesis {
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  if (format === 'date') return { ok: true, value: '2024-01-01' };
  if (format === 'date-time') return { ok: true, value: '2024-01-01T00:00:00Z' };
  if (format === 'time') return { ok: true, value: '00:00:00Z' };
  if (format !== undefined && RISKY_FORMAT.has(format))
    return { ok: false, reason: `required string "${name}" (format ${format}) has no enum, default or example` };
  const description = typeof schema.description === 'string' ? schema.description : '';
  if (RISKY_NAME.test(words(name)) || RISKY_NAME.test(name)) {
    return { ok: false, reason: `required string "${name}" looks like a path, URL, identifier or query and has no enum, default or example` };
  }
  if (/\b(?:path|url|uri|file|directory|identifier|id|query|sql|command)\b/i.test(description)) {
    return { ok: false, reason: `required string "${name}" is described as a path, URL, identifier or query and has no enum, default or example` };
  }
  if (typeof schema.pattern === 'string') return { ok: false, reason: `required string "${name}" must match a pattern and has no example` };
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (minLength > 200 || minLength > maxLength) return { ok: false, reason: `required string "${name}" has length bounds we cannot meet` };
  let value = SAFE_STRING;
  while (value.length < minLength) value += `-${SAFE_STRING}`;
  return { ok: true, value: value.slice(0, Math.max(minLength, Math.min(value.length, maxLength))) };
}

function synthesiseNode(name: string, raw: unknown, root: unknown, depth: number): Synthesis {
  if (raw === true || raw === undefined) return { ok: true, value: SAFE_STRING };
  if (!isRecord(raw)) return { ok: false, reason: `the schema of "${name}" is not an object` };
  if (depth > MAX_DEPTH) return { ok: false, reason: `the schema of "${name}" is nested too deeply` };
  const schema = resolveRef(raw, root);
  if (schema === undefined) return { ok: false, reason: `the schema of "${name}" has a $ref that cannot be resolved` };
  const listed = firstListed(schema);
  if (listed.found) return { ok: true, value: listed.value };
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    let last: Synthesis = { ok: false, reason: `no branch of "${name}" can be synthesised` };
    for (const branch of branches) {
      last = synthesiseNode(name, isRecord(branch) ? { ...schema, [keyword]: undefined, ...branch } : branch, root, depth + 1);
      if (last.ok) return last;
    }
    return last;
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Record<string, unknown> = { ...schema, allOf: undefined };
    for (const part of schema.allOf) {
      if (!isRecord(part)) continue;
      const resolved = resolveRef(part, root) ?? {};
      merged.properties = { ...(isRecord(merged.properties) ? merged.properties : {}), ...(isRecord(resolved.properties) ? resolved.properties : {}) };
      merged.required = [
        ...(Array.isArray(merged.required) ? (merged.required as unknown[]) : []),
        ...(Array.isArray(resolved.required) ? (resolved.required as unknown[]) : []),
      ];
      if (merged.type === undefined && resolved.type !== undefined) merged.type = resolved.type;
    }
    return synthesiseNode(name, merged, root, depth + 1);
  }
  const types = schemaTypes(schema) ?? (isRecord(schema.properties) ? ['object'] : schema.items !== undefined ? ['array'] : undefined);
  if (types === undefined) return { ok: false, reason: `the schema of "${name}" has no type, enum or default` };
  if (types.includes('null')) return { ok: true, value: null };
  const type = types[0];
  switch (type) {
    case 'object':
      return synthesiseObject(schema, root, depth);
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      if (minItems === 0) return { ok: true, value: [] };
      if (minItems > 5) return { ok: false, reason: `"${name}" needs ${minItems} items` };
      const item = synthesiseNode(name, Array.isArray(schema.items) ? schema.items[0] : schema.items, root, depth + 1);
      return item.ok ? { ok: true, value: Array.from({ length: minItems }, () => item.value) } : item;
    }
    case 'boolean':
      return { ok: true, value: false };
    case 'integer':
    case 'number':
      return synthesiseNumber(schema, type === 'integer');
    case 'string':
      return synthesiseString(name, schema);
    default:
      return { ok: false, reason: `"${name}" has type ${String(type)}` };
  }
}

function synthesiseObject(schema: Record<string, unknown>, root: unknown, depth: number): Synthesis {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((item): item is string => typeof item === 'string') : [];
  const value: Record<string, unknown> = {};
  for (const name of required) {
    const property = synthesiseNode(name, properties[name], root, depth + 1);
    if (!property.ok) return property;
    value[name] = property.value;
  }
  return { ok: true, value };
}

/** Minimal valid arguments for a tool, or why none can be made safely. */
export function synthesiseArguments(inputSchema: unknown): Synthesis {
  if (inputSchema === undefined) return { ok: true, value: {} };
  if (!isRecord(inputSchema)) return { ok: false, reason: 'the input schema is not an object' };
  const result = synthesiseObject(inputSchema, inputSchema, 0);
  if (result.ok && !isRecord(result.value)) return { ok: false, reason: 'the arguments would not be an object' };
  return result;
}

/**
 * Arguments the schema rejects: the required properties left out, else one property given a value of
 * the wrong type (never a value a lax server could act on: `false` for a string, a word for a number).
 */
export function invalidArguments(inputSchema: unknown): (Synthesis & { ok: false }) | { ok: true; value: unknown; kind: InvalidKind } {
  if (!isRecord(inputSchema)) return { ok: false, reason: 'the input schema is not an object' };
  const required = Array.isArray(inputSchema.required) ? inputSchema.required.filter((item) => typeof item === 'string') : [];
  if (required.length > 0) return { ok: true, value: {}, kind: 'missing-required' };
  const properties = isRecord(inputSchema.properties) ? inputSchema.properties : {};
  for (const [name, property] of Object.entries(properties)) {
    const types = schemaTypes(property);
    if (types === undefined || types.length !== 1) continue;
    const wrong =
      types[0] === 'string'
        ? false
        : types[0] === 'number' || types[0] === 'integer' || types[0] === 'boolean'
          ? 'not-a-number'
          : types[0] === 'object' || types[0] === 'array'
            ? 'not-an-object'
            : undefined;
    if (wrong !== undefined) return { ok: true, value: { [name]: wrong }, kind: 'wrong-type' };
  }
  if (inputSchema.additionalProperties === false) return { ok: true, value: { mcp_preflight_unexpected: 1 }, kind: 'unexpected-property' };
  return { ok: false, reason: 'the input schema accepts any arguments (no required or typed property, extra properties allowed)' };
}

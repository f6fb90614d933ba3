import { canonicalText, type Json } from './normalise.js';

/**
 * How a tool's input schema changed, judged by what the model may now send: a change that accepts
 * more (a new parameter, a bound or enum removed, additionalProperties opened, a type widened) is
 * a loosening; one that accepts less is a tightening. A change we cannot order (a new pattern in
 * place of another) counts as loosening: the new constraint was never reviewed.
 */
export interface SchemaChanges {
  loosened: string[];
  tightened: string[];
}

type Schema = { [key: string]: Json };

function isSchema(value: Json | undefined): value is Schema {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/** Upper bounds: removed or raised loosens. */
const UPPER = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'] as const;
/** Lower bounds: removed or lowered loosens. */
const LOWER = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'] as const;
/** Constraints whose removal loosens and whose addition tightens; a changed value counts as loosening. */
const CONSTRAINTS = ['pattern', 'format', 'const'] as const;

function show(value: Json | undefined): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

function typesOf(schema: Schema): Set<string> | undefined {
  const type = schema.type;
  if (type === undefined) return undefined;
  const types = new Set((Array.isArray(type) ? type : [type]).map(String));
  // An integer is a number: number in place of integer widens.
  if (types.has('number')) types.add('integer');
  return types;
}

export function compareSchemas(before: Json | undefined, after: Json | undefined, at = 'inputSchema'): SchemaChanges {
  const changes: SchemaChanges = { loosened: [], tightened: [] };
  walk(before, after, at, changes);
  return changes;
}

function walk(before: Json | undefined, after: Json | undefined, at: string, out: SchemaChanges): void {
  if (canonicalText(before ?? null) === canonicalText(after ?? null)) return;
  if (!isSchema(before) || !isSchema(after)) {
    // `true` (or no schema) accepts anything, a schema some things, `false` nothing.
    const breadth = (value: Json | undefined) => (isSchema(value) ? 1 : value === false ? 0 : 2);
    (breadth(after) >= breadth(before) ? out.loosened : out.tightened).push(
      `${at}: ${isSchema(before) ? 'schema' : show(before)} → ${isSchema(after) ? 'schema' : show(after)}`,
    );
    return;
  }
  const typesBefore = typesOf(before);
  const typesAfter = typesOf(after);
  if (canonicalText(before.type ?? null) !== canonicalText(after.type ?? null)) {
    const widened = typesAfter === undefined || (typesBefore !== undefined && [...typesBefore].every((type) => typesAfter.has(type)));
    (widened ? out.loosened : out.tightened).push(`${at}.type: ${show(before.type)} → ${show(after.type)}`);
  }
  for (const key of UPPER) bound(before[key], after[key], `${at}.${key}`, 'upper', out);
  for (const key of LOWER) bound(before[key], after[key], `${at}.${key}`, 'lower', out);
  for (const key of CONSTRAINTS) {
    if (canonicalText(before[key] ?? null) === canonicalText(after[key] ?? null)) continue;
    (after[key] === undefined || before[key] !== undefined ? out.loosened : out.tightened).push(`${at}.${key}: ${show(before[key])} → ${show(after[key])}`);
  }
  enumChange(before.enum, after.enum, `${at}.enum`, out);
  walk(before.additionalProperties, after.additionalProperties, `${at}.additionalProperties`, out);

  const propsBefore = isSchema(before.properties) ? before.properties : {};
  const propsAfter = isSchema(after.properties) ? after.properties : {};
  const requiredBefore = new Set(Array.isArray(before.required) ? before.required.map(String) : []);
  const requiredAfter = new Set(Array.isArray(after.required) ? after.required.map(String) : []);
  for (const name of Object.keys(propsAfter).sort()) {
    if (!(name in propsBefore)) out.loosened.push(`${at}.properties.${name}: new ${requiredAfter.has(name) ? 'required' : 'optional'} parameter`);
  }
  for (const name of Object.keys(propsBefore).sort()) {
    if (!(name in propsAfter)) out.tightened.push(`${at}.properties.${name}: parameter removed`);
    else walk(propsBefore[name], propsAfter[name], `${at}.properties.${name}`, out);
  }
  for (const name of [...requiredBefore].sort())
    if (!requiredAfter.has(name) && name in propsAfter) out.loosened.push(`${at}.required: "${name}" no longer required`);
  for (const name of [...requiredAfter].sort())
    if (!requiredBefore.has(name) && name in propsBefore) out.tightened.push(`${at}.required: "${name}" now required`);
  walk(before.items, after.items, `${at}.items`, out);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (canonicalText(before[key] ?? null) !== canonicalText(after[key] ?? null)) out.loosened.push(`${at}.${key}: changed`);
  }
}

function bound(before: Json | undefined, after: Json | undefined, at: string, side: 'upper' | 'lower', out: SchemaChanges): void {
  if (before === after) return;
  const looser = after === undefined || (typeof before === 'number' && typeof after === 'number' && (side === 'upper' ? after > before : after < before));
  (looser ? out.loosened : out.tightened).push(`${at}: ${show(before)} → ${show(after)}`);
}

function enumChange(before: Json | undefined, after: Json | undefined, at: string, out: SchemaChanges): void {
  if (canonicalText(before ?? null) === canonicalText(after ?? null)) return;
  if (!Array.isArray(after)) {
    out.loosened.push(`${at}: removed`);
    return;
  }
  if (!Array.isArray(before)) {
    out.tightened.push(`${at}: ${show(after)} added`);
    return;
  }
  const was = new Set(before.map((value) => canonicalText(value)));
  const now = new Set(after.map((value) => canonicalText(value)));
  const added = [...now].filter((value) => !was.has(value));
  const removed = [...was].filter((value) => !now.has(value));
  if (added.length > 0) out.loosened.push(`${at}: ${added.join(', ')} added`);
  if (removed.length > 0) out.tightened.push(`${at}: ${removed.join(', ')} removed`);
}

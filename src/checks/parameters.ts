import { isRecord, joinPath, schemaTypes } from './json-schema.js';
import { splitWords } from './words.js';

/**
 * Parameter helpers shared by the design, schema and output rules: walking a tool's top-level
 * parameters and deciding whether a string parameter is free-form (anything the model writes goes
 * through) or restricted by the schema itself.
 */

export interface Parameter {
  name: string;
  /** Lower-case words of the name: `filePath` → file, path. */
  words: readonly string[];
  schema: unknown;
  /** `inputSchema.properties.filePath`. */
  field: string;
}

/** Top-level parameters of an input schema (`properties` of the root object). */
export function parametersOf(inputSchema: unknown): readonly Parameter[] {
  if (!isRecord(inputSchema) || !isRecord(inputSchema.properties)) return [];
  return Object.entries(inputSchema.properties).map(([name, schema]) => ({
    name,
    words: splitWords(name),
    schema,
    field: joinPath('inputSchema.properties', name),
  }));
}

// Patterns that accept (nearly) anything do not restrict a value: `.*`, `^.+$`, `\S+`, `^https?://.*`.
const TRIVIAL_PATTERN = /^\^?(?:\(\?:)?(?:https?\??:\/\/|[a-z]+:\/\/)?(?:\.|\\S|\\s|\[\^\\s\]|\[\\s\\S\]|\[\^\/?\])[*+]\)?\$?$/i;

export function isTrivialPattern(pattern: string): boolean {
  return pattern.trim() === '' || TRIVIAL_PATTERN.test(pattern.trim());
}

/** The value set is fixed by the schema: `enum`, `const`, or a non-trivial `pattern`. */
export function isRestricted(schema: Record<string, unknown>): boolean {
  if (schema.enum !== undefined || schema.const !== undefined) return true;
  return typeof schema.pattern === 'string' && !isTrivialPattern(schema.pattern);
}

/**
 * A string (or string-array) parameter the schema does not restrict. A schema without `type` that
 * names a string `format` counts as a string. `anyOf`/`oneOf` of strings count when every branch is
 * an unrestricted string.
 */
export function isFreeFormString(schema: unknown): boolean {
  if (!isRecord(schema) || isRestricted(schema)) return false;
  const types = schemaTypes(schema);
  if (types === undefined) {
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
    if (branches !== undefined && branches.length > 0) return branches.every((branch) => isFreeFormString(branch) || isNullSchema(branch));
    return typeof schema.format === 'string';
  }
  if (types.includes('string')) return true;
  return types.includes('array') && isFreeFormString(schema.items);
}

function isNullSchema(schema: unknown): boolean {
  return isRecord(schema) && schemaTypes(schema)?.length === 1 && schemaTypes(schema)?.[0] === 'null';
}

/** The string schema of a parameter, or of its items when it is an array. */
export function stringSchemaOf(schema: unknown): Record<string, unknown> | undefined {
  if (!isRecord(schema)) return undefined;
  const types = schemaTypes(schema);
  if (types?.includes('array') && isRecord(schema.items)) return schema.items;
  return schema;
}

function numericSchema(schema: unknown): boolean {
  const types = schemaTypes(schema);
  if (types === undefined || types.length === 0) return false;
  return types.every((type) => type === 'number' || type === 'integer' || (type === 'array' && isRecord(schema) && numericSchema(schema.items)));
}

/** The tool takes parameters and every one is a number (or a list of numbers): `add(a, b)` adds up. */
export function hasOnlyNumericParameters(inputSchema: unknown): boolean {
  const parameters = parametersOf(inputSchema);
  return parameters.length > 0 && parameters.every((parameter) => numericSchema(parameter.schema));
}

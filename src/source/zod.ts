import type { AnalysisContext, Node } from './context.js';
import { propertyName } from './context.js';

/**
 * zod (v3 and v4) schemas written in source → enough JSON Schema to judge types, `required`,
 * bounds and openness. Only what is written literally is converted; anything else becomes
 * `DYNAMIC` so callers say "could not be determined" rather than guess.
 */

export const DYNAMIC = Symbol('dynamic schema');
export type Converted = Record<string, unknown> | typeof DYNAMIC;

export interface ZodOptions {
  /** Whether `z.object` is closed by default (SDK 1.x with zod-to-json-schema: yes; zod 4 `toJSONSchema`: no). */
  closedObjects: boolean;
}

interface Chain {
  /** `z.string`, `string` (from `import { string } from 'zod'`)… */
  base: string;
  baseArgs: readonly Node[];
  modifiers: Array<{ name: string; args: readonly Node[] }>;
}

/** Splits `z.string().min(1).describe('x')` into base `string` and its modifiers. */
function chainOf(context: AnalysisContext, node: Node): Chain | undefined {
  const ts = context.ts;
  const modifiers: Chain['modifiers'] = [];
  let current = context.unwrap(node);
  for (let i = 0; i < 40; i++) {
    if (!ts.isCallExpression(current)) return undefined;
    const callee = context.unwrap(current.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const target = context.unwrap(callee.expression);
      if (ts.isIdentifier(target) && /^(z|zod|Zod)$/.test(target.text))
        return { base: callee.name.text, baseArgs: current.arguments, modifiers: modifiers.reverse() };
      modifiers.push({ name: callee.name.text, args: current.arguments });
      const resolved = ts.isIdentifier(target) ? context.resolve(target) : target;
      if (resolved === undefined) return undefined;
      current = resolved;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Is this expression a zod schema at all (so a raw shape can be told from a JSON Schema literal)? */
export function looksLikeZod(context: AnalysisContext, node: Node | undefined): boolean {
  if (node === undefined) return false;
  const resolved = context.resolve(node);
  return resolved !== undefined && chainOf(context, resolved) !== undefined;
}

export function isRawShape(context: AnalysisContext, node: Node | undefined): boolean {
  const ts = context.ts;
  const resolved = context.resolve(node);
  if (resolved === undefined || !ts.isObjectLiteralExpression(resolved)) return false;
  if (resolved.properties.length === 0) return true;
  return resolved.properties.every((member) => ts.isPropertyAssignment(member) && looksLikeZod(context, member.initializer));
}

/** A raw shape (`{ a: z.string() }`), `z.object(...)` or any zod expression → JSON Schema. */
export function zodToJsonSchema(context: AnalysisContext, node: Node | undefined, options: ZodOptions, depth = 0): Converted {
  const ts = context.ts;
  if (node === undefined || depth > 20) return DYNAMIC;
  const resolved = context.resolve(node);
  if (resolved === undefined) return DYNAMIC;
  if (ts.isObjectLiteralExpression(resolved)) return objectSchema(context, resolved, options, depth, options.closedObjects);
  const chain = chainOf(context, resolved);
  if (chain === undefined) return DYNAMIC;
  let schema = baseSchema(context, chain, options, depth);
  if (schema === DYNAMIC) return DYNAMIC;
  let optional = false;
  for (const modifier of chain.modifiers) {
    const number = modifier.args[0] === undefined ? undefined : context.literalValue(modifier.args[0]);
    const text = context.staticText(modifier.args[0]);
    const isString = schema.type === 'string';
    const isArray = schema.type === 'array';
    switch (modifier.name) {
      case 'optional':
      case 'nullish':
        optional = true;
        if (modifier.name === 'nullish') schema = { anyOf: [schema, { type: 'null' }] };
        break;
      case 'default':
        optional = true;
        if (number !== undefined) schema = { ...schema, default: number };
        break;
      case 'nullable':
        schema = { anyOf: [schema, { type: 'null' }] };
        break;
      case 'describe':
        if (text && 'value' in text) schema = { ...schema, description: text.value };
        break;
      case 'min':
      case 'nonempty':
      case 'gte':
        if (isString) schema = { ...schema, minLength: modifier.name === 'nonempty' ? 1 : number };
        else if (isArray) schema = { ...schema, minItems: modifier.name === 'nonempty' ? 1 : number };
        else schema = { ...schema, minimum: number };
        break;
      case 'max':
      case 'lte':
        if (isString) schema = { ...schema, maxLength: number };
        else if (isArray) schema = { ...schema, maxItems: number };
        else schema = { ...schema, maximum: number };
        break;
      case 'length':
        if (isString) schema = { ...schema, minLength: number, maxLength: number };
        else if (isArray) schema = { ...schema, minItems: number, maxItems: number };
        break;
      case 'gt':
        schema = { ...schema, exclusiveMinimum: number };
        break;
      case 'lt':
        schema = { ...schema, exclusiveMaximum: number };
        break;
      case 'positive':
        schema = { ...schema, exclusiveMinimum: 0 };
        break;
      case 'nonnegative':
        schema = { ...schema, minimum: 0 };
        break;
      case 'int':
        schema = { ...schema, type: 'integer' };
        break;
      case 'regex':
        schema = {
          ...schema,
          pattern: ts.isRegularExpressionLiteral(context.unwrap(modifier.args[0] ?? resolved)) ? regexSource(context.text(modifier.args[0]!, 10_000)) : '.*',
        };
        break;
      case 'email':
      case 'url':
      case 'uuid':
      case 'datetime':
      case 'date':
        schema = { ...schema, format: modifier.name === 'url' ? 'uri' : modifier.name === 'datetime' ? 'date-time' : modifier.name };
        break;
      case 'strict':
        schema = { ...schema, additionalProperties: false };
        break;
      case 'passthrough':
      case 'loose':
        schema = { ...schema, additionalProperties: true };
        break;
      case 'catchall': {
        const inner = zodToJsonSchema(context, modifier.args[0], options, depth + 1);
        schema = { ...schema, additionalProperties: inner === DYNAMIC ? true : inner };
        break;
      }
      case 'array':
        schema = { type: 'array', items: schema };
        break;
      case 'or': {
        const other = zodToJsonSchema(context, modifier.args[0], options, depth + 1);
        schema = { anyOf: [schema, other === DYNAMIC ? {} : other] };
        break;
      }
      default:
        // refine, transform, trim, toLowerCase, brand, meta...: no effect on the JSON shape we judge.
        break;
    }
  }
  if (optional) schema = { ...schema, [OPTIONAL]: true };
  return schema;
}

const OPTIONAL = '__optional';

function regexSource(literal: string): string {
  const last = literal.lastIndexOf('/');
  return literal.slice(1, last);
}

function objectSchema(context: AnalysisContext, object: Node, options: ZodOptions, depth: number, closed: boolean): Converted {
  const ts = context.ts;
  if (!ts.isObjectLiteralExpression(object)) return DYNAMIC;
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const member of object.properties) {
    if (!ts.isPropertyAssignment(member)) return DYNAMIC;
    const key = propertyName(ts, member.name);
    if (key === undefined) return DYNAMIC;
    const value = zodToJsonSchema(context, member.initializer, options, depth + 1);
    if (value === DYNAMIC) {
      properties[key] = {};
      required.push(key);
      continue;
    }
    const { [OPTIONAL]: optional, ...rest } = value;
    properties[key] = rest;
    if (optional !== true) required.push(key);
  }
  const schema: Record<string, unknown> = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  if (closed) schema.additionalProperties = false;
  return schema;
}

function baseSchema(context: AnalysisContext, chain: Chain, options: ZodOptions, depth: number): Converted {
  const arg = chain.baseArgs[0];
  switch (chain.base) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'bigint':
    case 'int':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'null':
      return { type: 'null' };
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'any':
    case 'unknown':
      return {};
    case 'literal': {
      const value = context.literalValue(arg);
      return value === undefined ? {} : { const: value };
    }
    case 'enum':
    case 'nativeEnum': {
      const values = context.literalValue(arg);
      if (Array.isArray(values)) return { type: 'string', enum: values };
      if (values && typeof values === 'object') return { enum: Object.values(values) };
      return { type: 'string', enum: [] };
    }
    case 'email':
    case 'url':
    case 'uuid':
      return { type: 'string', format: chain.base === 'url' ? 'uri' : chain.base };
    case 'array': {
      const items = zodToJsonSchema(context, arg, options, depth + 1);
      return { type: 'array', items: items === DYNAMIC ? {} : stripOptional(items) };
    }
    case 'object':
    case 'strictObject':
    case 'looseObject': {
      const resolved = context.resolve(arg);
      if (arg === undefined) return { type: 'object', properties: {}, ...(options.closedObjects ? { additionalProperties: false } : {}) };
      if (resolved === undefined) return DYNAMIC;
      const closed = chain.base === 'strictObject' ? true : chain.base === 'looseObject' ? false : options.closedObjects;
      const schema = objectSchema(context, resolved, options, depth, closed);
      if (schema !== DYNAMIC && chain.base === 'looseObject') schema.additionalProperties = true;
      return schema;
    }
    case 'record': {
      const value = zodToJsonSchema(context, chain.baseArgs[chain.baseArgs.length - 1], options, depth + 1);
      return { type: 'object', additionalProperties: value === DYNAMIC ? {} : stripOptional(value) };
    }
    case 'union':
    case 'discriminatedUnion': {
      const list = context.resolve(chain.base === 'union' ? arg : chain.baseArgs[1]);
      if (list === undefined || !context.ts.isArrayLiteralExpression(list)) return DYNAMIC;
      const variants = list.elements.map((element) => zodToJsonSchema(context, element, options, depth + 1));
      if (variants.includes(DYNAMIC)) return DYNAMIC;
      return { anyOf: variants.map((variant) => stripOptional(variant as Record<string, unknown>)) };
    }
    case 'tuple': {
      const list = context.resolve(arg);
      if (list === undefined || !context.ts.isArrayLiteralExpression(list)) return DYNAMIC;
      const items = list.elements.map((element) => zodToJsonSchema(context, element, options, depth + 1));
      if (items.includes(DYNAMIC)) return DYNAMIC;
      return { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
    }
    case 'optional': {
      const inner = zodToJsonSchema(context, arg, options, depth + 1);
      return inner === DYNAMIC ? DYNAMIC : { ...inner, [OPTIONAL]: true };
    }
    case 'coerce':
      return DYNAMIC;
    default:
      return DYNAMIC;
  }
}

function stripOptional(schema: Record<string, unknown>): Record<string, unknown> {
  const { [OPTIONAL]: _ignored, ...rest } = schema;
  return rest;
}

/** The final form handed to the inventory: no internal markers. */
export function finalSchema(converted: Converted): Record<string, unknown> | undefined {
  return converted === DYNAMIC ? undefined : stripOptional(converted);
}

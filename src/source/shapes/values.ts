import type { AnalysisContext, Node } from '../context.js';
import type { SourceRegistration, StaticText } from '../types.js';
import { finalSchema, isRawShape, looksLikeZod, zodToJsonSchema, type ZodOptions } from '../zod.js';

/** What a registration says about itself, read the same way by every shape: texts, schemas, annotations, prompt arguments. */

export function schemaOf(
  context: AnalysisContext,
  node: Node | undefined,
  zodOptions: ZodOptions,
): Pick<SourceRegistration, 'inputSchema' | 'inputSchemaDynamic'> {
  if (node === undefined) return {};
  const ts = context.ts;
  const resolved = context.resolve(node);
  if (resolved === undefined) return { inputSchemaDynamic: true };
  // zodToJsonSchema(X) / z.toJSONSchema(X) / toJsonSchema(X): convert X.
  if (
    ts.isCallExpression(resolved) &&
    /(zodToJsonSchema|toJSONSchema|toJsonSchema)$/.test(context.dottedName(resolved.expression)) &&
    resolved.arguments[0] !== undefined
  ) {
    const converted = finalSchema(zodToJsonSchema(context, resolved.arguments[0], { closedObjects: true }));
    return converted === undefined ? { inputSchemaDynamic: true } : { inputSchema: converted };
  }
  if (isRawShape(context, resolved) || looksLikeZod(context, resolved)) {
    const converted = finalSchema(zodToJsonSchema(context, resolved, zodOptions));
    return converted === undefined ? { inputSchemaDynamic: true } : { inputSchema: converted };
  }
  const literal = context.literalValue(resolved);
  if (literal !== undefined && typeof literal === 'object') return { inputSchema: literal };
  return { inputSchemaDynamic: true };
}

export function annotationsOf(context: AnalysisContext, node: Node | undefined): Record<string, unknown> | undefined {
  if (node === undefined) return undefined;
  const value = context.literalValue(node);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function text(context: AnalysisContext, node: Node | undefined): StaticText | undefined {
  return node === undefined ? undefined : context.staticText(node);
}

export function promptArguments(context: AnalysisContext, registration: SourceRegistration, schema: Node | undefined, zodOptions: ZodOptions): void {
  if (schema === undefined) return;
  const converted = finalSchema(zodToJsonSchema(context, schema, zodOptions));
  if (converted === undefined) return;
  const properties = (converted.properties ?? {}) as Record<string, { description?: string }>;
  const required = new Set((converted.required as string[] | undefined) ?? []);
  registration.arguments = Object.entries(properties).map(([name, property]) => ({
    name,
    ...(property.description !== undefined ? { description: property.description } : {}),
    required: required.has(name),
  }));
}

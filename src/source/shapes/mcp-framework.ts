import type { ts as TsNamespace } from 'ts-morph';
import { propertyName, type AnalysisContext, type Node } from '../context.js';
import { handlerFacts } from '../handlers.js';
import type { SourceRegistration } from '../types.js';
import { finalSchema, isRawShape, zodToJsonSchema, type ZodOptions } from '../zod.js';
import { base } from './registration.js';
import type { ExtractOptions, Kind, Shape } from './shape.js';
import { annotationsOf, schemaOf, text } from './values.js';

const FRAMEWORK_BASES: Record<string, Kind> = { MCPTool: 'tool', MCPResource: 'resource', MCPPrompt: 'prompt' };
const FRAMEWORK_HANDLERS = ['execute', 'read', 'generateMessages'];

/** mcp-framework: one class per capability, extending `MCPTool`, `MCPResource` or `MCPPrompt`. */
export const mcpFramework: Shape = {
  name: 'mcp-framework',
  extract({ context, zodOptions, options }, found) {
    return {
      kinds: [context.ts.SyntaxKind.ClassDeclaration],
      visit(node) {
        if (!context.ts.isClassDeclaration(node)) return;
        const registration = frameworkClass(context, node, zodOptions, options);
        if (registration !== undefined) found.push(registration);
      },
    };
  },
};

/** mcp-framework: `class X extends MCPTool { name = '...'; description; schema; execute() }`. */
function frameworkClass(
  context: AnalysisContext,
  declaration: TsNamespace.ClassDeclaration,
  zodOptions: ZodOptions,
  options: ExtractOptions,
): SourceRegistration | undefined {
  const ts = context.ts;
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (heritage === undefined) return undefined;
  const baseName = context.dottedName(heritage.expression);
  const kind = FRAMEWORK_BASES[baseName];
  if (kind === undefined) return undefined;
  const member = (name: string): TsNamespace.ClassElement | undefined =>
    declaration.members.find((element) => element.name !== undefined && ts.isIdentifier(element.name) && element.name.text === name);
  const initializer = (name: string): Node | undefined => {
    const element = member(name);
    if (element === undefined) return undefined;
    if (ts.isPropertyDeclaration(element)) return element.initializer;
    if (ts.isGetAccessorDeclaration(element)) {
      const returned = element.body?.statements.find(ts.isReturnStatement);
      return returned?.expression;
    }
    return undefined;
  };
  const nameNode = initializer('name');
  if (nameNode === undefined) return undefined;
  const registration = base(context, kind, 'mcp-framework', `extends ${baseName}`, nameNode, declaration);
  const description = text(context, initializer('description'));
  if (description) registration.description = description;
  if (kind === 'tool') {
    const schema = initializer('schema');
    if (schema !== undefined) Object.assign(registration, frameworkSchema(context, schema, zodOptions));
    const annotations = annotationsOf(context, initializer('annotations'));
    if (annotations) registration.annotations = annotations;
  } else if (kind === 'resource') {
    const uri = context.staticText(initializer('uri'));
    if (uri && 'value' in uri) {
      if (/\{[^}]+\}/.test(uri.value)) {
        registration.kind = 'resourceTemplate';
        registration.uriTemplate = uri.value;
      } else {
        registration.uri = uri.value;
      }
    }
  }
  const handler = FRAMEWORK_HANDLERS.map((name) => member(name)).find((element) => element !== undefined);
  if (handler !== undefined) registration.handler = handlerFacts(context, handler, options.callDepth);
  return registration;
}

/** mcp-framework's older schema form: `{ a: { type: z.string(), description: '...' } }`. */
function frameworkSchema(context: AnalysisContext, schema: Node, zodOptions: ZodOptions): Pick<SourceRegistration, 'inputSchema' | 'inputSchemaDynamic'> {
  const ts = context.ts;
  const resolved = context.resolve(schema);
  if (resolved !== undefined && ts.isObjectLiteralExpression(resolved) && resolved.properties.length > 0 && !isRawShape(context, resolved)) {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const member of resolved.properties) {
      if (!ts.isPropertyAssignment(member)) return { inputSchemaDynamic: true };
      const key = propertyName(ts, member.name);
      const type = context.property(member.initializer, 'type');
      if (key === undefined || type === undefined) return { inputSchemaDynamic: true };
      const converted = finalSchema(zodToJsonSchema(context, type, zodOptions)) ?? {};
      const description = context.staticText(context.property(member.initializer, 'description'));
      properties[key] = description && 'value' in description ? { ...converted, description: description.value } : converted;
      const raw = zodToJsonSchema(context, type, zodOptions);
      if (typeof raw === 'object' && raw.__optional !== true) required.push(key);
    }
    return { inputSchema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) } };
  }
  return schemaOf(context, schema, zodOptions);
}

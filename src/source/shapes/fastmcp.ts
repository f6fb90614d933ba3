import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext } from '../context.js';
import type { SourceRegistration } from '../types.js';
import type { ZodOptions } from '../zod.js';
import { base, isMethodCall, withHandler } from './registration.js';
import type { ExtractOptions, Kind, Shape } from './shape.js';
import { annotationsOf, schemaOf, text } from './values.js';

const FASTMCP: Record<string, Kind> = Object.assign(Object.create(null) as Record<string, Kind>, {
  addTool: 'tool',
  addResource: 'resource',
  addResourceTemplate: 'resourceTemplate',
  addPrompt: 'prompt',
});

/** fastmcp: `addTool`, `addResource`, `addResourceTemplate` and `addPrompt` with one config object. */
export const fastmcp: Shape = {
  name: 'fastmcp',
  extract({ context, zodOptions, options }, found) {
    return {
      kinds: [context.ts.SyntaxKind.CallExpression],
      visit(node) {
        if (!isMethodCall(context, node)) return;
        const kind = FASTMCP[node.expression.name.text];
        if (kind === undefined) return;
        const registration = fastMcp(context, node, kind, context.dottedName(node.expression), zodOptions, options);
        if (registration !== undefined) found.push(registration);
      },
    };
  },
};

/** fastmcp: `server.addTool({ name, description, parameters, annotations, timeoutMs, canAccess, execute })`. */
function fastMcp(
  context: AnalysisContext,
  call: TsNamespace.CallExpression,
  kind: Kind,
  api: string,
  zodOptions: ZodOptions,
  options: ExtractOptions,
): SourceRegistration | undefined {
  const ts = context.ts;
  const config = context.resolve(call.arguments[0]);
  if (config === undefined || !ts.isObjectLiteralExpression(config)) return undefined;
  const nameNode = context.property(config, 'name');
  const handler = context.property(config, kind === 'tool' ? 'execute' : 'load');
  if (nameNode === undefined || handler === undefined) return undefined;
  const registration = base(context, kind, 'fastmcp', api, nameNode, call);
  const description = text(context, context.property(config, 'description'));
  if (description) registration.description = description;
  if (kind === 'tool') {
    const parameters = context.property(config, 'parameters');
    if (parameters !== undefined) Object.assign(registration, schemaOf(context, parameters, zodOptions));
    else registration.inputSchema = { type: 'object', properties: {} };
    const annotations = annotationsOf(context, context.property(config, 'annotations'));
    if (annotations) registration.annotations = annotations;
    if (context.property(config, 'timeoutMs') !== undefined) registration.options.timeoutMs = true;
    if (context.property(config, 'canAccess') !== undefined) registration.options.canAccess = true;
  } else if (kind === 'resource') {
    const uri = context.staticText(context.property(config, 'uri'));
    if (uri && 'value' in uri) registration.uri = uri.value;
  } else if (kind === 'resourceTemplate') {
    const template = context.staticText(context.property(config, 'uriTemplate'));
    if (template && 'value' in template) registration.uriTemplate = template.value;
  } else {
    const list = context.literalValue(context.property(config, 'arguments'));
    if (Array.isArray(list)) {
      registration.arguments = list
        .filter(
          (item): item is { name: string; description?: string; required?: boolean } =>
            typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string',
        )
        .map((item) => ({ name: item.name, ...(item.description !== undefined ? { description: item.description } : {}), required: item.required === true }));
    }
  }
  return withHandler(context, registration, handler, options);
}

import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext, Node } from '../context.js';
import { propertyName } from '../context.js';
import type { RegistrationShape, SourceRegistration } from '../types.js';
import { isRawShape, type ZodOptions } from '../zod.js';
import { insideMcpAgent } from './cloudflare-agent.js';
import { calleeFunction, handlerFacts } from '../handlers.js';
import { base, isMethodCall, withHandler } from './registration.js';
import { importsSdkV2 } from './sdk-v2.js';
import type { ExtractOptions, Kind, Shape } from './shape.js';
import { annotationsOf, promptArguments, schemaOf, text } from './values.js';

const HIGH_LEVEL: Record<string, Kind> = Object.assign(Object.create(null) as Record<string, Kind>, {
  registerTool: 'tool',
  tool: 'tool',
  registerToolTask: 'tool',
  registerResource: 'resource',
  resource: 'resource',
  registerPrompt: 'prompt',
  prompt: 'prompt',
});

const ANNOTATION_KEYS = new Set(['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']);

/**
 * The official SDK's high level: `registerTool`, `tool`, `registerResource`, `resource`,
 * `registerPrompt`, `prompt` and `experimental.tasks.registerToolTask` on any receiver. The same
 * calls in a v2 file or in a Cloudflare `McpAgent` carry those shapes' labels.
 */
export const sdkHighLevel: Shape = {
  name: 'sdk-high-level',
  extract({ context, zodOptions, options }, found) {
    return {
      kinds: [context.ts.SyntaxKind.CallExpression],
      visit(node) {
        if (!isMethodCall(context, node)) return;
        const kind = HIGH_LEVEL[node.expression.name.text];
        if (kind === undefined) return;
        const registration = highLevel(context, node, node.expression.name.text, kind, context.dottedName(node.expression), zodOptions, options);
        if (registration !== undefined) found.push(registration);
      },
    };
  },
};

function isAnnotationsObject(context: AnalysisContext, node: Node): boolean {
  const ts = context.ts;
  const resolved = context.resolve(node);
  if (resolved === undefined || !ts.isObjectLiteralExpression(resolved) || resolved.properties.length === 0) return false;
  return resolved.properties.every((member) => member.name !== undefined && ANNOTATION_KEYS.has(propertyName(ts, member.name) ?? ''));
}

/** `server.registerTool(name, config, cb)` and friends, including the deprecated overloads. */
function highLevel(
  context: AnalysisContext,
  call: TsNamespace.CallExpression,
  method: string,
  kind: Kind,
  api: string,
  zodOptions: ZodOptions,
  options: ExtractOptions,
): SourceRegistration | undefined {
  const ts = context.ts;
  const args = call.arguments;
  const nameNode = args[0];
  if (nameNode === undefined || args.length < 2) return undefined;
  const nameText = context.staticText(nameNode);
  if (nameText === undefined) return undefined;
  // Unrelated `.tool(x)` / `.prompt(x)` calls: an MCP registration ends with a handler.
  const last = args[args.length - 1]!;
  const lastResolved = context.resolve(last);
  const handlerLike =
    lastResolved !== undefined &&
    (context.isFunction(lastResolved) ||
      ts.isIdentifier(lastResolved) ||
      ts.isPropertyAccessExpression(lastResolved) ||
      ts.isCallExpression(lastResolved) ||
      (method === 'registerToolTask' && ts.isObjectLiteralExpression(lastResolved)));
  if (!handlerLike) return undefined;
  const shape: RegistrationShape = insideMcpAgent(context, call) ? 'cloudflare-agent' : importsSdkV2(call.getSourceFile()) ? 'sdk-v2' : 'sdk-high-level';
  const registration = base(context, kind, shape, api, nameNode, call);

  if (method === 'registerTool' || method === 'registerToolTask' || method === 'registerPrompt') {
    const config = args.length >= 3 ? args[1] : undefined;
    const title = text(context, context.property(config, 'title'));
    const description = text(context, context.property(config, 'description'));
    if (title) registration.title = title;
    if (description) registration.description = description;
    if (kind === 'tool') {
      Object.assign(registration, schemaOf(context, context.property(config, 'inputSchema'), zodOptions));
      const output = context.property(config, 'outputSchema');
      if (output !== undefined) {
        const converted = schemaOf(context, output, zodOptions);
        if (converted.inputSchema !== undefined) registration.outputSchema = converted.inputSchema;
      }
      const annotations = annotationsOf(context, context.property(config, 'annotations'));
      if (annotations) registration.annotations = annotations;
    } else {
      promptArguments(context, registration, context.property(config, 'argsSchema'), zodOptions);
    }
    const handler = method === 'registerToolTask' ? taskHandler(context, last) : last;
    noteRegistrar(context, registration, nameNode, last, api, options);
    return withHandler(context, registration, handler, options);
  }

  if (method === 'registerResource' || method === 'resource') {
    if (args.length < 3) return undefined;
    const target = context.resolve(args[1]);
    if (target !== undefined && ts.isNewExpression(target) && context.dottedName(target.expression).endsWith('ResourceTemplate')) {
      registration.kind = 'resourceTemplate';
      const template = context.staticText(target.arguments?.[0]);
      if (template && 'value' in template) registration.uriTemplate = template.value;
    } else {
      const uri = context.staticText(args[1]);
      if (uri === undefined) return undefined;
      if ('value' in uri) registration.uri = uri.value;
    }
    const metadata = args.length >= 4 ? args[2] : undefined;
    const title = text(context, context.property(metadata, 'title'));
    const description = text(context, context.property(metadata, 'description'));
    if (title) registration.title = title;
    if (description) registration.description = description;
    return withHandler(context, registration, last, options);
  }

  // Deprecated `tool(name, [description], [shape | annotations], [annotations], cb)` and
  // `prompt(name, [description], [argsSchema], cb)`: the handler is always last.
  const middle = args.slice(1, -1);
  let index = 0;
  const first = middle[0];
  if (first !== undefined) {
    const description = context.staticText(first);
    if (description !== undefined) {
      registration.description = description;
      index = 1;
    }
  }
  const objects = middle.slice(index);
  if (kind === 'tool') {
    for (const object of objects) {
      if (isAnnotationsObject(context, object) && (objects.length === 1 ? !isRawShape(context, object) : object === objects[objects.length - 1])) {
        const annotations = annotationsOf(context, object);
        if (annotations) registration.annotations = annotations;
      } else {
        Object.assign(registration, schemaOf(context, object, zodOptions));
      }
    }
    // No shape: the SDK serves an empty object schema.
    if (registration.inputSchema === undefined && !registration.inputSchemaDynamic) registration.inputSchema = { type: 'object', properties: {} };
  } else if (objects[0] !== undefined) {
    promptArguments(context, registration, objects[0], zodOptions);
  }
  noteRegistrar(context, registration, nameNode, last, api, options);
  return withHandler(context, registration, last, options);
}

/**
 * `registerTool(t.name, config, handler)` in a loop over definitions: the handler is the
 * definition's own (`t.handler`) or a wrapper around it (`wrap({ logic: t.logic })`, `async (a) => {
 * log(); return t.run(a); }`). Records which definition properties it reads and what the wrapper
 * reaches (a factory's whole body), so definitions get it as code around their handler (linking.ts).
 */
function noteRegistrar(context: AnalysisContext, registration: SourceRegistration, nameNode: Node, last: Node, api: string, options: ExtractOptions): void {
  const ts = context.ts;
  if (registration.name !== undefined || options.registrars === undefined) return;
  const name = context.unwrap(nameNode);
  if (!ts.isPropertyAccessExpression(name) || name.name.text !== 'name' || !ts.isIdentifier(name.expression)) return;
  const definition = name.expression.text;
  const toggles = registration.toggles ?? [];
  const resolved = context.resolve(last);
  const keys = new Set<string>();
  const collect = (node: Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === definition) keys.add(node.name.text);
  };
  if (resolved !== undefined) {
    collect(resolved);
    context.walk(resolved, (node) => {
      collect(node);
    });
  }
  keys.delete('name');
  const wrapper =
    resolved === undefined
      ? undefined
      : context.isFunction(resolved)
        ? resolved
        : ts.isCallExpression(resolved)
          ? calleeFunction(context, resolved)
          : undefined;
  const facts = wrapper !== undefined && context.isFunction(wrapper) && keys.size > 0 ? handlerFacts(context, wrapper, options.callDepth) : undefined;
  if (facts === undefined && toggles.length === 0) return;
  options.registrars.push({
    kind: registration.kind,
    keys: [...keys],
    ...(facts === undefined ? {} : { around: { what: api, location: facts.location, reaches: facts.reaches } }),
    toggles,
  });
}

function taskHandler(context: AnalysisContext, node: Node): Node | undefined {
  const resolved = context.resolve(node);
  if (resolved !== undefined && context.ts.isObjectLiteralExpression(resolved)) return context.resolve(context.property(resolved, 'createTask')) ?? resolved;
  return node;
}

import path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext, Node, SourceFile } from './context.js';
import { propertyName } from './context.js';
import { calleeFunction, handlerFacts } from './handlers.js';
import { classify, switchReads } from './sites.js';
import type { CodeSite, RegistrationShape, SourceRegistration, StaticText } from './types.js';
import { finalSchema, isRawShape, looksLikeZod, zodToJsonSchema, type ZodOptions } from './zod.js';

/**
 * Finds every capability registration in one source file: the official SDK's high level
 * (`registerTool`, `tool`, `registerResource`, `resource`, `registerPrompt`, `prompt`,
 * `experimental.tasks.registerToolTask`), its low level (`setRequestHandler` with list literals and
 * `switch`/`if` dispatch), v2 (`@modelcontextprotocol/server`, same calls), fastmcp (`addTool`...),
 * mcp-framework (`class X extends MCPTool`), xmcp (file-based exports) and Cloudflare `McpAgent`
 * (ordinary `this.server.tool(...)` calls). A name that is computed at run time is kept as dynamic.
 */

type Kind = SourceRegistration['kind'];

const HIGH_LEVEL: Record<string, Kind> = Object.assign(Object.create(null) as Record<string, Kind>, {
  registerTool: 'tool',
  tool: 'tool',
  registerToolTask: 'tool',
  registerResource: 'resource',
  resource: 'resource',
  registerPrompt: 'prompt',
  prompt: 'prompt',
});

const FASTMCP: Record<string, Kind> = Object.assign(Object.create(null) as Record<string, Kind>, {
  addTool: 'tool',
  addResource: 'resource',
  addResourceTemplate: 'resourceTemplate',
  addPrompt: 'prompt',
});

const LIST_HANDLERS: Record<string, { kind: Kind; key: string }> = Object.assign(Object.create(null) as Record<string, { kind: Kind; key: string }>, {
  ListToolsRequestSchema: { kind: 'tool', key: 'tools' },
  'tools/list': { kind: 'tool', key: 'tools' },
  ListResourcesRequestSchema: { kind: 'resource', key: 'resources' },
  'resources/list': { kind: 'resource', key: 'resources' },
  ListResourceTemplatesRequestSchema: { kind: 'resourceTemplate', key: 'resourceTemplates' },
  'resources/templates/list': { kind: 'resourceTemplate', key: 'resourceTemplates' },
  ListPromptsRequestSchema: { kind: 'prompt', key: 'prompts' },
  'prompts/list': { kind: 'prompt', key: 'prompts' },
});

const DISPATCH_HANDLERS: Record<string, Kind> = Object.assign(Object.create(null) as Record<string, Kind>, {
  CallToolRequestSchema: 'tool',
  'tools/call': 'tool',
  GetPromptRequestSchema: 'prompt',
  'prompts/get': 'prompt',
});

const ANNOTATION_KEYS = new Set(['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']);
const FRAMEWORK_BASES: Record<string, Kind> = { MCPTool: 'tool', MCPResource: 'resource', MCPPrompt: 'prompt' };
const FRAMEWORK_HANDLERS = ['execute', 'read', 'generateMessages'];

export interface ExtractOptions {
  callDepth: number;
  /** Project root, for file-based (xmcp) conventions. */
  root: string;
  /** The project uses xmcp (file-based registrations under src/tools, src/prompts, src/resources). */
  xmcp: boolean;
  /** The project depends on zod 4, whose JSON Schema leaves objects open. */
  zod4?: boolean;
}

interface Dispatch {
  kind: Kind;
  /** Per-name branch (case clause or if branch). */
  branches: Map<string, Node>;
  /** The whole call handler, used when there is no per-name dispatch. */
  handler: Node;
}

export function extractRegistrations(context: AnalysisContext, file: SourceFile, options: ExtractOptions): SourceRegistration[] {
  const ts = context.ts;
  const zodOptions: ZodOptions = { closedObjects: options.zod4 !== true && !/['"]@modelcontextprotocol\/server['"]/.test(file.text) };
  const registrations: SourceRegistration[] = [];
  const lowLevel: SourceRegistration[] = [];
  const dispatches: Dispatch[] = [];

  context.walk(file, (node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const api = context.dottedName(node.expression);
      if (method === 'setRequestHandler') {
        const schemaArg = node.arguments[0];
        const handler = context.resolve(node.arguments[1]);
        if (schemaArg === undefined || handler === undefined) return;
        const schemaName = ts.isStringLiteral(schemaArg) ? schemaArg.text : context.dottedName(schemaArg).split('.').pop() ?? '';
        const list = LIST_HANDLERS[schemaName];
        if (list !== undefined) lowLevel.push(...listEntries(context, handler, list, api, zodOptions));
        const dispatch = DISPATCH_HANDLERS[schemaName];
        if (dispatch !== undefined) dispatches.push({ kind: dispatch, branches: dispatchBranches(context, handler), handler });
        return;
      }
      const high = HIGH_LEVEL[method];
      if (high !== undefined) {
        const registration = highLevel(context, node, method, high, api, zodOptions, options);
        if (registration !== undefined) registrations.push(registration);
        return;
      }
      const fast = FASTMCP[method];
      if (fast !== undefined) {
        const registration = fastMcp(context, node, fast, api, zodOptions, options);
        if (registration !== undefined) registrations.push(registration);
      }
    } else if (ts.isClassDeclaration(node)) {
      const registration = frameworkClass(context, node, zodOptions, options);
      if (registration !== undefined) registrations.push(registration);
    }
  });

  for (const registration of lowLevel) {
    const dispatch = dispatches.find((candidate) => candidate.kind === registration.kind);
    if (dispatch === undefined || registration.name === undefined) continue;
    const branch = dispatch.branches.get(registration.name) ?? (dispatch.branches.size === 0 ? dispatch.handler : undefined);
    if (branch !== undefined) registration.handler = handlerFacts(context, branch, options.callDepth);
  }
  registrations.push(...lowLevel);

  if (options.xmcp) {
    const registration = xmcpFile(context, file, zodOptions, options);
    if (registration !== undefined) registrations.push(registration);
  }
  return registrations;
}

function nameOf(context: AnalysisContext, node: Node): Pick<SourceRegistration, 'name' | 'nameDynamic'> {
  const text = context.staticText(node);
  if (text !== undefined && 'value' in text) return { name: text.value };
  return { nameDynamic: context.text(node) };
}

/** The condition a registration sits under (`if`, ternary, `&&`/`||`), nearest first; undefined when unconditional. */
function conditionOf(context: AnalysisContext, node: Node): Node | undefined {
  const ts = context.ts;
  for (let current: Node = node; current.parent !== undefined; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.expression !== current) return parent.expression;
    if (ts.isConditionalExpression(parent) && parent.condition !== current) return parent.condition;
    if (ts.isBinaryExpression(parent) && parent.right === current && (parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return parent.left;
    if (ts.isFunctionLike(parent) || ts.isSourceFile(parent) || ts.isClassLike(parent)) return undefined;
  }
  return undefined;
}

/**
 * `if (config.enableWrites) registerWriteTools(server)`: the registration sits unconditionally in a
 * named function, and every call of that function in the project is under a condition. Returns the
 * first call's condition. Call sites are looked up by name (syntax only), in files that mention it.
 */
function conditionalCaller(context: AnalysisContext, node: Node): { name: string; condition: Node } | undefined {
  const ts = context.ts;
  let fn: Node | undefined = node.parent;
  while (fn !== undefined && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  if (fn === undefined || ts.isSourceFile(fn) || ts.isClassLike(fn.parent)) return undefined;
  let name: string | undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name !== undefined) name = fn.name.text;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
  if (name === undefined) return undefined;
  const calls = callSitesNamed(context, name).filter((call) => call !== node && !isInside(call, fn));
  if (calls.length === 0) return undefined;
  let first: Node | undefined;
  for (const call of calls) {
    const condition = conditionOf(context, call);
    if (condition === undefined) return undefined;
    first ??= condition;
  }
  return first === undefined ? undefined : { name, condition: first };
}

function isInside(node: Node, container: Node): boolean {
  for (let current: Node | undefined = node; current !== undefined; current = current.parent) if (current === container) return true;
  return false;
}

const callsByFile = new WeakMap<SourceFile, Map<string, Node[]>>();
const filesByCallee = new WeakMap<AnalysisContext, Map<string, SourceFile[]>>();
/** `name(` not preceded by `function`: where a call of `name` may be (the syntax tree decides). */
const CALL_TEXT = /(?<!\bfunction\s*\*?\s*)(?<![\w$])([A-Za-z_$][\w$]*)\s*\(/g;

/** Files whose text may call each name; one regular-expression pass over the project, when first needed. */
function candidateFiles(context: AnalysisContext, name: string): SourceFile[] {
  let index = filesByCallee.get(context);
  if (index === undefined) {
    index = new Map();
    for (const file of context.files.values()) {
      for (const match of new Set(Array.from(file.text.matchAll(CALL_TEXT), (found) => found[1]!))) {
        const list = index.get(match);
        if (list === undefined) index.set(match, [file]);
        else list.push(file);
      }
    }
    filesByCallee.set(context, index);
  }
  return index.get(name) ?? [];
}

/** Calls whose callee ends in `name` (`name(...)`, `ns.name(...)`), across the project; one walk per candidate file, when first needed. */
function callSitesNamed(context: AnalysisContext, name: string): Node[] {
  const ts = context.ts;
  const calls: Node[] = [];
  for (const file of candidateFiles(context, name)) {
    let byName = callsByFile.get(file);
    if (byName === undefined) {
      const index = new Map<string, Node[]>();
      context.walk(file, (child) => {
        if (!ts.isCallExpression(child)) return;
        const callee = context.unwrap(child.expression);
        const key = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (key === undefined) return;
        const list = index.get(key);
        if (list === undefined) index.set(key, [child]);
        else list.push(child);
      });
      byName = index;
      callsByFile.set(file, byName);
    }
    calls.push(...(byName.get(name) ?? []));
  }
  return calls;
}

/** `RegisteredTool.disable()/enable()/remove()/update({ enabled })` or `.enabled =` on what a registration call returned. */
function togglesOf(context: AnalysisContext, call: Node): CodeSite[] {
  const ts = context.ts;
  const parent = call.parent;
  // `server.registerTool(...).disable()`
  if (parent !== undefined && ts.isPropertyAccessExpression(parent) && parent.expression === call) {
    return classify(context, parent.parent).filter((found) => found.kind === 'capability-toggle');
  }
  // `const tool = server.registerTool(...)` / `this.tool = ...` / `tools[name] = ...`
  let holder: string | undefined;
  if (parent !== undefined && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) holder = parent.name.text;
  else if (parent !== undefined && ts.isBinaryExpression(parent) && parent.right === call && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) holder = holderKey(context, parent.left);
  if (holder === undefined) return [];
  return fileToggles(context, call.getSourceFile()).filter((toggle) => toggle.holder === holder).map((toggle) => toggle.site);
}

const togglesByFile = new WeakMap<SourceFile, Array<{ holder: string; site: CodeSite }>>();

/** Every toggle call in a file with the key of what it is called on (one walk per file, when first needed). */
function fileToggles(context: AnalysisContext, file: SourceFile): Array<{ holder: string; site: CodeSite }> {
  const ts = context.ts;
  let toggles = togglesByFile.get(file);
  if (toggles !== undefined) return toggles;
  toggles = [];
  const found = toggles;
  context.walk(file, (node) => {
    if (!ts.isCallExpression(node) && !ts.isPropertyAccessExpression(node)) return;
    for (const site of classify(context, node)) {
      if (site.kind !== 'capability-toggle') continue;
      const receiver = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) ? node.expression.expression : ts.isPropertyAccessExpression(node) ? node.expression : undefined;
      if (receiver !== undefined) found.push({ holder: holderKey(context, receiver), site });
    }
  });
  togglesByFile.set(file, toggles);
  return toggles;
}

function holderKey(context: AnalysisContext, node: Node): string {
  const ts = context.ts;
  const unwrapped = context.unwrap(node);
  if (ts.isElementAccessExpression(unwrapped) && !ts.isStringLiteral(unwrapped.argumentExpression)) return `${holderKey(context, unwrapped.expression)}[]`;
  return context.dottedName(unwrapped);
}

function schemaOf(context: AnalysisContext, node: Node | undefined, zodOptions: ZodOptions): Pick<SourceRegistration, 'inputSchema' | 'inputSchemaDynamic'> {
  if (node === undefined) return {};
  const ts = context.ts;
  const resolved = context.resolve(node);
  if (resolved === undefined) return { inputSchemaDynamic: true };
  // zodToJsonSchema(X) / z.toJSONSchema(X) / toJsonSchema(X): convert X.
  if (ts.isCallExpression(resolved) && /(zodToJsonSchema|toJSONSchema|toJsonSchema)$/.test(context.dottedName(resolved.expression)) && resolved.arguments[0] !== undefined) {
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

function annotationsOf(context: AnalysisContext, node: Node | undefined): Record<string, unknown> | undefined {
  if (node === undefined) return undefined;
  const value = context.literalValue(node);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(context: AnalysisContext, node: Node | undefined): StaticText | undefined {
  return node === undefined ? undefined : context.staticText(node);
}

function isAnnotationsObject(context: AnalysisContext, node: Node): boolean {
  const ts = context.ts;
  const resolved = context.resolve(node);
  if (resolved === undefined || !ts.isObjectLiteralExpression(resolved) || resolved.properties.length === 0) return false;
  return resolved.properties.every((member) => member.name !== undefined && ANNOTATION_KEYS.has(propertyName(ts, member.name) ?? ''));
}

function withHandler(context: AnalysisContext, registration: SourceRegistration, handler: Node | undefined, options: ExtractOptions): SourceRegistration {
  const resolved = context.resolve(handler);
  if (resolved !== undefined && (context.isFunction(resolved) || context.ts.isObjectLiteralExpression(resolved))) {
    registration.handler = handlerFacts(context, resolved, options.callDepth);
  }
  return registration;
}

function base(context: AnalysisContext, kind: Kind, shape: RegistrationShape, api: string, nameNode: Node, anchor: Node): SourceRegistration {
  const local = conditionOf(context, anchor);
  const caller = local === undefined ? conditionalCaller(context, anchor) : undefined;
  const condition = local ?? caller?.condition;
  const registration: SourceRegistration = { kind, ...nameOf(context, nameNode), shape, api, location: context.location(nameNode), options: {}, conditional: condition !== undefined };
  if (condition !== undefined) {
    const text = context.text(condition, 120);
    registration.condition = { text: caller === undefined ? text : `${caller.name}() called under ${text}`, reads: switchReads(context, condition) };
  }
  if (context.ts.isCallExpression(anchor)) {
    const toggles = togglesOf(context, anchor);
    if (toggles.length > 0) registration.toggles = toggles;
  }
  return registration;
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
  const handlerLike = lastResolved !== undefined && (context.isFunction(lastResolved) || ts.isIdentifier(lastResolved) || ts.isPropertyAccessExpression(lastResolved) || ts.isCallExpression(lastResolved) || (method === 'registerToolTask' && ts.isObjectLiteralExpression(lastResolved)));
  if (!handlerLike) return undefined;
  const v2 = /['"]@modelcontextprotocol\/server['"]/.test(call.getSourceFile().text);
  const shape: RegistrationShape = insideClassExtending(context, call, 'McpAgent') ? 'cloudflare-agent' : v2 ? 'sdk-v2' : 'sdk-high-level';
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
  return withHandler(context, registration, last, options);
}

function insideClassExtending(context: AnalysisContext, node: Node, baseName: string): boolean {
  const ts = context.ts;
  for (let current: Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isClassLike(current)) {
      const heritage = current.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      return heritage !== undefined && context.dottedName(heritage.expression) === baseName;
    }
  }
  return false;
}

function taskHandler(context: AnalysisContext, node: Node): Node | undefined {
  const resolved = context.resolve(node);
  if (resolved !== undefined && context.ts.isObjectLiteralExpression(resolved)) return context.resolve(context.property(resolved, 'createTask')) ?? resolved;
  return node;
}

function promptArguments(context: AnalysisContext, registration: SourceRegistration, schema: Node | undefined, zodOptions: ZodOptions): void {
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

/** fastmcp: `server.addTool({ name, description, parameters, annotations, timeoutMs, canAccess, execute })`. */
function fastMcp(context: AnalysisContext, call: TsNamespace.CallExpression, kind: Kind, api: string, zodOptions: ZodOptions, options: ExtractOptions): SourceRegistration | undefined {
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
        .filter((item): item is { name: string; description?: string; required?: boolean } => typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string')
        .map((item) => ({ name: item.name, ...(item.description !== undefined ? { description: item.description } : {}), required: item.required === true }));
    }
  }
  return withHandler(context, registration, handler, options);
}

/** Low level: the object literals a `tools/list` (etc.) handler returns. */
function listEntries(context: AnalysisContext, handler: Node, list: { kind: Kind; key: string }, api: string, zodOptions: ZodOptions): SourceRegistration[] {
  const ts = context.ts;
  const entries: SourceRegistration[] = [];
  const seen = new Set<Node>();
  const addElements = (value: Node | undefined, depth: number): void => {
    if (value === undefined || depth > 5) return;
    const resolved = context.resolve(value);
    if (resolved === undefined) return;
    if (ts.isArrayLiteralExpression(resolved)) {
      for (const element of resolved.elements) {
        if (ts.isSpreadElement(element)) addElements(element.expression, depth + 1);
        else addEntry(element);
      }
    } else if (ts.isCallExpression(resolved) && ts.isPropertyAccessExpression(resolved.expression) && /^(map|filter|concat|slice)$/.test(resolved.expression.name.text)) {
      addElements(resolved.expression.expression, depth + 1);
      if (resolved.expression.name.text === 'concat') for (const arg of resolved.arguments) addElements(arg, depth + 1);
    } else if (ts.isCallExpression(resolved) && context.dottedName(resolved.expression) === 'Object.values') {
      const object = context.resolve(resolved.arguments[0]);
      if (object !== undefined && ts.isObjectLiteralExpression(object)) {
        for (const member of object.properties) if (ts.isPropertyAssignment(member)) addEntry(member.initializer);
      }
    }
  };
  const addEntry = (element: Node): void => {
    const object = context.resolve(element);
    if (object === undefined || !ts.isObjectLiteralExpression(object) || seen.has(object)) return;
    seen.add(object);
    const nameNode = context.property(object, 'name');
    if (nameNode === undefined) return;
    const registration = base(context, list.kind, 'sdk-low-level', api, nameNode, element);
    const title = text(context, context.property(object, 'title'));
    const description = text(context, context.property(object, 'description'));
    if (title) registration.title = title;
    if (description) registration.description = description;
    if (list.kind === 'tool') {
      Object.assign(registration, schemaOf(context, context.property(object, 'inputSchema'), zodOptions));
      const annotations = annotationsOf(context, context.property(object, 'annotations'));
      if (annotations) registration.annotations = annotations;
    } else if (list.kind === 'resource') {
      const uri = context.staticText(context.property(object, 'uri'));
      if (uri && 'value' in uri) registration.uri = uri.value;
    } else if (list.kind === 'resourceTemplate') {
      const template = context.staticText(context.property(object, 'uriTemplate'));
      if (template && 'value' in template) registration.uriTemplate = template.value;
    } else {
      const args = context.literalValue(context.property(object, 'arguments'));
      if (Array.isArray(args)) registration.arguments = args.filter((a): a is { name: string } => typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string');
    }
    entries.push(registration);
  };
  context.walk(handler, (node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const value = context.property(node, list.key);
      if (value !== undefined) addElements(value, 0);
    }
    // `return { tools }` with `const tools = [...]` and helper functions returning the list
    if (ts.isCallExpression(node)) {
      const target = calleeFunction(context, node);
      if (target !== undefined && !seen.has(target)) {
        seen.add(target);
        context.walk(target, (inner) => {
          if (ts.isObjectLiteralExpression(inner)) {
            const value = context.property(inner, list.key);
            if (value !== undefined) addElements(value, 0);
          }
        });
      }
    }
  });
  return entries;
}

/** `switch (request.params.name) { case 'x': ... }` and `if (name === 'x')` branches of a call handler. */
function dispatchBranches(context: AnalysisContext, handler: Node): Map<string, Node> {
  const ts = context.ts;
  const branches = new Map<string, Node>();
  const isNameExpression = (node: Node): boolean => /(^|\.)name$/.test(context.dottedName(node)) || /(^|\.)(toolName|tool|promptName)$/.test(context.dottedName(node));
  context.walk(handler, (node) => {
    if (ts.isSwitchStatement(node) && isNameExpression(node.expression)) {
      for (const clause of node.caseBlock.clauses) {
        if (!ts.isCaseClause(clause)) continue;
        const label = context.staticText(clause.expression);
        if (label && 'value' in label) {
          // fall-through cases share the next clause with statements
          const index = node.caseBlock.clauses.indexOf(clause);
          const body = node.caseBlock.clauses.slice(index).find((candidate) => candidate.statements.length > 0) ?? clause;
          branches.set(label.value, body);
        }
      }
    }
    if (ts.isIfStatement(node) && ts.isBinaryExpression(node.expression)) {
      const condition = node.expression;
      const equality = condition.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || condition.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken;
      if (!equality) return;
      const [nameSide, valueSide] = isNameExpression(condition.left) ? [condition.left, condition.right] : [condition.right, condition.left];
      if (!isNameExpression(nameSide)) return;
      const label = context.staticText(valueSide);
      if (label && 'value' in label) branches.set(label.value, node.thenStatement);
    }
  });
  return branches;
}

/** mcp-framework: `class X extends MCPTool { name = '...'; description; schema; execute() }`. */
function frameworkClass(context: AnalysisContext, declaration: TsNamespace.ClassDeclaration, zodOptions: ZodOptions, options: ExtractOptions): SourceRegistration | undefined {
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

/** xmcp: `src/tools/<name>.ts` exports `metadata`, `schema` and a default handler. */
function xmcpFile(context: AnalysisContext, file: SourceFile, zodOptions: ZodOptions, options: ExtractOptions): SourceRegistration | undefined {
  const ts = context.ts;
  const relative = path.relative(options.root, file.fileName).split(path.sep).join('/');
  const match = /^(?:src\/)?(tools|prompts|resources)\/(.+)\.(?:m|c)?[jt]sx?$/.exec(relative);
  if (match === null) return undefined;
  const folder = match[1]!;
  const rest = match[2]!;
  const handler = context.exportOf(file, 'default', 0);
  if (handler === undefined) return undefined;
  const metadata = context.exportOf(file, 'metadata', 0);
  const kind: Kind = folder === 'tools' ? 'tool' : folder === 'prompts' ? 'prompt' : 'resource';
  const nameNode = context.property(metadata, 'name');
  const anchor = defaultExportAnchor(context, file) ?? handler;
  const registration: SourceRegistration = nameNode !== undefined
    ? base(context, kind, 'xmcp', `${folder}/${rest}`, nameNode, anchor)
    : { kind, name: path.posix.basename(rest), shape: 'xmcp', api: `${folder}/${rest}`, location: context.location(anchor), options: {}, conditional: false };
  const description = text(context, context.property(metadata, 'description'));
  if (description) registration.description = description;
  if (kind === 'tool') {
    const schema = context.exportOf(file, 'schema', 0);
    if (schema !== undefined) Object.assign(registration, schemaOf(context, schema, zodOptions));
    else registration.inputSchema = { type: 'object', properties: {} };
    const annotations = annotationsOf(context, context.property(metadata, 'annotations'));
    if (annotations) registration.annotations = annotations;
  } else if (kind === 'resource') {
    // src/resources/(config)/app/[id].ts → config://app/{id}
    const segments = rest.split('/');
    const scheme = /^\((.+)\)$/.exec(segments[0] ?? '')?.[1];
    const pathPart = (scheme ? segments.slice(1) : segments).map((segment) => segment.replace(/^\[(.+)\]$/, '{$1}')).join('/');
    const uri = `${scheme ?? 'resource'}://${pathPart}`;
    if (/\{/.test(uri)) {
      registration.kind = 'resourceTemplate';
      registration.uriTemplate = uri;
    } else {
      registration.uri = uri;
    }
    if (nameNode === undefined) registration.name = pathPart.replace(/[{}]/g, '');
  }
  if (context.isFunction(handler)) registration.handler = handlerFacts(context, handler, options.callDepth);
  void ts;
  return registration;
}

function defaultExportAnchor(context: AnalysisContext, file: SourceFile): Node | undefined {
  const ts = context.ts;
  for (const statement of file.statements) {
    if (ts.isExportAssignment(statement)) return statement;
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return statement;
  }
  return undefined;
}

import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext, Node } from '../context.js';
import { propertyName } from '../context.js';
import { calleeFunction, handlerFacts } from '../handlers.js';
import type { SourceRegistration } from '../types.js';
import type { ZodOptions } from '../zod.js';
import { definitionHandlerKeys, recordRead } from './linking.js';
import { base, handlerFunction, nameParts } from './registration.js';
import type { ExtractOptions, Kind, Shape } from './shape.js';
import { annotationsOf, promptArguments, schemaOf, text } from './values.js';

/**
 * Definition objects: how most servers in the wild declare their capabilities before a helper
 * registers them. `const tool = { name, description, inputSchema, handler }` (or the same object
 * handed to a `createTool(...)` / `defineTool(...)` wrapper), collected in arrays or records,
 * split across files, and registered in a loop (`for (const t of tools) server.registerTool(t.name,
 * ...)`), by a helper, or listed by a low-level `tools/list` handler; also such objects as classes
 * (`class FindTool { name = 'find'; argsShape = ...; execute() }`) and their compiled JavaScript.
 *
 * The registering call cannot name the capability statically (its name is `t.name`), so the
 * definition itself is the registration: its `name` is the location, its handler property the
 * handler. Being only evidence that a capability is declared, not that it is registered, a
 * definition never counts as source-only (merge.ts), and a definition the project also registers
 * directly at the same name node (a low-level list entry) is dropped in analyze.ts.
 */

/** Properties that hold an input schema (one of these, or a handler, makes an object a definition). */
const SCHEMA_KEYS = [
  'inputSchema',
  'input_schema',
  'parameters',
  'schema',
  'argsSchema',
  'argsShape',
  'paramsSchema',
  'params',
  'args',
  'zodSchema',
  'inputZodSchema',
];
/** Properties (or methods) that hold the handler. */
const HANDLER_KEYS = [
  'handler',
  'handle',
  'execute',
  'run',
  'callback',
  'cb',
  'logic',
  'fn',
  'func',
  'implementation',
  'invoke',
  'call',
  'action',
  'exec',
  'toolHandler',
  'handleRequest',
];
/** Class members that name a definition's handler, in order of preference. */
const CLASS_HANDLER_KEYS = ['execute', 'handler', 'handle', 'run', 'call', 'invoke', 'executeImpl', 'logic'];

export const definitions: Shape = {
  name: 'definition',
  extract({ context, zodOptions, options }, found) {
    const ts = context.ts;
    return {
      kinds: [
        ts.SyntaxKind.ObjectLiteralExpression,
        ts.SyntaxKind.ClassDeclaration,
        ts.SyntaxKind.ClassExpression,
        ts.SyntaxKind.CallExpression,
        ts.SyntaxKind.ElementAccessExpression,
      ],
      visit(node) {
        if (ts.isElementAccessExpression(node)) {
          const record = recordRead(context, node);
          if (record !== undefined) options.records?.push(record);
          return;
        }
        const registration = ts.isObjectLiteralExpression(node)
          ? definitionObject(context, node, zodOptions, options)
          : ts.isClassLike(node)
            ? definitionClass(context, node, zodOptions, options)
            : ts.isCallExpression(node)
              ? factoryCall(context, node, zodOptions, options)
              : undefined;
        if (registration !== undefined) found.push(registration);
      },
    };
  },
};

function member(context: AnalysisContext, object: TsNamespace.ObjectLiteralExpression, keys: readonly string[]): Node | undefined {
  for (const key of keys) {
    const value = context.property(object, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

function kindOf(context: AnalysisContext, object: TsNamespace.ObjectLiteralExpression): Kind {
  if (context.property(object, 'uriTemplate') !== undefined) return 'resourceTemplate';
  if (context.property(object, 'uri') !== undefined) return 'resource';
  if (context.property(object, 'arguments') !== undefined && context.property(object, 'inputSchema') === undefined) return 'prompt';
  return 'tool';
}

/** `{ name: 'x', description, inputSchema | handler, ... }` with a static name. */
function definitionObject(
  context: AnalysisContext,
  object: TsNamespace.ObjectLiteralExpression,
  zodOptions: ZodOptions,
  options: ExtractOptions,
): SourceRegistration | undefined {
  const nameNode = ownProperty(context, object, 'name');
  if (nameNode === undefined) return undefined;
  const name = context.staticText(nameNode);
  // A computed name counts when literal fragments of it are written there (`getToolName('x')`).
  if (name === undefined || ('value' in name ? !/^[\w.:/-]{1,128}$/.test(name.value) : nameParts(context, nameNode).length === 0)) return undefined;
  const kind = kindOf(context, object);
  const schema = member(context, object, SCHEMA_KEYS);
  const handlerNode = member(context, object, HANDLER_KEYS);
  const handler = handlerFunction(context, handlerNode);
  const description = context.property(object, 'description');
  const hasSchema = schema !== undefined && isSchemaLike(context, schema);
  // A tool definition says what it takes or what it does; a resource or prompt, where it lives or what it asks.
  if (kind === 'tool' ? !(hasSchema || handler !== undefined) || (description === undefined && !hasSchema) : description === undefined && handler === undefined)
    return undefined;
  const registration = base(context, kind, 'definition', definitionApi(context, object), nameNode, object);
  const title = text(context, context.property(object, 'title'));
  const described = text(context, description);
  if (title) registration.title = title;
  if (described) registration.description = described;
  if (kind === 'tool') {
    if (schema !== undefined) Object.assign(registration, schemaOf(context, schema, zodOptions));
    const annotations = annotationsOf(context, context.property(object, 'annotations'));
    if (annotations) registration.annotations = annotations;
  } else if (kind === 'resource') {
    const uri = context.staticText(context.property(object, 'uri'));
    if (uri && 'value' in uri) registration.uri = uri.value;
  } else if (kind === 'resourceTemplate') {
    const template = context.staticText(context.property(object, 'uriTemplate'));
    if (template && 'value' in template) registration.uriTemplate = template.value;
  } else {
    const args = context.literalValue(context.property(object, 'arguments'));
    if (Array.isArray(args))
      registration.arguments = args.filter(
        (a): a is { name: string } => typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string',
      );
    else promptArguments(context, registration, context.property(object, 'arguments'), zodOptions);
  }
  if (handler !== undefined) {
    registration.handler = handlerFacts(context, handler, options.callDepth);
    const key = HANDLER_KEYS.find((candidate) => context.property(object, candidate) === handlerNode);
    if (key !== undefined) definitionHandlerKeys.set(registration, key);
  }
  return registration;
}

/** A function whose returned definition takes its name from a parameter: which parameter feeds which property. */
interface Factory {
  object: TsNamespace.ObjectLiteralExpression;
  /** Property name → parameter index, for the properties that are a bare parameter. */
  parameters: Map<string, number>;
}

const factories = new WeakMap<Node, Factory | null>();

function factoryOf(context: AnalysisContext, fn: TsNamespace.FunctionLikeDeclaration): Factory | undefined {
  const cached = factories.get(fn);
  if (cached !== undefined) return cached ?? undefined;
  const ts = context.ts;
  let returned: Node | undefined;
  if (fn.body !== undefined && !ts.isBlock(fn.body)) returned = fn.body;
  else if (fn.body !== undefined) returned = fn.body.statements.find(ts.isReturnStatement)?.expression;
  const object = returned === undefined ? undefined : context.unwrap(returned);
  let factory: Factory | undefined;
  if (object !== undefined && ts.isObjectLiteralExpression(object)) {
    const parameters = new Map<string, number>();
    const index = (node: Node | undefined): number => {
      const value = node === undefined ? undefined : context.unwrap(node);
      return value !== undefined && ts.isIdentifier(value)
        ? fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === value.text)
        : -1;
    };
    for (const key of ['name', 'description', 'title', ...SCHEMA_KEYS, ...HANDLER_KEYS]) {
      const at = index(ownProperty(context, object, key));
      if (at >= 0) parameters.set(key, at);
    }
    if (parameters.has('name')) factory = { object, parameters };
  }
  factories.set(fn, factory ?? null);
  return factory;
}

/** `createToolSchema(schema, "list_items", "Lists items")` where the function returns `{ name, description, inputSchema }`. */
function factoryCall(
  context: AnalysisContext,
  call: TsNamespace.CallExpression,
  zodOptions: ZodOptions,
  options: ExtractOptions,
): SourceRegistration | undefined {
  const fn = calleeFunction(context, call);
  if (fn === undefined || !context.isFunction(fn)) return undefined;
  const factory = factoryOf(context, fn);
  if (factory === undefined) return undefined;
  const value = (key: string): Node | undefined => {
    const at = factory.parameters.get(key);
    return at !== undefined
      ? call.arguments[at]
      : factory.parameters.size > 0 && ownProperty(context, factory.object, key) !== undefined
        ? ownProperty(context, factory.object, key)
        : undefined;
  };
  const nameNode = value('name');
  if (nameNode === undefined) return undefined;
  const name = context.staticText(nameNode);
  if (name === undefined || !('value' in name) || !/^[\w.:/-]{1,128}$/.test(name.value)) return undefined;
  const schemaKey = SCHEMA_KEYS.find((key) => value(key) !== undefined);
  const handler = handlerFunction(
    context,
    HANDLER_KEYS.map(value).find((node) => node !== undefined),
  );
  if (schemaKey === undefined && handler === undefined) return undefined;
  const registration = base(context, kindOf(context, factory.object), 'definition', `${context.dottedName(call.expression)}()`, nameNode, call);
  const description = text(context, value('description'));
  if (description) registration.description = description;
  if (schemaKey !== undefined && registration.kind === 'tool') Object.assign(registration, schemaOf(context, value(schemaKey), zodOptions));
  if (handler !== undefined) registration.handler = handlerFacts(context, handler, options.callDepth);
  return registration;
}

/** A property written in this object literal (not reached through a spread): a spread copy is not a second definition. */
function ownProperty(context: AnalysisContext, object: TsNamespace.ObjectLiteralExpression, name: string): Node | undefined {
  const ts = context.ts;
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyName(ts, property.name) === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

/** Object literals, zod, JSON Schema builders: anything but a plain scalar. */
function isSchemaLike(context: AnalysisContext, node: Node): boolean {
  const ts = context.ts;
  const resolved = context.resolve(node);
  if (resolved === undefined) return false;
  return !(
    ts.isStringLiteral(resolved) ||
    ts.isNumericLiteral(resolved) ||
    ts.isNoSubstitutionTemplateLiteral(resolved) ||
    resolved.kind === ts.SyntaxKind.TrueKeyword ||
    resolved.kind === ts.SyntaxKind.FalseKeyword ||
    resolved.kind === ts.SyntaxKind.NullKeyword
  );
}

/** `createTool({...})` when the object is a wrapper's argument, else `definition`. */
function definitionApi(context: AnalysisContext, object: Node): string {
  const ts = context.ts;
  let current: Node = object;
  while (
    current.parent !== undefined &&
    (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isSatisfiesExpression(current.parent))
  )
    current = current.parent;
  const parent = current.parent;
  if (parent !== undefined && ts.isCallExpression(parent) && parent.arguments.includes(current as TsNamespace.Expression))
    return `${context.dottedName(parent.expression)}()`;
  return 'definition';
}

/** `class FindTool extends Base { name = 'find'; description = ...; argsShape = ...; execute() {} }` (also compiled: `this.name = 'find'` in the constructor). */
function definitionClass(
  context: AnalysisContext,
  declaration: TsNamespace.ClassLikeDeclaration,
  zodOptions: ZodOptions,
  options: ExtractOptions,
): SourceRegistration | undefined {
  const ts = context.ts;
  const fields = classFields(context, declaration);
  const nameNode = fields.get('name');
  if (nameNode === undefined) return undefined;
  const name = context.staticText(nameNode);
  if (name === undefined || !('value' in name) || !/^[\w.:/-]{1,128}$/.test(name.value)) return undefined;
  const method = CLASS_HANDLER_KEYS.map((key) =>
    declaration.members.find(
      (element) => ts.isMethodDeclaration(element) && element.name !== undefined && propertyName(ts, element.name) === key && element.body !== undefined,
    ),
  ).find((element) => element !== undefined);
  const fieldHandler =
    method === undefined ? CLASS_HANDLER_KEYS.map((key) => handlerFunction(context, fields.get(key))).find((fn) => fn !== undefined) : undefined;
  const handler = method ?? fieldHandler;
  const schemaKey = SCHEMA_KEYS.find((key) => fields.has(key));
  const description = fields.get('description');
  // mcp-framework's MCPTool classes are read by mcp-framework.ts.
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (heritage !== undefined && /^(MCPTool|MCPResource|MCPPrompt)$/.test(context.dottedName(heritage.expression))) return undefined;
  if (handler === undefined || (schemaKey === undefined && description === undefined)) return undefined;
  const registration = base(context, 'tool', 'definition', declaration.name !== undefined ? `class ${declaration.name.text}` : 'class', nameNode, declaration);
  const described = text(context, description);
  if (described) registration.description = described;
  if (schemaKey !== undefined) Object.assign(registration, schemaOf(context, fields.get(schemaKey), zodOptions));
  const annotations = annotationsOf(context, fields.get('annotations'));
  if (annotations) registration.annotations = annotations;
  registration.handler = handlerFacts(context, handler, options.callDepth);
  return registration;
}

/** Field initialisers of a class: property declarations, getters returning a value, and `this.x = ...` in the constructor. */
function classFields(context: AnalysisContext, declaration: TsNamespace.ClassLikeDeclaration): Map<string, Node> {
  const ts = context.ts;
  const fields = new Map<string, Node>();
  for (const element of declaration.members) {
    if (element.name === undefined) continue;
    const key = propertyName(ts, element.name);
    if (key === undefined || fields.has(key)) continue;
    if (ts.isPropertyDeclaration(element) && element.initializer !== undefined) fields.set(key, element.initializer);
    else if (ts.isGetAccessorDeclaration(element)) {
      const returned = element.body?.statements.find(ts.isReturnStatement)?.expression;
      if (returned !== undefined) fields.set(key, returned);
    }
  }
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  for (const statement of constructor?.body?.statements ?? []) {
    if (
      !ts.isExpressionStatement(statement) ||
      !ts.isBinaryExpression(statement.expression) ||
      statement.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken
    )
      continue;
    const left = statement.expression.left;
    if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && !fields.has(left.name.text))
      fields.set(left.name.text, statement.expression.right);
  }
  return fields;
}

import type { AnalysisContext, Node } from '../context.js';
import { calleeFunction, dispatcherAround, handlerFacts } from '../handlers.js';
import type { SourceRegistration } from '../types.js';
import type { ZodOptions } from '../zod.js';
import { base, isMethodCall } from './registration.js';
import type { Kind, Shape } from './shape.js';
import { annotationsOf, schemaOf, text } from './values.js';

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

export interface Dispatch {
  kind: Kind;
  /** Per-name branch (case clause or if branch). */
  branches: Map<string, Node>;
  /** The whole call handler, used when there is no per-name dispatch. */
  handler: Node;
}

/**
 * The official SDK's low level: `setRequestHandler(ListToolsRequestSchema, ...)` (and the other
 * lists) returns the capabilities as object literals; `setRequestHandler(CallToolRequestSchema, ...)`
 * dispatches on the name with `switch`/`if`, and each branch is the handler of the listed name.
 * Registrations come after the walk, once both handlers of the file are known.
 */
export const sdkLowLevel: Shape = {
  name: 'sdk-low-level',
  extract({ context, zodOptions, options }, found) {
    const ts = context.ts;
    const listed: SourceRegistration[] = [];
    const dispatches: Dispatch[] = [];
    return {
      kinds: [context.ts.SyntaxKind.CallExpression],
      visit(node) {
        if (!isMethodCall(context, node) || node.expression.name.text !== 'setRequestHandler') return;
        const schemaArg = node.arguments[0];
        const handler = context.resolve(node.arguments[1]);
        if (schemaArg === undefined || handler === undefined) return;
        const schemaName = ts.isStringLiteral(schemaArg) ? schemaArg.text : (context.dottedName(schemaArg).split('.').pop() ?? '');
        const list = LIST_HANDLERS[schemaName];
        if (list !== undefined) listed.push(...listEntries(context, handler, list, context.dottedName(node.expression), zodOptions));
        const dispatch = DISPATCH_HANDLERS[schemaName];
        if (dispatch !== undefined) {
          const entry = { kind: dispatch, branches: dispatchBranchesFollowed(context, handler), handler };
          dispatches.push(entry);
          options.dispatches?.push(entry);
        }
      },
      finish() {
        for (const registration of listed) {
          const dispatch = dispatches.find((candidate) => candidate.kind === registration.kind);
          if (dispatch === undefined || registration.name === undefined) continue;
          const branch = dispatch.branches.get(registration.name) ?? (dispatch.branches.size === 0 ? dispatch.handler : undefined);
          if (branch !== undefined) {
            registration.handler = handlerFacts(context, branch, options.callDepth);
            if (dispatch.branches.size > 0) registration.handler.around = dispatcherAround(context, dispatch, options.callDepth);
          }
        }
        found.push(...listed);
      },
    };
  },
};

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
    } else if (
      ts.isCallExpression(resolved) &&
      ts.isPropertyAccessExpression(resolved.expression) &&
      /^(map|filter|concat|slice)$/.test(resolved.expression.name.text)
    ) {
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
      if (Array.isArray(args))
        registration.arguments = args.filter(
          (a): a is { name: string } => typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string',
        );
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

/** The branches of a call handler, then those of the functions it hands the request to (`this.handleCall(request)`, class-based servers). */
function dispatchBranchesFollowed(context: AnalysisContext, handler: Node): Map<string, Node> {
  const branches = dispatchBranches(context, handler);
  const ts = context.ts;
  const follow = (node: Node): void => {
    if (!ts.isCallExpression(node)) return;
    const target = calleeFunction(context, node);
    if (target !== undefined && target !== handler)
      for (const [name, branch] of dispatchBranches(context, target)) if (!branches.has(name)) branches.set(name, branch);
  };
  // `setRequestHandler(CallToolRequestSchema, toolHandler(client))`: the factory's returned function.
  follow(handler);
  context.walk(handler, follow);
  return branches;
}

/** `switch (request.params.name) { case 'x': ... }` and `if (name === 'x')` branches of a call handler. */
function dispatchBranches(context: AnalysisContext, handler: Node): Map<string, Node> {
  const ts = context.ts;
  const branches = new Map<string, Node>();
  const isNameExpression = (node: Node): boolean =>
    /(^|\.)name$/.test(context.dottedName(node)) || /(^|\.)(toolName|tool|promptName)$/.test(context.dottedName(node));
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
      const equality =
        condition.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || condition.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken;
      if (!equality) return;
      const [nameSide, valueSide] = isNameExpression(condition.left) ? [condition.left, condition.right] : [condition.right, condition.left];
      if (!isNameExpression(nameSide)) return;
      const label = context.staticText(valueSide);
      if (label && 'value' in label) branches.set(label.value, node.thenStatement);
    }
  });
  return branches;
}

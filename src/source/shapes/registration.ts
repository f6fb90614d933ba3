import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext, Node } from '../context.js';
import { handlerFacts } from '../handlers.js';
import { switchReads } from '../sites.js';
import type { RegistrationShape, SourceRegistration } from '../types.js';
import { conditionalCaller, conditionOf } from './conditions.js';
import type { ExtractOptions, Kind } from './shape.js';
import { togglesOf } from './toggles.js';

/** The parts of a registration every shape fills the same way: name, place, condition, toggles, handler. */

function nameOf(context: AnalysisContext, node: Node): Pick<SourceRegistration, 'name' | 'nameDynamic' | 'nameParts'> {
  const text = context.staticText(node);
  if (text !== undefined && 'value' in text) return { name: text.value };
  const parts = nameParts(context, node);
  return { nameDynamic: context.text(node), ...(parts.length > 0 ? { nameParts: parts } : {}) };
}

/** The literal fragments of a computed name (`getToolName("x")`, `` `${prefix}_x` ``), in order; none for `def.name`. */
export function nameParts(context: AnalysisContext, node: Node): string[] {
  const ts = context.ts;
  const parts: string[] = [];
  const add = (value: string): void => {
    if (value.length > 0) parts.push(value);
  };
  const visit = (child: Node): void => {
    // `def.name`, `config.tools.x`: a member name is not a fragment of the value.
    if (ts.isPropertyAccessExpression(child)) visit(child.expression);
    else if (ts.isStringLiteral(child) || ts.isNoSubstitutionTemplateLiteral(child)) add(child.text);
    else if (ts.isTemplateHead(child) || ts.isTemplateMiddle(child) || ts.isTemplateTail(child)) add(child.text);
    else if (ts.isIdentifier(child) && child !== node) {
      const value = context.staticText(child);
      if (value !== undefined && 'value' in value) add(value.value);
    } else ts.forEachChild(child, visit);
  };
  visit(context.unwrap(node));
  return parts.join('').length >= 3 ? parts : [];
}

export function withHandler(
  context: AnalysisContext,
  registration: SourceRegistration,
  handler: Node | undefined,
  options: ExtractOptions,
): SourceRegistration {
  const resolved = context.resolve(handler);
  if (resolved !== undefined && (context.isFunction(resolved) || context.ts.isObjectLiteralExpression(resolved))) {
    registration.handler = handlerFacts(context, resolved, options.callDepth);
  }
  return registration;
}

export function base(context: AnalysisContext, kind: Kind, shape: RegistrationShape, api: string, nameNode: Node, anchor: Node): SourceRegistration {
  const local = conditionOf(context, anchor);
  const caller = local === undefined ? conditionalCaller(context, anchor) : undefined;
  const condition = local ?? caller?.condition;
  const registration: SourceRegistration = {
    kind,
    ...nameOf(context, nameNode),
    shape,
    api,
    location: context.location(nameNode),
    options: {},
    conditional: condition !== undefined,
  };
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

/** `x.method(...)`: how the SDK-like shapes register. */
export type MethodCall = TsNamespace.CallExpression & { expression: TsNamespace.PropertyAccessExpression };

export function isMethodCall(context: AnalysisContext, node: Node): node is MethodCall {
  return context.ts.isCallExpression(node) && context.ts.isPropertyAccessExpression(node.expression);
}

/** The function a handler property stands for: the function itself, or the function a wrapper call (`withAuth(scopes, logic)`) is given. */
export function handlerFunction(context: AnalysisContext, node: Node | undefined, hops = 0): Node | undefined {
  const ts = context.ts;
  const resolved = context.resolve(node);
  if (resolved === undefined || hops > 3) return undefined;
  if (context.isFunction(resolved) && resolved.body !== undefined) return resolved;
  if (ts.isCallExpression(resolved)) {
    for (const argument of [...resolved.arguments].reverse()) {
      const inner = handlerFunction(context, argument, hops + 1);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

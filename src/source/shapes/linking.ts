import type { ts as TsNamespace } from 'ts-morph';
import { propertyName, type AnalysisContext, type Node } from '../context.js';
import { calleeFunction, dispatcherAround, handlerFacts } from '../handlers.js';
import type { SourceLocation } from '../../inventory/model.js';
import type { SourceRegistration } from '../types.js';
import { handlerFunction } from './registration.js';
import type { ExtractOptions } from './shape.js';

/**
 * After every file is read: a capability whose definition carries no handler (it is only listed)
 * gets the handler the project dispatches its name to, wherever that is: a branch of a low-level
 * `tools/call` handler (`switch (name)` / `if (name === 'x')`), or the entry of a handler record
 * read with the requested name (`TOOL_HANDLERS[request.params.name]`, `HANDLERS[tool.name]`),
 * records built from spreads of factory results included.
 */
export function linkHandlers(context: AnalysisContext, registrations: SourceRegistration[], options: ExtractOptions): void {
  const waiting = registrations.filter(
    (registration) => registration.handler === undefined && registration.name !== undefined && (registration.kind === 'tool' || registration.kind === 'prompt'),
  );
  if (waiting.length === 0) return;
  const records = (options.records ?? []).map((node) => recordEntries(context, node, 0, new Set()));
  for (const registration of waiting) {
    const name = registration.name!;
    const dispatch = options.dispatches?.find((candidate) => candidate.kind === registration.kind && candidate.branches.has(name));
    const branch = dispatch?.branches.get(name);
    const target = branch ?? records.map((record) => handlerFunction(context, record.get(name))).find((fn) => fn !== undefined);
    if (target !== undefined) registration.handler = handlerFacts(context, target, options.callDepth);
    if (branch !== undefined && dispatch !== undefined && registration.handler !== undefined)
      registration.handler.around = dispatcherAround(context, dispatch, options.callDepth);
  }
}

/** The property that holds each definition object's handler (`logic`), for the loop that registers it. */
export const definitionHandlerKeys = new WeakMap<SourceRegistration, string>();

/**
 * Definitions registered by a loop (`registerTool(t.name, ..., wrap({ logic: t.logic }))`): the
 * wrapper runs around every call of the definition's handler, tied by the handler property the loop
 * reads (a definition whose handler property no loop reads gets no wrapper). What the loop does to
 * the registered tool (`registered.disable()` under a flag) applies to every definition it
 * registers: tied the same way, or by the loop being the project's only one of that kind.
 */
export function linkRegistrars(registrations: SourceRegistration[], options: ExtractOptions): void {
  const registrars = options.registrars ?? [];
  if (registrars.length === 0) return;
  for (const registration of registrations) {
    if (registration.shape !== 'definition') continue;
    const ofKind = registrars.filter((candidate) => candidate.kind === registration.kind);
    const key = definitionHandlerKeys.get(registration);
    const tied = key === undefined ? [] : ofKind.filter((candidate) => candidate.keys.includes(key));
    const first = tied[0];
    // Several loops read the same property: only what they all do is known to happen.
    const around = first?.around;
    const sameWrapper =
      around !== undefined && tied.every((candidate) => candidate.around !== undefined && sameSpot(candidate.around.location, around.location));
    if (sameWrapper && registration.handler !== undefined && registration.handler.around === undefined) registration.handler.around = around;
    const switching =
      first !== undefined ? (tied.every((candidate) => candidate.toggles.length > 0) ? first : undefined) : ofKind.length === 1 ? ofKind[0] : undefined;
    if (switching !== undefined && switching.toggles.length > 0 && registration.toggles === undefined) registration.toggles = switching.toggles;
  }
}

const sameSpot = (a: SourceLocation, b: SourceLocation): boolean => a.file === b.file && a.line === b.line && a.column === b.column;

/** Is `node` a read of an object by a computed capability name? Returns the object read. */
export function recordRead(context: AnalysisContext, node: Node): Node | undefined {
  const ts = context.ts;
  if (!ts.isElementAccessExpression(node)) return undefined;
  const key = context.unwrap(node.argumentExpression);
  if (ts.isStringLiteral(key) || ts.isNumericLiteral(key)) return undefined;
  return /(^|\.)(name|toolName|tool_name|promptName|method)$/i.test(context.dottedName(key)) ? node.expression : undefined;
}

/** Entries of an object literal by static key, following spreads of objects and of functions returning one. */
function recordEntries(context: AnalysisContext, node: Node, depth: number, seen: Set<Node>): Map<string, Node> {
  const ts = context.ts;
  const entries = new Map<string, Node>();
  const object = objectOf(context, node);
  if (object === undefined || depth > 4 || seen.has(object)) return entries;
  seen.add(object);
  for (const member of object.properties) {
    if (ts.isSpreadAssignment(member)) {
      for (const [key, value] of recordEntries(context, member.expression, depth + 1, seen)) if (!entries.has(key)) entries.set(key, value);
      continue;
    }
    if (member.name === undefined) continue;
    let key = propertyName(ts, member.name);
    if (key === undefined && ts.isComputedPropertyName(member.name)) {
      const computed = context.staticText(member.name.expression);
      if (computed !== undefined && 'value' in computed) key = computed.value;
    }
    if (key === undefined) continue;
    if (ts.isPropertyAssignment(member)) entries.set(key, member.initializer);
    else if (ts.isShorthandPropertyAssignment(member)) entries.set(key, member.name);
    else if (ts.isMethodDeclaration(member)) entries.set(key, member);
  }
  return entries;
}

/** The object literal a node stands for: itself, a constant, or what a called function returns. */
function objectOf(context: AnalysisContext, node: Node): TsNamespace.ObjectLiteralExpression | undefined {
  const ts = context.ts;
  const resolved = context.resolveValue(node);
  if (resolved === undefined) return undefined;
  if (ts.isObjectLiteralExpression(resolved)) return resolved;
  if (ts.isCallExpression(resolved)) {
    const fn = calleeFunction(context, resolved);
    if (fn === undefined || !context.isFunction(fn) || fn.body === undefined) return undefined;
    const returned = ts.isBlock(fn.body) ? [...fn.body.statements].reverse().find(ts.isReturnStatement)?.expression : fn.body;
    const value = returned === undefined ? undefined : context.resolveValue(returned);
    return value !== undefined && ts.isObjectLiteralExpression(value) ? value : undefined;
  }
  return undefined;
}

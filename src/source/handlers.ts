import type { ts as TsNamespace } from 'ts-morph';
import { BUILTIN_VOCABULARY } from '../engine/generated/vocabulary.js';
import type { AnalysisContext, Node } from './context.js';
import { credentialRead } from './operations.js';
import { calleeOf, classify } from './sites.js';
import type { CodeSite, HandlerFacts } from './types.js';
import { anywhere } from './vocabulary.js';

/**
 * What a handler reaches: its own body plus the project functions it calls, followed up to
 * `depth` hops across modules (`helper()`, `imported()`, `ns.fn()`, `obj.method()`, `this.m()`).
 * Sites found in a callee carry the call chain in `via`.
 */

/**
 * Text that marks a tool's output as external content, anywhere in a string the handler reaches:
 * output/external-content-unmarked's `markers` (compiled into BUILTIN_VOCABULARY; src/source/vocabulary.ts
 * says why): the collector selects, the rule judges, one definition.
 */
const MARKER = anywhere(BUILTIN_VOCABULARY['output/external-content-unmarked'].markers, 'i');

export function handlerFacts(context: AnalysisContext, handler: Node, depth: number): HandlerFacts {
  const facts: HandlerFacts = { location: context.location(handler), reaches: [], readsAuth: false, usesSignal: false, marksExternalContent: false };
  const seen = new Set<Node>();
  const calls = new Set<string>();
  visitFunction(context, handler, depth, [], seen, facts, calls);
  facts.calls = [...calls];
  return facts;
}

function visitFunction(context: AnalysisContext, fn: Node, depth: number, via: string[], seen: Set<Node>, facts: HandlerFacts, calls: Set<string>): void {
  if (seen.has(fn)) return;
  seen.add(fn);
  const ts = context.ts;
  const inspect = (node: Node): void => {
    for (const site of classify(context, node)) {
      facts.reaches.push(via.length > 0 ? { ...site, via: [...via] } : site);
      if (site.kind === 'auth-check') facts.readsAuth = true;
      if (site.kind === 'handler-timeout') facts.usesSignal = true;
    }
    const credential = credentialRead(context, node);
    if (credential !== undefined && !(facts.credentials ??= []).includes(credential)) facts.credentials.push(credential);
    const callee = calleeOf(context, node);
    if (callee !== undefined) calls.add(callee);
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'signal') facts.usesSignal = true;
    if (ts.isIdentifier(node) && node.text === 'signal' && ts.isShorthandPropertyAssignment(node.parent)) facts.usesSignal = true;
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      MARKER.test(node.text)
    ) {
      facts.marksExternalContent = true;
    }
    if (depth > 0 && ts.isCallExpression(node)) {
      const target = calleeFunction(context, node);
      if (target !== undefined) visitFunction(context, target, depth - 1, [...via, `${context.dottedName(node.expression)}()`], seen, facts, calls);
    }
  };
  inspect(fn);
  context.walk(fn, (node) => {
    inspect(node);
  });
}

/** The project function a call invokes, when it can be found by syntax alone. */
export function calleeFunction(context: AnalysisContext, call: TsNamespace.CallExpression): Node | undefined {
  const ts = context.ts;
  const callee = context.unwrap(call.expression);
  let target: Node | undefined;
  if (ts.isIdentifier(callee)) {
    target = context.resolve(callee);
  } else if (ts.isPropertyAccessExpression(callee)) {
    const object = context.unwrap(callee.expression);
    const member = callee.name.text;
    if (object.kind === ts.SyntaxKind.ThisKeyword) {
      target = methodOfEnclosingClass(context, callee, member);
    } else if (ts.isIdentifier(object)) {
      const declaration = context.declarationOf(object);
      if (declaration !== undefined && ts.isNamespaceImport(declaration)) {
        const importDeclaration = declaration.parent.parent;
        if (ts.isStringLiteral(importDeclaration.moduleSpecifier)) {
          const file = context.resolveModule(call.getSourceFile().fileName, importDeclaration.moduleSpecifier.text);
          if (file !== undefined) target = context.exportOf(file, member, 0);
        }
      } else {
        const resolved = context.resolve(object);
        const required = resolved === undefined ? undefined : context.requiredFile(resolved);
        if (required !== undefined) target = context.exportOf(required, member, 0);
        else if (resolved !== undefined && ts.isObjectLiteralExpression(resolved)) target = context.resolve(context.property(resolved, member));
        else if (resolved !== undefined && ts.isClassDeclaration(resolved)) target = classMember(context, resolved, member);
      }
    }
  }
  if (target === undefined) return undefined;
  if (ts.isVariableDeclaration(target) && target.initializer) target = context.resolve(target.initializer);
  return target !== undefined && context.isFunction(target) && target.body !== undefined ? target : undefined;
}

function methodOfEnclosingClass(context: AnalysisContext, node: Node, member: string): Node | undefined {
  const ts = context.ts;
  for (let current: Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return classMember(context, current, member);
  }
  return undefined;
}

function classMember(context: AnalysisContext, declaration: TsNamespace.ClassLikeDeclaration, member: string): Node | undefined {
  const ts = context.ts;
  for (const element of declaration.members) {
    if (element.name === undefined || !ts.isIdentifier(element.name) || element.name.text !== member) continue;
    if (ts.isMethodDeclaration(element)) return element;
    if (ts.isPropertyDeclaration(element) && element.initializer) return context.resolve(element.initializer);
  }
  return undefined;
}

/** Sites of the kinds given, in reach order. */
export function reached(facts: HandlerFacts | undefined, ...kinds: CodeSite['kind'][]): CodeSite[] {
  return facts === undefined ? [] : facts.reaches.filter((site) => kinds.includes(site.kind));
}

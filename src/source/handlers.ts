import type { ts as TsNamespace } from 'ts-morph';
import { BUILTIN_VOCABULARY } from '../engine/generated/vocabulary.js';
import type { AnalysisContext, Node } from './context.js';
import { credentialRead } from './operations.js';
import { returnedFlow, requestMethod, type Frame } from './returned-flow.js';
import { calleeOf, classify, spawnDetail } from './sites.js';
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

export function handlerFacts(context: AnalysisContext, handler: Node, depth: number, skip: ReadonlySet<Node> = NO_NODES): HandlerFacts {
  const facts: HandlerFacts = { location: context.location(handler), reaches: [], readsAuth: false, usesSignal: false, marksExternalContent: false };
  const seen = new Map<Node, Set<string>>();
  const calls = new Set<string>();
  visitFunction(context, handler, { depth, via: [], bindings: new Map(), frames: [], root: handler }, seen, facts, calls, skip);
  facts.calls = [...calls];
  return facts;
}

const NO_NODES: ReadonlySet<Node> = new Set();

/**
 * The common path of a low-level call dispatcher: what its handler (and the functions it hands the
 * request to) reaches outside the per-name branches, i.e. what every call runs whichever tool it names.
 */
export function dispatcherAround(
  context: AnalysisContext,
  dispatch: { handler: Node; branches: Map<string, Node> },
  depth: number,
): NonNullable<HandlerFacts['around']> {
  const known = arounds.get(dispatch.handler);
  if (known !== undefined) return known;
  const facts = handlerFacts(context, dispatch.handler, depth, new Set(dispatch.branches.values()));
  const around = { what: 'the call dispatcher', location: facts.location, reaches: facts.reaches };
  arounds.set(dispatch.handler, around);
  return around;
}

const arounds = new WeakMap<Node, NonNullable<HandlerFacts['around']>>();

/**
 * Where a visit stands: hops left, the call chain, and what the parameters of the functions on
 * the chain were called with (parameter declaration to the caller's argument), so a spawn in a
 * wrapper (`execFileSyncSafe(file, args)`) is judged on what its callers pass.
 */
interface Visit {
  depth: number;
  via: string[];
  bindings: ReadonlyMap<Node, Node>;
  /** The calls from the handler to this function, and the functions they run (returned-flow.ts follows a read's value back up them). */
  frames: Frame[];
  root: Node;
}

function visitFunction(
  context: AnalysisContext,
  fn: Node,
  visit: Visit,
  seen: Map<Node, Set<string>>,
  facts: HandlerFacts,
  calls: Set<string>,
  skip: ReadonlySet<Node>,
): void {
  const { depth, via, bindings, frames, root } = visit;
  // A function is visited once per distinct set of literal arguments its parameters were bound to;
  // a second visit with other arguments only re-judges its spawns (the other sites are known).
  const signature = bindingSignature(context, fn, bindings);
  const visits = seen.get(fn);
  if (visits?.has(signature)) return;
  const spawnsOnly = visits !== undefined;
  if (visits === undefined) seen.set(fn, new Set([signature]));
  else visits.add(signature);
  const ts = context.ts;
  for (const { node, sites, credential, callee, signal, marks } of skip.size === 0 ? summaryOf(context, fn) : summarize(context, fn, skip)) {
    for (const found of sites) {
      // A project function named like a read (`readFile(path, { offset, length })`) is followed, not judged by its name.
      if (found.kind === 'file-read-unbounded' && ts.isCallExpression(node) && calleeFunction(context, node) !== undefined) continue;
      const site =
        found.kind === 'process-spawn'
          ? boundSpawn(context, node, found, bindings)
          : found.kind === 'file-read-unbounded' || found.kind === 'body-read-unbounded'
            ? readFlow(context, node, found, root, frames)
            : found;
      if (spawnsOnly && (site.kind !== 'process-spawn' || facts.reaches.some((known) => sameSite(known, site)))) continue;
      facts.reaches.push(via.length > 0 ? { ...site, via: [...via] } : site);
      if (site.kind === 'auth-check') facts.readsAuth = true;
      if (site.kind === 'handler-timeout') facts.usesSignal = true;
    }
    if (credential !== undefined && !(facts.credentials ??= []).includes(credential)) facts.credentials.push(credential);
    if (callee !== undefined) calls.add(callee);
    if (signal) facts.usesSignal = true;
    if (marks) facts.marksExternalContent = true;
    if (depth > 0 && ts.isCallExpression(node)) {
      const target = calleeFunction(context, node);
      if (target !== undefined)
        visitFunction(
          context,
          target,
          {
            depth: depth - 1,
            via: [...via, `${callee}()`],
            bindings: bind(context, target, node, bindings),
            frames: [...frames, { call: node, fn: target }],
            root,
          },
          seen,
          facts,
          calls,
          skip,
        );
    }
  }
}

/** What a visit reads off one node of a function, whatever the chain that reached it. */
interface Inspected {
  node: Node;
  /** `classify`'s sites. */
  sites: readonly CodeSite[];
  credential: string | undefined;
  /** `calleeOf`: every call has one. */
  callee: string | undefined;
  /** Reads an abort signal (`extra.signal`, `{ signal }`). */
  signal: boolean;
  /** A string with an external-content marker. */
  marks: boolean;
}

/**
 * The nodes of `fn` (itself first, then its descendants depth first) that tell a visit anything,
 * with what they tell: built once per function, since every handler that calls a helper visits it.
 */
function summaryOf(context: AnalysisContext, fn: Node): readonly Inspected[] {
  const summaries = context.memoTable<readonly Inspected[]>(summaryOf);
  let summary = summaries.get(fn);
  if (summary === undefined) {
    summary = summarize(context, fn, NO_NODES);
    summaries.set(fn, summary);
  }
  return summary;
}

function summarize(context: AnalysisContext, fn: Node, skip: ReadonlySet<Node>): Inspected[] {
  const ts = context.ts;
  const summary: Inspected[] = [];
  const inspect = (node: Node): void => {
    const sites = classify(context, node);
    const credential = credentialRead(context, node);
    const callee = calleeOf(context, node);
    const signal =
      (ts.isPropertyAccessExpression(node) && node.name.text === 'signal') ||
      (ts.isIdentifier(node) && node.text === 'signal' && ts.isShorthandPropertyAssignment(node.parent));
    const marks =
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      MARKER.test(node.text);
    if (sites.length > 0 || credential !== undefined || callee !== undefined || signal || marks)
      summary.push({ node, sites, credential, callee, signal, marks });
  };
  inspect(fn);
  context.walk(fn, (node) => {
    if (skip.has(node)) return false;
    inspect(node);
  });
  return summary;
}

/** The chain's bindings plus the callee's parameters bound to this call's arguments (each followed through the chain). */
function bind(context: AnalysisContext, target: Node, call: TsNamespace.CallExpression, bindings: ReadonlyMap<Node, Node>): ReadonlyMap<Node, Node> {
  const ts = context.ts;
  if (!context.isFunction(target)) return bindings;
  const next = new Map(bindings);
  (target as TsNamespace.SignatureDeclaration).parameters.forEach((parameter, index) => {
    const argument = call.arguments[index];
    if (argument === undefined || parameter.dotDotDotToken !== undefined || ts.isSpreadElement(argument)) return;
    next.set(parameter, followBinding(context, argument, bindings));
  });
  return next;
}

/** An argument that is itself a bound parameter stands for what that parameter was bound to. */
function followBinding(context: AnalysisContext, node: Node, bindings: ReadonlyMap<Node, Node>): Node {
  const ts = context.ts;
  let current = node;
  for (let hops = 0; hops < 8; hops += 1) {
    const unwrapped = context.unwrap(current);
    if (!ts.isIdentifier(unwrapped)) return current;
    const declaration = context.declarationOf(unwrapped);
    const bound = declaration === undefined ? undefined : bindings.get(declaration);
    if (bound === undefined) return current;
    current = bound;
  }
  return current;
}

/** The literal text of each bound parameter of `fn` (`?` when not literal), as a visit key. */
function bindingSignature(context: AnalysisContext, fn: Node, bindings: ReadonlyMap<Node, Node>): string {
  if (!context.isFunction(fn)) return '';
  return (fn as TsNamespace.SignatureDeclaration).parameters
    .map((parameter) => {
      const bound = bindings.get(parameter);
      const text = bound === undefined ? undefined : context.staticText(bound);
      return text !== undefined && 'value' in text ? JSON.stringify(text.value) : '?';
    })
    .join(',');
}

/** A spawn whose command or argument array is a bound parameter, judged on the caller's argument. */
function boundSpawn(context: AnalysisContext, node: Node, found: CodeSite, bindings: ReadonlyMap<Node, Node>): CodeSite {
  const ts = context.ts;
  if (bindings.size === 0 || !ts.isCallExpression(node)) return found;
  const [command, argv] = node.arguments;
  const boundCommand = command === undefined ? undefined : followBinding(context, command, bindings);
  const boundArgv = argv === undefined ? undefined : followBinding(context, argv, bindings);
  if (boundCommand === command && boundArgv === argv) return found;
  const method = context.dottedName(node.expression).split('.').pop() ?? '';
  const detail = spawnDetail(context, node, method, boundCommand, boundArgv);
  // `boundToCaller`: what the caller passed changed the facts (a wrapper given a literal program).
  return JSON.stringify(detail) === JSON.stringify(found.detail) ? found : { ...found, detail: { ...detail, boundToCaller: true } };
}

/**
 * Where the value of a whole read goes (returned-flow.ts): `flow` is `returned`, `bounded` (cut by
 * `slice`...) or `not-returned` (handed to a library, uploaded, only tested), with `boundedBy` and
 * `consumedBy`; a body read also names the method of its request (`requestMethod`).
 */
function readFlow(context: AnalysisContext, node: Node, found: CodeSite, root: Node, frames: readonly Frame[]): CodeSite {
  const result = returnedFlow(context, node, root, frames, (call) => calleeFunction(context, call));
  const detail: CodeSite['detail'] = { ...found.detail, flow: result.flow };
  if (result.boundedBy.length > 0) detail.boundedBy = result.boundedBy.join(',');
  if (result.consumedBy.length > 0) detail.consumedBy = result.consumedBy.join(',');
  const method = found.kind === 'body-read-unbounded' ? requestMethod(context, node) : undefined;
  if (method !== undefined) detail.requestMethod = method;
  return { ...found, detail };
}

function sameSite(a: CodeSite, b: CodeSite): boolean {
  return (
    a.kind === b.kind &&
    a.location.file === b.location.file &&
    a.location.line === b.location.line &&
    a.location.column === b.location.column &&
    JSON.stringify(a.detail) === JSON.stringify(b.detail)
  );
}

/** The project function a call invokes, when it can be found by syntax alone. */
export function calleeFunction(context: AnalysisContext, call: TsNamespace.CallExpression): Node | undefined {
  // Asked of every call by definitions.ts, and of a helper's calls again by each handler that reaches it.
  const targets = context.memoTable<Node | null>(calleeFunction);
  let target = targets.get(call);
  if (target === undefined) {
    target = findCalleeFunction(context, call) ?? null;
    targets.set(call, target);
  }
  return target ?? undefined;
}

function findCalleeFunction(context: AnalysisContext, call: TsNamespace.CallExpression): Node | undefined {
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

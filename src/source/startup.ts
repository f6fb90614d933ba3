import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext, Node, SourceFile } from './context.js';
import type { CodeSite } from './types.js';

/**
 * Code that runs only while the server starts: the function a site sits in is called from module
 * top level alone, directly or through functions that are (`const k8s = new KubernetesManager()`
 * at the top of index.js; its constructor throws when the kubeconfig does not parse). An error
 * there stops the process before any client is served. Callers are found by name (syntax only): a
 * function that is also referenced any other way (passed as a callback, assigned), a
 * method of an object literal, or one no code calls is not start-up code (fail closed); a call of
 * an unrelated function of the same name only adds callers, so it can only make the answer no.
 */
const MAX_DEPTH = 4;

export function markStartupSites(context: AnalysisContext, files: readonly SourceFile[], sites: ReadonlyMap<CodeSite, Node>): void {
  if (sites.size === 0) return;
  const references = new ReferenceIndex(context, files);
  const memo = new Map<Node, boolean>();
  for (const [site, node] of sites) {
    const owner = enclosingFunction(context, node);
    if (owner !== undefined && startupOnly(context, references, owner, 0, memo)) site.detail.startup = true;
  }
}

function enclosingFunction(context: AnalysisContext, node: Node): Node | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) if (context.ts.isFunctionLike(current)) return current;
  return undefined;
}

/** The name a function is called by: its declaration's, its variable's, its class's (a constructor, called with `new`), its method's. */
function nameOf(context: AnalysisContext, fn: Node): { name: string; constructs: boolean } | undefined {
  const ts = context.ts;
  if (ts.isFunctionDeclaration(fn) && fn.name !== undefined) return { name: fn.name.text, constructs: false };
  if ((ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name))
    return { name: fn.parent.name.text, constructs: false };
  if (ts.isConstructorDeclaration(fn)) {
    const owner = fn.parent;
    if (ts.isClassDeclaration(owner) && owner.name !== undefined) return { name: owner.name.text, constructs: true };
    if (ts.isClassExpression(owner) && ts.isVariableDeclaration(owner.parent) && ts.isIdentifier(owner.parent.name))
      return { name: owner.parent.name.text, constructs: true };
    return undefined;
  }
  if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent) && ts.isIdentifier(fn.name)) return { name: fn.name.text, constructs: false };
  return undefined;
}

function startupOnly(context: AnalysisContext, references: ReferenceIndex, fn: Node, depth: number, memo: Map<Node, boolean>): boolean {
  const known = memo.get(fn);
  if (known !== undefined) return known;
  // Assume no while deciding, so a recursive call chain is not start-up by its own say-so.
  memo.set(fn, false);
  const answer = decide(context, references, fn, depth, memo);
  memo.set(fn, answer);
  return answer;
}

function decide(context: AnalysisContext, references: ReferenceIndex, fn: Node, depth: number, memo: Map<Node, boolean>): boolean {
  if (depth > MAX_DEPTH) return false;
  const named = nameOf(context, fn);
  if (named === undefined) return false;
  const uses = references.of(named.name).filter((use) => !isInside(use.node, fn));
  if (uses.length === 0) return false;
  for (const use of uses) {
    if (use.kind === 'declaration') continue;
    if (use.kind !== (named.constructs ? 'new' : 'call')) return false;
    const caller = enclosingFunction(context, use.node);
    if (caller === undefined) {
      // Module top level, but not a class body (a field initialiser runs per instance).
      if (inClassBody(context, use.node)) return false;
      continue;
    }
    if (!startupOnly(context, references, caller, depth + 1, memo)) return false;
  }
  return uses.some((use) => use.kind !== 'declaration');
}

function isInside(node: Node, ancestor: Node): boolean {
  for (let current: Node | undefined = node; current !== undefined; current = current.parent) if (current === ancestor) return true;
  return false;
}

function inClassBody(context: AnalysisContext, node: Node): boolean {
  for (let current = node.parent; current !== undefined; current = current.parent) if (context.ts.isClassLike(current)) return true;
  return false;
}

type UseKind = 'call' | 'new' | 'declaration' | 'other';

/** Every identifier of the project by its text, built on first use (one walk over the files). */
class ReferenceIndex {
  private byName: Map<string, TsNamespace.Identifier[]> | undefined;

  constructor(
    private readonly context: AnalysisContext,
    private readonly files: readonly SourceFile[],
  ) {}

  of(name: string): Array<{ node: Node; kind: UseKind }> {
    if (this.byName === undefined) {
      const byName = new Map<string, TsNamespace.Identifier[]>();
      const ts = this.context.ts;
      for (const file of this.files)
        this.context.walk(file, (node) => {
          if (!ts.isIdentifier(node)) return;
          const list = byName.get(node.text);
          if (list === undefined) byName.set(node.text, [node]);
          else list.push(node);
        });
      this.byName = byName;
    }
    return (this.byName.get(name) ?? []).map((node) => ({ node, kind: useOf(this.context, node) }));
  }
}

/** How an identifier uses its name: as a call's or a `new`'s callee (also `x.name(...)`, `(0, m.name)(...)`), as a declaration's own name, or any other way. */
function useOf(context: AnalysisContext, identifier: TsNamespace.Identifier): UseKind {
  const ts = context.ts;
  const parent = identifier.parent;
  if (
    (ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isClassExpression(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isImportSpecifier(parent) ||
      ts.isImportClause(parent) ||
      ts.isNamespaceImport(parent) ||
      // `export { KubernetesManager } from './utils/kubernetes-manager.js'`: module plumbing; its importers' calls are found by name.
      ts.isExportSpecifier(parent)) &&
    (parent.name === identifier || (ts.isExportSpecifier(parent) && parent.propertyName === identifier))
  )
    return 'declaration';
  // A property of another object named alike (`{ loadFile: x }`, `a.loadFile = x`) is not this function: only its calls count.
  let node: Node = identifier;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) node = parent;
  else if (ts.isPropertyAssignment(parent) && parent.name === identifier) return 'declaration';
  for (;;) {
    const up = node.parent;
    if (up !== undefined && ts.isParenthesizedExpression(up)) node = up;
    else if (up !== undefined && ts.isBinaryExpression(up) && up.operatorToken.kind === ts.SyntaxKind.CommaToken && up.right === node) node = up;
    else break;
  }
  const up = node.parent;
  if (up !== undefined && ts.isCallExpression(up) && up.expression === node) return 'call';
  if (up !== undefined && ts.isNewExpression(up) && up.expression === node) return 'new';
  // Read but not called (`a.loadFile`, `[x].map(loadFile)`, `exports.loadFile = loadFile`): passed along, or another object's property.
  return 'other';
}

import type { AnalysisContext, Node, SourceFile } from '../context.js';

/**
 * Whether a registration is conditional: the `if`, ternary or `&&`/`||` it sits under, or, when it
 * sits unconditionally in a named function, the condition every call of that function is under.
 */

/** The condition a registration sits under (`if`, ternary, `&&`/`||`), nearest first; undefined when unconditional. */
export function conditionOf(context: AnalysisContext, node: Node): Node | undefined {
  const ts = context.ts;
  for (let current: Node = node; current.parent !== undefined; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.expression !== current) return parent.expression;
    if (ts.isConditionalExpression(parent) && parent.condition !== current) return parent.condition;
    if (
      ts.isBinaryExpression(parent) &&
      parent.right === current &&
      (parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      return parent.left;
    if (ts.isFunctionLike(parent) || ts.isSourceFile(parent) || ts.isClassLike(parent)) return undefined;
  }
  return undefined;
}

/**
 * `if (config.enableWrites) registerWriteTools(server)`: the registration sits unconditionally in a
 * named function, and every call of that function in the project is under a condition. Returns the
 * first call's condition. Call sites are looked up by name (syntax only), in files that mention it.
 */
export function conditionalCaller(context: AnalysisContext, node: Node): { name: string; condition: Node } | undefined {
  const ts = context.ts;
  let fn: Node | undefined = node.parent;
  while (fn !== undefined && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  if (fn === undefined || ts.isSourceFile(fn) || ts.isClassLike(fn.parent)) return undefined;
  let name: string | undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name !== undefined) name = fn.name.text;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name))
    name = fn.parent.name.text;
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
/**
 * `name(` not preceded by `function`: where a call of `name` may be (the syntax tree decides). The
 * lookahead (what the match needs anyway) comes before the costly lookbehind, so that one is only
 * tried where a call's text starts.
 */
const CALL_TEXT = /(?<![\w$])(?=[A-Za-z_$][\w$]*\s*\()(?<!\bfunction\s*\*?\s*)([A-Za-z_$][\w$]*)\s*\(/g;

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

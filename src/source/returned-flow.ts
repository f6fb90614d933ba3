import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext, Node } from './context.js';

/**
 * Where the value of one read (`await readFile(p)`, `await response.text()`) goes, syntax only:
 * does it reach the handler's result, or does it stop before (cut by `slice`, handed to a library,
 * written somewhere, only tested)? output/unbounded-output judges a whole read only when it is
 * returned. The value is followed through awaits, variables (also `let` reassigned from it),
 * object and array literals, template strings, `+`/`??`/`||`, ternaries, property reads, method
 * calls on it (`toString`, `split`, `replace`...), the pass-through built-ins (`JSON.parse`,
 * `Buffer.from`...), constructors, and project functions whose result carries the parameter it
 * was given; up the call chain from the function that read it to the handler. A value handed to
 * any other (library) function is that function's input: what comes back is the library's output
 * (a parsed table, a rendered page, an upload's answer), recorded in `consumedBy`. What this walk
 * cannot follow (`this.x = value`, `yield`, a budget overrun) counts as returned.
 */

export type Flow = 'returned' | 'bounded' | 'not-returned';

export interface FlowResult {
  flow: Flow;
  /** Methods that cut the value (`slice`, `substring`), when one did. */
  boundedBy: string[];
  /** Library functions the value was handed to, where the walk stopped. */
  consumedBy: string[];
}

/** One hop of the call chain from the handler to the function that read: the call, and the function it runs. */
export interface Frame {
  call: TsNamespace.CallExpression;
  fn: Node;
}

type CalleeOf = (call: TsNamespace.CallExpression) => Node | undefined;

/** Methods whose result is a bounded part of the value. */
const BOUNDING = new Set(['slice', 'substring', 'substr', 'subarray', 'at', 'charAt', 'codePointAt', 'truncate']);
/** Methods and properties of the value whose result is not the data (a count, a test, a position). */
const NOT_DATA = new Set([
  'length',
  'byteLength',
  'size',
  'includes',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'search',
  'test',
  'localeCompare',
  'every',
  'some',
  'findIndex',
  'findLastIndex',
  'forEach',
  'has',
  'equals',
  'compare',
]);
/** Methods that put their argument into the receiver (`lines.push(text)`, `form.append('file', blob)`). */
const STORES = new Set(['push', 'unshift', 'append', 'set', 'add', 'splice', 'write', 'enqueue']);
/** Built-ins whose result carries their argument whole. */
const PASS_THROUGH =
  /^(JSON\.parse|JSON\.stringify|Buffer\.from|Buffer\.concat|String|Array\.from|Array\.of|Object\.assign|Object\.entries|Object\.values|Object\.fromEntries|structuredClone|Promise\.all|Promise\.allSettled|Promise\.resolve|Promise\.race|Promise\.any|decodeURIComponent|encodeURIComponent|atob|btoa)$/;
/** Nodes the walk may visit per read before it gives up (and counts the value as returned). */
const BUDGET = 4000;
/** How deep project functions are entered to see whether their result carries a parameter. */
const PARAMETER_DEPTH = 2;

export function returnedFlow(context: AnalysisContext, read: Node, root: Node, frames: readonly Frame[], calleeOf: CalleeOf): FlowResult {
  const walker = new FlowWalker(context, calleeOf);
  let start: Node = read;
  // The innermost frame first: from the function that read, out to the handler.
  for (let level = frames.length; level >= 0; level -= 1) {
    const owner = level === 0 ? root : frames[level - 1]!.fn;
    if (!walker.reaches(start, owner, 0)) return walker.result(walker.boundedBy.length > 0 ? 'bounded' : 'not-returned');
    if (level === 0) break;
    start = frames[level - 1]!.call;
  }
  return walker.result('returned');
}

class FlowWalker {
  readonly boundedBy: string[] = [];
  readonly consumedBy: string[] = [];
  private spent = 0;
  private readonly parameterMemo = new Map<string, boolean>();

  constructor(
    private readonly context: AnalysisContext,
    private readonly calleeOf: CalleeOf,
  ) {}

  result(flow: Flow): FlowResult {
    return { flow, boundedBy: [...new Set(this.boundedBy)], consumedBy: [...new Set(this.consumedBy)].slice(0, 5) };
  }

  /** Does the value of `start` reach a result of `owner` (its return, or its expression body)? */
  reaches(start: Node, owner: Node, depth: number): boolean {
    return this.walk([start], owner, depth);
  }

  private walk(starts: Node[], owner: Node, depth: number): boolean {
    const ts = this.context.ts;
    const queue = [...starts];
    const seen = new Set<Node>();
    const tainted = new Set<Node>();
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      if ((this.spent += 1) > BUDGET) return true;
      const parent = node.parent;
      if (parent === undefined) continue;
      const push = (next: Node) => queue.push(next);
      const taint = (target: Node): boolean => {
        const declaration = this.declarationOfTarget(target);
        if (declaration === 'unknown') return true;
        if (declaration !== undefined && !tainted.has(declaration)) {
          tainted.add(declaration);
          for (const reference of this.references(declaration)) push(reference);
        }
        return false;
      };
      if (
        ts.isAwaitExpression(parent) ||
        ts.isParenthesizedExpression(parent) ||
        ts.isAsExpression(parent) ||
        ts.isNonNullExpression(parent) ||
        ts.isTypeAssertionExpression(parent) ||
        ts.isSatisfiesExpression(parent) ||
        ts.isArrayLiteralExpression(parent) ||
        ts.isSpreadElement(parent) ||
        ts.isSpreadAssignment(parent) ||
        ts.isShorthandPropertyAssignment(parent) ||
        ts.isElementAccessExpression(parent)
      ) {
        if (ts.isElementAccessExpression(parent) && parent.expression !== node) continue;
        push(ts.isShorthandPropertyAssignment(parent) || ts.isSpreadAssignment(parent) ? parent.parent : parent);
      } else if (ts.isPropertyAssignment(parent)) {
        if (parent.initializer === node) push(parent.parent);
      } else if (ts.isTemplateSpan(parent)) {
        push(parent.parent);
      } else if (ts.isPropertyAccessExpression(parent)) {
        if (parent.expression !== node) continue;
        const name = parent.name.text;
        const call = parent.parent;
        const isMethod = call !== undefined && ts.isCallExpression(call) && call.expression === parent;
        if (BOUNDING.has(name) && isMethod) this.boundedBy.push(name);
        else if (NOT_DATA.has(name)) continue;
        else if (isMethod && STORES.has(name)) continue;
        else push(isMethod ? call : parent);
      } else if (ts.isCallExpression(parent)) {
        if (parent.expression === node) continue;
        if (this.callCarries(parent, node, depth)) push(parent);
        else {
          const callee = this.context.dottedName(parent.expression);
          const method = callee.split('.').pop() ?? '';
          // `lines.push(text)`, `form.append('file', blob)`: the receiver now holds the value.
          if (STORES.has(method) && ts.isPropertyAccessExpression(parent.expression)) {
            if (taint(parent.expression.expression)) return true;
          } else this.consumedBy.push(callee === '' ? '(call)' : callee);
        }
      } else if (ts.isNewExpression(parent)) {
        push(parent);
      } else if (ts.isBinaryExpression(parent)) {
        const operator = parent.operatorToken.kind;
        if (
          operator === ts.SyntaxKind.EqualsToken ||
          operator === ts.SyntaxKind.PlusEqualsToken ||
          operator === ts.SyntaxKind.QuestionQuestionEqualsToken ||
          operator === ts.SyntaxKind.BarBarEqualsToken
        ) {
          if (parent.right === node && taint(parent.left)) return true;
          push(parent);
        } else if (
          operator === ts.SyntaxKind.PlusToken ||
          operator === ts.SyntaxKind.QuestionQuestionToken ||
          operator === ts.SyntaxKind.BarBarToken ||
          (operator === ts.SyntaxKind.AmpersandAmpersandToken && parent.right === node) ||
          (operator === ts.SyntaxKind.CommaToken && parent.right === node)
        )
          push(parent);
      } else if (ts.isConditionalExpression(parent)) {
        if (parent.condition !== node) push(parent);
      } else if (ts.isVariableDeclaration(parent)) {
        if (parent.initializer === node && taint(parent.name)) return true;
      } else if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node)) {
        const fn = ts.isArrowFunction(parent) ? parent : this.enclosingFunction(parent);
        if (fn === undefined || this.isOwner(fn, owner)) return true;
        // A callback's result flows into the call that takes it (`files.map(async (f) => readFile(f))`).
        push(fn);
      } else if (ts.isYieldExpression(parent)) {
        return true;
      } else if (this.context.isFunction(node) && ts.isCallExpression(parent)) {
        push(parent);
      }
    }
    return false;
  }

  /** Is `fn` the function whose result is the frame's result? (A low-level handler is a branch inside one.) */
  private isOwner(fn: Node, owner: Node): boolean {
    if (fn === owner) return true;
    if (this.context.isFunction(owner)) return false;
    for (let current: Node | undefined = owner.parent; current !== undefined; current = current.parent) {
      if (this.context.isFunction(current)) return current === fn;
    }
    return false;
  }

  private enclosingFunction(node: Node): Node | undefined {
    for (let current: Node | undefined = node.parent; current !== undefined; current = current.parent) {
      if (this.context.isFunction(current)) return current;
    }
    return undefined;
  }

  /** Does a call given the value as argument `node` return it (a pass-through built-in, a callback, a project function that returns its parameter)? */
  private callCarries(call: TsNamespace.CallExpression, node: Node, depth: number): boolean {
    if (this.context.isFunction(node)) return true;
    const callee = this.context.dottedName(call.expression);
    if (PASS_THROUGH.test(callee)) return true;
    const target = this.calleeOf(call);
    if (target === undefined || !this.context.isFunction(target)) return false;
    const index = call.arguments.findIndex((argument) => argument === node);
    const parameter = (target as TsNamespace.SignatureDeclaration).parameters[index];
    if (parameter === undefined || depth >= PARAMETER_DEPTH) return parameter !== undefined;
    const at = this.context.location(target);
    const key = `${at.file}:${at.line}:${at.column}:${index}`;
    const known = this.parameterMemo.get(key);
    if (known !== undefined) return known;
    this.parameterMemo.set(key, true);
    const name = parameter.name;
    const starts = this.context.ts.isIdentifier(name) ? this.references(parameter) : [];
    const carries = !this.context.ts.isIdentifier(name) || this.walk(starts, target, depth + 1);
    this.parameterMemo.set(key, carries);
    return carries;
  }

  /** The declaration an assignment target or binding names; `unknown` when it is no local name (`this.x`, `obj[key]` of an unknown object). */
  private declarationOfTarget(target: Node): Node | 'unknown' | undefined {
    const ts = this.context.ts;
    let current = this.context.unwrap(target);
    while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = this.context.unwrap(current.expression);
    if (ts.isIdentifier(current)) return this.context.declarationOf(current) ?? 'unknown';
    if (ts.isObjectBindingPattern(current) || ts.isArrayBindingPattern(current)) return current.parent;
    return 'unknown';
  }

  /** Reads of a declared name (a variable, a parameter, a destructuring) in the function (or file) it is declared in. */
  private references(declaration: Node): Node[] {
    const ts = this.context.ts;
    const names = new Set<string>();
    const collect = (name: Node): void => {
      if (ts.isIdentifier(name)) names.add(name.text);
      else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name))
        for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
    };
    const bound = (declaration as { name?: Node }).name;
    if (bound === undefined) return [];
    collect(bound);
    const scope = this.enclosingFunction(declaration) ?? declaration.getSourceFile();
    const found: Node[] = [];
    this.context.walk(scope, (node) => {
      if (!ts.isIdentifier(node) || !names.has(node.text)) return undefined;
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.name === node) return undefined;
      if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) return undefined;
      if (ts.isPropertyAssignment(parent) && parent.name === node) return undefined;
      const resolved = this.context.declarationOf(node);
      const owner = resolved !== undefined && ts.isBindingElement(resolved) ? this.bindingRoot(resolved) : resolved;
      if (owner === declaration) found.push(node);
      return undefined;
    });
    return found;
  }

  private bindingRoot(element: TsNamespace.BindingElement): Node {
    let current: Node = element;
    while (this.context.ts.isBindingElement(current) || this.context.ts.isObjectBindingPattern(current) || this.context.ts.isArrayBindingPattern(current))
      current = current.parent;
    return current;
  }
}

/**
 * The HTTP method of the request whose answer a body read reads (`const response = await
 * fetch(url, { method: 'POST' })` ... `response.text()`): `GET` when the options give none, absent
 * when the request is not found or its method is not a literal.
 */
export function requestMethod(context: AnalysisContext, read: Node): string | undefined {
  const ts = context.ts;
  if (!ts.isCallExpression(read) || !ts.isPropertyAccessExpression(read.expression)) return undefined;
  let request: Node | undefined = context.unwrap(read.expression.expression);
  if (ts.isIdentifier(request)) {
    const declaration = context.declarationOf(request);
    request = declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined ? declaration.initializer : undefined;
  }
  if (request === undefined) return undefined;
  request = context.unwrap(request);
  if (ts.isAwaitExpression(request)) request = context.unwrap(request.expression);
  if (!ts.isCallExpression(request) || !/^(fetch|globalThis\.fetch|undici\.fetch)$/.test(context.dottedName(request.expression))) return undefined;
  const options = request.arguments[1];
  if (options === undefined) return 'GET';
  const method = context.property(options, 'method');
  if (method === undefined)
    return ts.isObjectLiteralExpression(context.unwrap(options)) && !context.unwrap(options).getText().includes('...') ? 'GET' : undefined;
  const text = context.staticText(method);
  return text !== undefined && 'value' in text ? text.value.toUpperCase() : undefined;
}

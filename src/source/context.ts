import path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import type { SourceLocation } from '../inventory/model.js';
import type { StaticText } from './types.js';

/**
 * Syntax-only name resolution: identifiers to their declarations by walking lexical scopes, and
 * imports to the exporting file by path. No type checker is ever created, which keeps analysis at
 * parse cost (see docs/benchmarks.md); what cannot be resolved this way is reported as dynamic.
 */

export type TS = typeof TsNamespace;
export type Node = TsNamespace.Node;
export type SourceFile = TsNamespace.SourceFile;
export type Expression = TsNamespace.Expression;

const MAX_HOPS = 10;
const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class AnalysisContext {
  readonly files = new Map<string, SourceFile>();
  /** `resolveModule` by directory and specifier: every tool file imports the same few modules, and the path work was ~10 % of an analysis. */
  private readonly resolved = new Map<string, SourceFile | null>();

  /** Kinds `unwrap` may strip; every other node is its own unwrapped self. */
  private readonly wrapperKinds: readonly boolean[];
  /** Kinds that can declare a name `declarationOf` looks for (functions, blocks, clauses, loops). */
  private readonly scopeKinds: readonly boolean[];

  constructor(readonly ts: TS) {
    this.wrapperKinds = kindTable(
      ts,
      (node) =>
        ts.isParenthesizedExpression(node) ||
        ts.isAsExpression(node) ||
        ts.isNonNullExpression(node) ||
        ts.isTypeAssertionExpression(node) ||
        ts.isSatisfiesExpression(node) ||
        ts.isBinaryExpression(node),
    );
    this.scopeKinds = kindTable(
      ts,
      (node) =>
        ts.isFunctionLike(node) ||
        ts.isBlock(node) ||
        ts.isSourceFile(node) ||
        ts.isModuleBlock(node) ||
        ts.isCaseClause(node) ||
        ts.isDefaultClause(node) ||
        ts.isForOfStatement(node) ||
        ts.isForInStatement(node) ||
        ts.isForStatement(node) ||
        ts.isCatchClause(node),
    );
  }

  /** Per-node answers of lookups that read the project's files (`memoTable`). */
  private readonly memos = new Map<object, Map<Node, unknown>>();

  addFile(file: SourceFile): void {
    this.files.set(path.normalize(file.fileName), file);
    this.resolved.clear();
    this.memos.clear();
    this.declarations.clear();
    this.exports.clear();
  }

  /**
   * The table of one per-node lookup (`owner`: the function that computes it), for answers that
   * depend on nothing but the parsed files: handlers share helpers, and each asks again. Emptied
   * when a file is added, since an answer may resolve into it.
   */
  memoTable<T>(owner: object): Map<Node, T> {
    let table = this.memos.get(owner);
    if (table === undefined) {
      table = new Map<Node, unknown>();
      this.memos.set(owner, table);
    }
    return table as Map<Node, T>;
  }

  location(node: Node): SourceLocation {
    const file = node.getSourceFile();
    const start = file.getLineAndCharacterOfPosition(node.getStart(file));
    const end = file.getLineAndCharacterOfPosition(node.getEnd());
    return { file: path.normalize(file.fileName), line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }

  text(node: Node, max = 120): string {
    const text = node.getText(node.getSourceFile()).replace(/\s+/g, ' ');
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  /** Strips parentheses, `as`, `satisfies`, `!` and type assertions. */
  unwrap(node: Node): Node {
    const ts = this.ts;
    let current = node;
    for (;;) {
      if (!this.wrapperKinds[current.kind]) return current;
      if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)) {
        current = current.expression;
      } else if (ts.isSatisfiesExpression(current)) {
        current = current.expression;
      } else if (isIndirectCallee(ts, current)) {
        current = current.right;
      } else {
        return current;
      }
    }
  }

  /**
   * Follows identifiers (consts, imports, re-exports) to the expression or declaration they stand
   * for. Returns the node itself when it is not an identifier or cannot be followed further.
   */
  resolve(node: Node | undefined, hops = 0): Node | undefined {
    if (node === undefined) return undefined;
    const ts = this.ts;
    const current = this.unwrap(node);
    if (hops > MAX_HOPS || !ts.isIdentifier(current)) return current;
    const declaration = this.declarationOf(current);
    if (declaration === undefined) return current;
    if (ts.isVariableDeclaration(declaration)) {
      // `const x = ...` only: a `let` may be reassigned, so its initialiser is not its value.
      const list = declaration.parent;
      // Compiled and bundled JavaScript declares its constants with `var`, which counts as const there.
      const isConst =
        ts.isVariableDeclarationList(list) &&
        ((list.flags & ts.NodeFlags.Const) !== 0 || (isCompiledVar(ts, list) && /\.[mc]?js$/.test(declaration.getSourceFile().fileName)));
      if (declaration.initializer === undefined || !ts.isIdentifier(declaration.name)) return current;
      if (!isConst && !ts.isFunctionLike(this.unwrap(declaration.initializer))) return current;
      return this.resolve(declaration.initializer, hops + 1);
    }
    return declaration;
  }

  /**
   * `resolve`, then member reads of what it finds: `NAMES.READ` on a const object literal, an enum
   * member (also as tsc compiles it), `ns.x` on a namespace import and `mod_1.x` on a `require` of
   * a project file (compiled CommonJS). Unresolvable reads come back as the node itself.
   */
  resolveValue(node: Node | undefined, hops = 0): Node | undefined {
    const resolved = this.resolve(node);
    // `nesting` bounds reads that re-enter through property() and spreads (`const x = { ...x.y }`).
    if (resolved === undefined || hops > MAX_HOPS || this.nesting > 4 * MAX_HOPS) return resolved;
    this.nesting += 1;
    try {
      return this.memberValue(resolved, hops);
    } finally {
      this.nesting -= 1;
    }
  }

  private nesting = 0;

  private memberValue(resolved: Node, hops: number): Node | undefined {
    const ts = this.ts;
    let key: string | undefined;
    if (ts.isPropertyAccessExpression(resolved)) key = resolved.name.text;
    else if (
      ts.isElementAccessExpression(resolved) &&
      (ts.isStringLiteral(resolved.argumentExpression) || ts.isNoSubstitutionTemplateLiteral(resolved.argumentExpression))
    )
      key = resolved.argumentExpression.text;
    if (key === undefined) return resolved;
    const receiver = (resolved as TsNamespace.PropertyAccessExpression | TsNamespace.ElementAccessExpression).expression;
    const found = this.memberOf(receiver, key, hops);
    return found === undefined ? resolved : this.resolveValue(found, hops + 1);
  }

  private memberOf(receiver: Node, key: string, hops: number): Node | undefined {
    const ts = this.ts;
    const object = this.resolveValue(receiver, hops + 1);
    if (object === undefined) return undefined;
    if (ts.isObjectLiteralExpression(object)) return this.property(object, key);
    if (ts.isEnumDeclaration(object)) return object.members.find((member) => propertyName(ts, member.name) === key)?.initializer;
    if (ts.isNamespaceImport(object)) {
      const declaration = object.parent.parent;
      const file = ts.isStringLiteral(declaration.moduleSpecifier)
        ? this.resolveModule(declaration.getSourceFile().fileName, declaration.moduleSpecifier.text)
        : undefined;
      return file === undefined ? undefined : this.exportOf(file, key, 0);
    }
    const required = this.requiredFile(object);
    if (required !== undefined) return this.exportOf(required, key, 0);
    if (ts.isIdentifier(object)) return this.compiledEnumMember(object, key);
    return undefined;
  }

  /** The project file of `require('./x')` (also tsc's `__importStar(require(...))`). */
  requiredFile(node: Node): SourceFile | undefined {
    const ts = this.ts;
    let call = this.unwrap(node);
    if (
      ts.isCallExpression(call) &&
      /^(__importStar|__importDefault|__toESM|_interopRequireWildcard|_interopRequireDefault)$/.test(this.dottedName(call.expression)) &&
      call.arguments[0] !== undefined
    )
      call = this.unwrap(call.arguments[0]);
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'require') return undefined;
    const specifier = call.arguments[0];
    return specifier !== undefined && ts.isStringLiteral(specifier) ? this.resolveModule(call.getSourceFile().fileName, specifier.text) : undefined;
  }

  /** `var E; (function (E) { E["A"] = "a"; })(E || (E = {}));`: how tsc emits `enum E { A = 'a' }`. */
  private compiledEnumMember(identifier: TsNamespace.Identifier, key: string): Node | undefined {
    const ts = this.ts;
    const declaration = this.declarationOf(identifier);
    if (declaration === undefined || !ts.isVariableDeclaration(declaration) || declaration.initializer !== undefined) return undefined;
    const statement = declaration.parent.parent;
    const container = statement.parent;
    if (!ts.isSourceFile(container) && !ts.isBlock(container)) return undefined;
    const next = container.statements[container.statements.indexOf(statement) + 1];
    if (next === undefined) return undefined;
    let value: Node | undefined;
    this.walk(next, (node) => {
      if (value !== undefined) return false;
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isElementAccessExpression(node.left) &&
        ts.isStringLiteral(node.left.argumentExpression) &&
        node.left.argumentExpression.text === key
      )
        value = node.right;
      return undefined;
    });
    return value;
  }

  /**
   * `declarationOf` per identifier: the same names are looked up by many readers (emptied by
   * `addFile`). Only outside `resolveValue`'s member reads, whose `nesting` bound could cut a lookup short.
   */
  private readonly declarations = new Map<Node, Node | null>();

  /** The declaration an identifier refers to, looked up by name through enclosing scopes and imports. */
  declarationOf(identifier: TsNamespace.Identifier): Node | undefined {
    if (this.nesting > 0) return this.findDeclaration(identifier);
    let found = this.declarations.get(identifier);
    if (found === undefined) {
      found = this.findDeclaration(identifier) ?? null;
      this.declarations.set(identifier, found);
    }
    return found ?? undefined;
  }

  private findDeclaration(identifier: TsNamespace.Identifier): Node | undefined {
    const ts = this.ts;
    const name = identifier.text;
    for (let scope: Node | undefined = identifier.parent; scope !== undefined; scope = scope.parent) {
      if (!this.scopeKinds[scope.kind]) continue;
      if (ts.isFunctionLike(scope)) {
        for (const parameter of scope.parameters) if (bindsName(ts, parameter.name, name)) return parameter;
        if ((ts.isFunctionExpression(scope) || ts.isFunctionDeclaration(scope)) && scope.name?.text === name) return scope;
      }
      if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
        const found = this.findInStatements(scope.statements, name);
        if (found !== undefined) return found;
      }
      if (
        (ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) &&
        scope.initializer &&
        ts.isVariableDeclarationList(scope.initializer)
      ) {
        for (const declaration of scope.initializer.declarations) if (bindsName(ts, declaration.name, name)) return declaration;
      }
      if (ts.isCatchClause(scope) && scope.variableDeclaration && bindsName(ts, scope.variableDeclaration.name, name)) return scope.variableDeclaration;
    }
    return undefined;
  }

  private findInStatements(statements: TsNamespace.NodeArray<TsNamespace.Statement>, name: string): Node | undefined {
    const ts = this.ts;
    const binding = this.bindingsOf(statements).get(name);
    if (binding === undefined) return undefined;
    if (ts.isImportDeclaration(binding)) {
      const imported = this.followImport(binding, name);
      return imported === null ? undefined : imported;
    }
    return binding;
  }

  private readonly bindings = new WeakMap<TsNamespace.NodeArray<TsNamespace.Statement>, Map<string, Node>>();

  /** The first declaration of each name in a statement list, built once per list (bundles have thousands of statements). */
  private bindingsOf(statements: TsNamespace.NodeArray<TsNamespace.Statement>): Map<string, Node> {
    const ts = this.ts;
    let table = this.bindings.get(statements);
    if (table !== undefined) return table;
    table = new Map<string, Node>();
    const add = (name: string, node: Node): void => {
      if (!table.has(name)) table.set(name, node);
    };
    const addBinding = (binding: TsNamespace.BindingName, declaration: Node): void => {
      if (ts.isIdentifier(binding)) add(binding.text, declaration);
      else for (const element of binding.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name, declaration);
    };
    for (const statement of statements) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) addBinding(declaration.name, declaration);
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name !== undefined) {
        add(statement.name.text, statement);
      } else if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        if (clause === undefined) continue;
        if (clause.name !== undefined) add(clause.name.text, statement);
        const named = clause.namedBindings;
        if (named !== undefined && ts.isNamespaceImport(named)) add(named.name.text, statement);
        else if (named !== undefined) for (const element of named.elements) add(element.name.text, statement);
      }
    }
    this.bindings.set(statements, table);
    return table;
  }

  /** `null` when the import does not bind `name`; `undefined` when it does but the module is not ours. */
  private followImport(statement: TsNamespace.ImportDeclaration, name: string): Node | undefined | null {
    const ts = this.ts;
    const clause = statement.importClause;
    if (clause === undefined || !ts.isStringLiteral(statement.moduleSpecifier)) return null;
    const specifier = statement.moduleSpecifier.text;
    let exported: string | undefined;
    if (clause.name?.text === name) exported = 'default';
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) if (element.name.text === name) exported = (element.propertyName ?? element.name).text;
    }
    if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return bindings;
    if (exported === undefined) return null;
    const target = this.resolveModule(statement.getSourceFile().fileName, specifier);
    if (target === undefined) return clause;
    return this.exportOf(target, exported, 0) ?? clause;
  }

  /** The project file an import specifier points at (relative specifiers only). */
  resolveModule(fromFile: string, specifier: string): SourceFile | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const directory = path.dirname(fromFile);
    const key = `${directory}\0${specifier}`;
    const known = this.resolved.get(key);
    if (known !== undefined) return known ?? undefined;
    const base = path.resolve(directory, specifier);
    const stem = base.replace(/\.(m|c)?jsx?$/, '');
    const candidates = [base, ...SCRIPT_EXTENSIONS.map((ext) => stem + ext), ...SCRIPT_EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
    let found: SourceFile | undefined;
    for (const candidate of candidates) {
      found = this.files.get(path.normalize(candidate));
      if (found !== undefined) break;
    }
    this.resolved.set(key, found ?? null);
    return found;
  }

  /** `exportOf` a module's names, asked from outside a re-export chain and `resolveValue` (emptied by `addFile`). */
  private readonly exports = new Map<SourceFile, Map<string, Node | null>>();

  /** The declaration (or expression) a module exports under `name`. */
  exportOf(file: SourceFile, name: string, depth: number): Node | undefined {
    // Every tool file imports the same few names from the same modules.
    if (depth !== 0 || this.nesting > 0) return this.findExport(file, name, depth);
    let names = this.exports.get(file);
    if (names === undefined) {
      names = new Map();
      this.exports.set(file, names);
    }
    let found = names.get(name);
    if (found === undefined) {
      found = this.findExport(file, name, 0) ?? null;
      names.set(name, found);
    }
    return found ?? undefined;
  }

  private findExport(file: SourceFile, name: string, depth: number): Node | undefined {
    const ts = this.ts;
    if (depth > MAX_HOPS) return undefined;
    for (const statement of file.statements) {
      const exported = hasModifier(ts, statement, ts.SyntaxKind.ExportKeyword);
      const isDefault = hasModifier(ts, statement, ts.SyntaxKind.DefaultKeyword);
      if (name === 'default' && ts.isExportAssignment(statement) && !statement.isExportEquals) return statement.expression;
      if (exported && (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement))) {
        if ((isDefault && name === 'default') || (!isDefault && statement.name?.text === name)) return statement;
      }
      if (exported && ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === name)
            return declaration.initializer ? this.resolve(declaration.initializer) : declaration;
        }
      }
      if (ts.isExpressionStatement(statement)) {
        const found = this.commonJsExport(statement.expression, name, depth);
        if (found !== undefined) return found;
      }
      if (ts.isExportDeclaration(statement)) {
        const from =
          statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
            ? this.resolveModule(file.fileName, statement.moduleSpecifier.text)
            : undefined;
        if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
          for (const element of statement.exportClause.elements) {
            if (element.name.text !== name) continue;
            const local = (element.propertyName ?? element.name).text;
            if (statement.moduleSpecifier) return from ? this.exportOf(from, local, depth + 1) : undefined;
            const found = this.findInStatements(file.statements, local);
            if (found && ts.isVariableDeclaration(found) && found.initializer) return this.resolve(found.initializer);
            return found;
          }
        } else if (statement.exportClause === undefined && from !== undefined) {
          const found = this.exportOf(from, name, depth + 1);
          if (found !== undefined) return found;
        }
      }
    }
    return undefined;
  }

  /**
   * What compiled CommonJS exports under `name`: `exports.x = ...`, `module.exports = { x }`,
   * tsc's `Object.defineProperty(exports, "x", { get: ... })` and `__exportStar(require("./y"), exports)`,
   * esbuild's `__export(target, { x: () => x })`.
   */
  private commonJsExport(expression: Expression, name: string, depth: number): Node | undefined {
    const ts = this.ts;
    const isExports = (node: Node): boolean => /^(exports|module\.exports)$/.test(this.dottedName(node));
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = this.unwrap(expression.left);
      const right = this.unwrap(expression.right);
      if (ts.isVoidExpression(right) || (ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.EqualsToken)) return undefined;
      if (ts.isPropertyAccessExpression(left) && isExports(left.expression) && left.name.text === name) return this.resolve(right);
      if (isExports(left)) {
        if (name === 'default') return this.resolve(right);
        const value = this.resolve(right);
        return value !== undefined && ts.isObjectLiteralExpression(value) ? this.property(value, name) : undefined;
      }
      return undefined;
    }
    if (!ts.isCallExpression(expression)) return undefined;
    const callee = this.dottedName(expression.expression);
    const [first, second, third] = expression.arguments;
    if (
      callee === 'Object.defineProperty' &&
      first !== undefined &&
      isExports(first) &&
      second !== undefined &&
      ts.isStringLiteral(second) &&
      second.text === name
    ) {
      const getter = this.property(third, 'get');
      const fn = getter === undefined ? undefined : this.resolve(getter);
      if (fn !== undefined && this.isFunction(fn) && fn.body !== undefined) {
        const returned = ts.isBlock(fn.body) ? fn.body.statements.find(ts.isReturnStatement)?.expression : fn.body;
        return returned === undefined ? undefined : this.resolveValue(returned);
      }
      const value = this.property(third, 'value');
      return value === undefined ? undefined : this.resolve(value);
    }
    if (/(^|\.)__exportStar$/.test(callee) && first !== undefined) {
      const file = this.requiredFile(first);
      return file === undefined ? undefined : this.exportOf(file, name, depth + 1);
    }
    if (/(^|\.)__export$/.test(callee) && second !== undefined) {
      const getter = this.property(second, name);
      const fn = getter === undefined ? undefined : this.resolve(getter);
      if (fn !== undefined && ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return this.resolve(fn.body);
    }
    return undefined;
  }

  /** A static string, or a marker that the text is computed at run time. `undefined`: not a string at all. */
  staticText(node: Node | undefined, hops = 0): StaticText | undefined {
    if (node === undefined || hops > MAX_HOPS) return undefined;
    const ts = this.ts;
    const resolved = this.resolveValue(node);
    if (resolved === undefined) return undefined;
    if (ts.isStringLiteral(resolved) || ts.isNoSubstitutionTemplateLiteral(resolved)) return { value: resolved.text };
    if (ts.isTemplateExpression(resolved)) {
      let value = resolved.head.text;
      for (const span of resolved.templateSpans) {
        const part = this.staticText(span.expression, hops + 1);
        if (part === undefined || !('value' in part)) return { dynamic: true, text: this.text(node) };
        value += part.value + span.literal.text;
      }
      return { value };
    }
    if (ts.isBinaryExpression(resolved) && resolved.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.staticText(resolved.left, hops + 1);
      const right = this.staticText(resolved.right, hops + 1);
      if (left && right && 'value' in left && 'value' in right) return { value: left.value + right.value };
      return { dynamic: true, text: this.text(node) };
    }
    if (ts.isNumericLiteral(resolved)) return { value: resolved.text };
    if (ts.isObjectLiteralExpression(resolved) || ts.isArrayLiteralExpression(resolved) || ts.isFunctionLike(resolved)) return undefined;
    return { dynamic: true, text: this.text(node) };
  }

  /** The value of a property of an object literal (after resolution), by name. */
  property(object: Node | undefined, name: string): Node | undefined {
    const ts = this.ts;
    const resolved = this.resolveValue(object);
    if (resolved === undefined || !ts.isObjectLiteralExpression(resolved)) return undefined;
    // The last one written wins: from the end, without copying the list.
    for (let index = resolved.properties.length - 1; index >= 0; index -= 1) {
      const member = resolved.properties[index]!;
      if (ts.isPropertyAssignment(member) && propertyName(ts, member.name) === name) return member.initializer;
      if (ts.isShorthandPropertyAssignment(member) && member.name.text === name) return member.name;
      if (ts.isMethodDeclaration(member) && propertyName(ts, member.name) === name) return member;
      if (ts.isSpreadAssignment(member)) {
        const inner = this.property(member.expression, name);
        if (inner !== undefined) return inner;
      }
    }
    return undefined;
  }

  /** The key node of a property, for locations. */
  propertyKey(object: Node | undefined, name: string): Node | undefined {
    const ts = this.ts;
    const resolved = this.resolve(object);
    if (resolved === undefined || !ts.isObjectLiteralExpression(resolved)) return undefined;
    for (const member of resolved.properties) {
      if (
        (ts.isPropertyAssignment(member) || ts.isShorthandPropertyAssignment(member) || ts.isMethodDeclaration(member)) &&
        member.name &&
        propertyName(ts, member.name) === name
      )
        return member;
    }
    return undefined;
  }

  /** A literal JSON-like value (objects, arrays, strings, numbers, booleans, null), or undefined. */
  literalValue(node: Node | undefined, hops = 0): unknown {
    if (node === undefined || hops > MAX_HOPS) return undefined;
    const ts = this.ts;
    const resolved = this.resolveValue(node);
    if (resolved === undefined) return undefined;
    if (ts.isStringLiteral(resolved) || ts.isNoSubstitutionTemplateLiteral(resolved)) return resolved.text;
    if (ts.isNumericLiteral(resolved)) return Number(resolved.text);
    if (ts.isPrefixUnaryExpression(resolved) && resolved.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(resolved.operand))
      return -Number(resolved.operand.text);
    if (resolved.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (resolved.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (resolved.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isArrayLiteralExpression(resolved)) {
      const items: unknown[] = [];
      for (const element of resolved.elements) {
        const value = this.literalValue(element, hops + 1);
        if (value === undefined) return undefined;
        items.push(value);
      }
      return items;
    }
    if (ts.isObjectLiteralExpression(resolved)) {
      const result: Record<string, unknown> = {};
      for (const member of resolved.properties) {
        if (ts.isPropertyAssignment(member)) {
          const key = propertyName(ts, member.name);
          const value = this.literalValue(member.initializer, hops + 1);
          if (key === undefined || value === undefined) return undefined;
          result[key] = value;
        } else if (ts.isShorthandPropertyAssignment(member)) {
          const value = this.literalValue(member.name, hops + 1);
          if (value === undefined) return undefined;
          result[member.name.text] = value;
        } else if (ts.isSpreadAssignment(member)) {
          const value = this.literalValue(member.expression, hops + 1);
          if (value === undefined || typeof value !== 'object' || value === null) return undefined;
          Object.assign(result, value);
        } else {
          return undefined;
        }
      }
      return result;
    }
    return undefined;
  }

  /** Is this node a function (arrow, expression, declaration, method)? */
  isFunction(node: Node | undefined): node is TsNamespace.FunctionLikeDeclaration {
    if (node === undefined) return false;
    const ts = this.ts;
    return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node);
  }

  /** The dotted name of a callee or property chain (`server.registerTool`, `this.server.tool`). */
  dottedName(node: Node): string {
    if (node.kind === this.ts.SyntaxKind.Identifier) return (node as TsNamespace.Identifier).text;
    // Asked of the same callees by every classifier (sites, operations, calls, start calls, handlers).
    let name = this.dotted.get(node);
    if (name === undefined) {
      name = this.spellDotted(node);
      this.dotted.set(node, name);
    }
    return name;
  }

  private readonly dotted = new Map<Node, string>();

  private spellDotted(node: Node): string {
    const ts = this.ts;
    // tsc compiles a call of a named import `readFile(x)` to `(0, promises_1.readFile)(x)`: named as written.
    let direct = node;
    while (ts.isParenthesizedExpression(direct)) direct = direct.expression;
    if (isIndirectCallee(ts, direct) && ts.isPropertyAccessExpression(direct.right) && /_\d+$/.test(this.dottedName(direct.right.expression)))
      return direct.right.name.text;
    const current = this.unwrap(node);
    if (ts.isIdentifier(current)) return current.text;
    if (current.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (ts.isPropertyAccessExpression(current)) return `${this.dottedName(current.expression)}.${current.name.text}`;
    if (ts.isElementAccessExpression(current) && ts.isStringLiteral(current.argumentExpression))
      return `${this.dottedName(current.expression)}.${current.argumentExpression.text}`;
    if (ts.isCallExpression(current)) return `${this.dottedName(current.expression)}()`;
    return '?';
  }

  /** Visits every descendant of `node` (depth first). Returning false skips a subtree. */
  walk(node: Node, visit: (child: Node) => boolean | void): void {
    const ts = this.ts;
    const recurse = (child: Node): void => {
      if (visit(child) === false) return;
      ts.forEachChild(child, recurse);
    };
    ts.forEachChild(node, recurse);
  }
}

/** Whether `test`, a type guard that reads nothing but a node's kind, holds for each syntax kind: an array read in hot loops. */
export function kindTable(ts: TS, test: (node: Node) => boolean): readonly boolean[] {
  const table: boolean[] = [];
  const count: number = ts.SyntaxKind.Count;
  for (let kind = 0; kind < count; kind += 1) table.push(test({ kind } as Node));
  return table;
}

/** `0, f` in `(0, f)(...)`: compiled code's call without a `this`. */
function isIndirectCallee(ts: TS, node: Node): node is TsNamespace.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken && ts.isNumericLiteral(node.left) && node.left.text === '0';
}

function isCompiledVar(ts: TS, list: TsNamespace.VariableDeclarationList): boolean {
  return (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) === 0;
}

export function hasModifier(ts: TS, node: Node, kind: TsNamespace.SyntaxKind): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((modifier) => modifier.kind === kind) ?? false;
}

export function propertyName(ts: TS, name: TsNamespace.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
  return undefined;
}

function bindsName(ts: TS, binding: TsNamespace.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  for (const element of binding.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (bindsName(ts, element.name, name)) return true;
  }
  return false;
}

import type { ts as TsNamespace } from 'ts-morph';
import { BUILTIN_VOCABULARY } from '../engine/generated/vocabulary.js';
import type { AnalysisContext, Node } from './context.js';
import { containmentSite } from './containment-sites.js';
import { kindTable, propertyName } from './context.js';
import type { CodeSite, SiteKind } from './types.js';
import { anywhere, exactly, lastSegmentOf, wholly, wordSet } from './vocabulary.js';

/**
 * Classifies one syntax node into the code sites source rules judge (process spawn, outbound HTTP,
 * listen, CORS...). Pure syntax: callee names, literal options, property names. The same
 * classifier serves the project-wide scan and the per-handler reach, so both see the same facts.
 * Calls go through a table of named fact extractors (CALL_EXTRACTORS). Sites record what the code
 * does as data (the CORS origin and header code, what a log call reads); word lists that only guess
 * at a library by name (rate limiters, limiters, auth middleware, authorization helpers) are the
 * rules' options, matched against every recorded callee (`calleeOf`, SourceFacts.calls).
 */

// The words that select a site are the options of the rule that judges it (rules/*.yaml, compiled
// into BUILTIN_VOCABULARY; src/source/vocabulary.ts says why): the collector selects, the rule
// judges, one definition. design/shell-like-tool: `spawnCallees`, `childProcessObjects`.
const SPAWN = wordSet(BUILTIN_VOCABULARY['design/shell-like-tool'].spawnCallees);
const CHILD_PROCESS_OBJECTS = exactly(BUILTIN_VOCABULARY['design/shell-like-tool'].childProcessObjects);
// design/raw-sql-tool: `sqlMethods` (a database call, with SQL text), `sqlStrongMethods` (one whatever its text).
const SQL_METHODS = wordSet(BUILTIN_VOCABULARY['design/raw-sql-tool'].sqlMethods);
const SQL_STRONG = wordSet(BUILTIN_VOCABULARY['design/raw-sql-tool'].sqlStrongMethods);
/** Receivers whose `get`/`all`/`run` are not a database (`JSON`, `headers`, a Map, an Express router): design/raw-sql-tool's `notDatabaseReceivers`. */
const NOT_A_DATABASE = wholly(BUILTIN_VOCABULARY['design/raw-sql-tool'].notDatabaseReceivers);
// runtime/outbound-call-without-timeout: `httpClients`, `httpMethods`.
const HTTP_CLIENTS = exactly(BUILTIN_VOCABULARY['runtime/outbound-call-without-timeout'].httpClients);
const HTTP_METHODS = wordSet(BUILTIN_VOCABULARY['runtime/outbound-call-without-timeout'].httpMethods);
// secrets/secret-logged: `logObjects`, `logMethods` (the log calls transport/stdout-pollution and the audit rules read too).
const LOG_OBJECTS = exactly(BUILTIN_VOCABULARY['secrets/secret-logged'].logObjects);
const LOG_METHODS = wordSet(BUILTIN_VOCABULARY['secrets/secret-logged'].logMethods);

/** Kinds whose enclosing function is recorded (`detail.scope`): transport/stdout-pollution follows the stdio start with it. */
const SCOPED_KINDS: ReadonlySet<SiteKind> = new Set(['log-call', 'stdout-write', 'stdio-transport']);

function site(context: AnalysisContext, kind: SiteKind, node: Node, what: string, detail: CodeSite['detail'] = {}): CodeSite {
  if (!SCOPED_KINDS.has(kind)) return { kind, location: context.location(node), what, detail };
  const branches = branchPath(context, node);
  return {
    kind,
    location: context.location(node),
    what,
    detail: { ...detail, scope: enclosingFunctionLine(context, node), ...(branches === '' ? {} : { branches }) },
  };
}

/**
 * The `if` arms a node sits in within its function, innermost first, as `<line>.<column>:then` or
 * `<line>.<column>:else` of the `if`, joined by commas (`12.10:else,8.1:else` for the last arm of an
 * `if`/`else if`/`else` chain). Two sites that sit in different arms of the same `if` never both run on one pass.
 */
function branchPath(context: AnalysisContext, node: Node): string {
  const ts = context.ts;
  const arms: string[] = [];
  for (let child: Node = node, current = node.parent; current !== undefined; child = current, current = current.parent) {
    if (ts.isFunctionLike(current)) break;
    if (ts.isIfStatement(current) && child !== current.expression) {
      const at = context.location(current);
      arms.push(`${at.line}.${at.column}:${child === current.thenStatement ? 'then' : 'else'}`);
    }
  }
  return arms.join(',');
}

/** The line of the function a node sits in (its innermost function-like ancestor), 0 at module top level. */
function enclosingFunctionLine(context: AnalysisContext, node: Node): number {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (context.ts.isFunctionLike(current)) return context.location(current).line;
  }
  return 0;
}

function lastSegment(dotted: string): string {
  const index = dotted.lastIndexOf('.');
  return index === -1 ? dotted : dotted.slice(index + 1);
}

function receiverOf(dotted: string): string {
  const index = dotted.lastIndexOf('.');
  return index === -1 ? '' : dotted.slice(0, index);
}

/** Does the object literal (after resolution) have any of these keys? Spreads count as "maybe": true. */
function hasOption(context: AnalysisContext, node: Node | undefined, keys: readonly string[]): boolean {
  const ts = context.ts;
  const resolved = context.resolve(node);
  if (resolved === undefined) return false;
  if (!ts.isObjectLiteralExpression(resolved)) return !ts.isIdentifier(resolved) ? false : true;
  for (const member of resolved.properties) {
    if (ts.isSpreadAssignment(member)) return true;
    if (member.name !== undefined) {
      const key = propertyName(ts, member.name);
      if (key !== undefined && keys.includes(key)) return true;
    }
  }
  return false;
}

function isStatic(context: AnalysisContext, node: Node | undefined): boolean {
  const text = context.staticText(node);
  return text !== undefined && 'value' in text;
}

/**
 * What a logging call's arguments read, in source order, one per line: `env` (the whole
 * `process.env`), `property <dotted> <name>` for each property access, `identifier <name>` for
 * each bare identifier. Plain string arguments ("token refreshed") read nothing. A read inside
 * something that derives a value from it is prefixed with each of those forms, outermost first:
 * `via Boolean() property process.env.API_KEY API_KEY`, `via typeof identifier token`, `via !`,
 * `via .length` (a property of the read value). secrets/secret-logged judges these with the secret
 * names and the derived forms in its options.
 */
function loggedReads(context: AnalysisContext, args: readonly Node[]): string {
  const ts = context.ts;
  const reads: string[] = [];
  const visit = (node: Node, forms: readonly string[]): void => {
    const via = forms.map((form) => `via ${form} `).join('');
    let inner = forms;
    if (ts.isPropertyAccessExpression(node)) {
      const dotted = context.dottedName(node);
      if (dotted === 'process.env' && !(ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node)) reads.push(`${via}env`);
      else reads.push(`${via}property ${dotted} ${node.name.text}`);
      // A method called on the value (`token.slice(0, 4)`) is the call's form, below.
      if (!(ts.isCallExpression(node.parent) && node.parent.expression === node)) inner = [...forms, `.${node.name.text}`];
    } else if (ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node.parent)) {
      reads.push(`${via}identifier ${node.text}`);
    } else if (ts.isCallExpression(node)) {
      const callee = context.dottedName(node.expression);
      visit(node.expression, forms);
      for (const arg of node.arguments) visit(arg, [...forms, `${callee === '' ? '(call)' : callee}()`]);
      return;
    } else if (ts.isTypeOfExpression(node)) {
      inner = [...forms, 'typeof'];
    } else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      inner = [...forms, '!'];
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  for (const arg of args) if (!ts.isStringLiteral(arg) && !ts.isNoSubstitutionTemplateLiteral(arg)) visit(arg, []);
  return reads.join('\n');
}

function isInsideReturnedValue(context: AnalysisContext, node: Node): boolean {
  const ts = context.ts;
  for (let current: Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isReturnStatement(current) || ts.isThrowStatement(current)) return true;
    if (ts.isArrowFunction(current)) return current.body !== undefined && !ts.isBlock(current.body);
    if (ts.isFunctionLike(current) || ts.isBlock(current)) return false;
    if (ts.isCallExpression(current)) {
      const callee = context.dottedName(current.expression);
      if (LOG_OBJECTS.test(receiverOf(callee))) return false;
    }
    // `execFileSync(cmd, args, { env: { ...process.env } })`: the environment handed to a child process, not returned.
    if (ts.isPropertyAssignment(current) && propertyName(ts, current.name) === 'env' && isSpawnOptions(context, current.parent)) return false;
  }
  return false;
}

/** The options object of a process spawn (`spawn`, `exec`, `execFileSync`, execa, a project's `execFileSyncSafe` wrapper). */
function isSpawnOptions(context: AnalysisContext, object: Node | undefined): boolean {
  const call = object?.parent;
  if (call === undefined || !context.ts.isCallExpression(call) || !call.arguments.some((arg) => arg === object)) return false;
  const method = lastSegment(context.dottedName(call.expression));
  return SPAWN.has(method) || /^(exec|spawn|fork)[A-Z]/.test(method);
}

function isInCatch(context: AnalysisContext, node: Node, name: string): boolean {
  const ts = context.ts;
  for (let current: Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isCatchClause(current)) {
      const binding = current.variableDeclaration?.name;
      return binding !== undefined && ts.isIdentifier(binding) && binding.text === name;
    }
  }
  return false;
}

/**
 * What the `try` block of the catch a node sits in does: the callees it calls or constructs, distinct
 * and sorted, comma-separated (`tryCalls`; functions declared in it are not entered), and whether it
 * awaits or yields anything (`tryAwaits`). Where the caught error can come from: only the server's own
 * `throw new Error(...)` and parsing the caller's input (`JSON.parse`), or an upstream call.
 */
function tryFacts(context: AnalysisContext, node: Node): CodeSite['detail'] {
  const ts = context.ts;
  let clause: Node | undefined = node.parent;
  while (clause !== undefined && !ts.isCatchClause(clause)) clause = clause.parent;
  if (clause === undefined || !ts.isTryStatement(clause.parent)) return {};
  const calls = new Set<string>();
  let awaits = false;
  const visit = (child: Node): void => {
    if (context.isFunction(child)) return;
    if (ts.isAwaitExpression(child) || ts.isYieldExpression(child)) awaits = true;
    const callee = calleeOf(context, child);
    if (callee !== undefined) calls.add(callee === '' || callee === 'new ' ? '(call)' : callee);
    ts.forEachChild(child, visit);
  };
  visit(clause.parent.tryBlock);
  return { tryCalls: [...calls].sort().join(','), tryAwaits: awaits };
}

// Kill switches, feature lists and read-only modes (killswitch/* rules). killswitch/no-capability-switch:
// `toggleMethods`, `readOnlyNames`; killswitch/no-server-switch: `switchNames` (options, as above).
const TOGGLE_METHODS = wordSet(BUILTIN_VOCABULARY['killswitch/no-capability-switch'].toggleMethods);
// A product prefix and a form suffix are allowed (`GITLAB_DENIED_TOOLS_REGEX`, `MCP_ENABLED_TOOLS_LIST`): `filterNames`.
const FILTER_NAMES = new RegExp(
  `^(?:[A-Za-z0-9]+_)?(?:${BUILTIN_VOCABULARY['killswitch/no-capability-switch'].filterNames.join('|')})(?:_(?:regex|pattern|list))?$`,
  'i',
);
const READ_ONLY_NAME = wholly(BUILTIN_VOCABULARY['killswitch/no-capability-switch'].readOnlyNames, 'i');
/**
 * Where switches are read from: the environment, the command line, a config or feature-flag object
 * (killswitch/no-capability-switch's `envSources`, `configObjects`, `flagCalls`; the same reads make
 * a start-up check of killswitch/no-server-switch).
 */
const ENV_READ = new RegExp(`^(?:${BUILTIN_VOCABULARY['killswitch/no-capability-switch'].envSources.join('|')})(?:\\.|\\(|$)`);
const CONFIG_READ = new RegExp(`(?:^|\\.)(?:${BUILTIN_VOCABULARY['killswitch/no-capability-switch'].configObjects.join('|')})(?:\\.|\\(|$)`, 'i');
const FLAG_CALL = lastSegmentOf(BUILTIN_VOCABULARY['killswitch/no-capability-switch'].flagCalls);
/** Names of flags that switch something off (or on): a start-up check of `API_KEY` is not a kill switch. */
export const SWITCH_NAME = anywhere(BUILTIN_VOCABULARY['killswitch/no-server-switch'].switchNames, 'i');
// Audit events (audit/* rules): `audit(...)`, `auditLog(...)`, `audit.record(...)`, `auditLogger.info(...)`.
// audit/write-tool-without-audit-log: `auditCallees`, `auditReceivers`, `auditMethods`; audit/incomplete-audit-event:
// `decisionKeys`, `outcomeKeys` (options, as above).
const AUDIT_CALLEE = wholly(BUILTIN_VOCABULARY['audit/write-tool-without-audit-log'].auditCallees);
const AUDIT_RECEIVER = lastSegmentOf(BUILTIN_VOCABULARY['audit/write-tool-without-audit-log'].auditReceivers);
const AUDIT_METHODS = wordSet(BUILTIN_VOCABULARY['audit/write-tool-without-audit-log'].auditMethods);
/** `addCall`, `recordInvocation`: an audit method with an object. */
const AUDIT_METHOD_PREFIX = /^(record|write|push|log|add|append|track)[A-Z]\w*$/;
const DECISION_KEYS = wholly(BUILTIN_VOCABULARY['audit/incomplete-audit-event'].decisionKeys, 'i');
const OUTCOME_KEYS = wholly(BUILTIN_VOCABULARY['audit/incomplete-audit-event'].outcomeKeys, 'i');

/** The keys of an audit call's event object (first object-literal argument), and whether decision and outcome are separate fields. */
function auditFields(context: AnalysisContext, args: readonly Node[]): CodeSite['detail'] {
  const ts = context.ts;
  const keys: string[] = [];
  let structured = false;
  for (const arg of args) {
    const resolved = context.resolve(arg);
    if (resolved === undefined || !ts.isObjectLiteralExpression(resolved)) continue;
    structured = true;
    for (const member of resolved.properties) {
      if (ts.isSpreadAssignment(member)) keys.push('...');
      else if (member.name !== undefined) {
        const key = propertyName(ts, member.name);
        if (key !== undefined) keys.push(key);
      }
    }
  }
  const spread = keys.includes('...');
  return {
    structured,
    fields: keys.join(','),
    decision: keys.some((key) => DECISION_KEYS.test(key)),
    outcome: keys.some((key) => OUTCOME_KEYS.test(key)),
    spread,
  };
}

/**
 * The env variables, config fields and command-line flags a condition reads (`process.env.X`,
 * `config.readOnly`, `process.argv.includes('--x')`, `flags.isEnabled('x')`), following consts to
 * their initialisers (`const READ_ONLY = process.env.READ_ONLY === '1'`). Empty: it reads none.
 */
export function switchReads(context: AnalysisContext, condition: Node, depth = 0): string[] {
  const ts = context.ts;
  const reads = new Set<string>();
  const visit = (node: Node): void => {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const dotted = context.dottedName(node);
      const isOuter = !((ts.isPropertyAccessExpression(node.parent) || ts.isElementAccessExpression(node.parent)) && node.parent.expression === node);
      if (isOuter && (ENV_READ.test(dotted) || CONFIG_READ.test(dotted)) && !/^(env|args|argv)$/.test(dotted)) {
        reads.add(context.text(node, 80));
        return;
      }
    }
    if (
      ts.isCallExpression(node) &&
      FLAG_CALL.test(context.dottedName(node.expression)) &&
      (context.dottedName(node.expression).includes('.')
        ? CONFIG_READ.test(context.dottedName(node.expression)) ||
          /flag|feature|toggle|unleash|launchdarkly|growthbook/i.test(context.dottedName(node.expression))
        : context.dottedName(node.expression) !== 'get')
    ) {
      reads.add(context.text(node, 80));
      return;
    }
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const isObject = (ts.isPropertyAccessExpression(node.parent) || ts.isElementAccessExpression(node.parent)) && node.parent.expression === node;
      const resolved = depth < 3 && !isObject ? context.resolve(node) : undefined;
      if (
        resolved !== undefined &&
        resolved !== node &&
        !ts.isIdentifier(resolved) &&
        !context.isFunction(resolved) &&
        !ts.isParameter(resolved) &&
        !ts.isClassDeclaration(resolved)
      ) {
        const inner = switchReads(context, resolved, depth + 1);
        if (inner.length > 0) {
          reads.add(`${node.text} (${inner.join(', ')})`);
          return;
        }
      }
      if (SWITCH_NAME.test(node.text) || FILTER_NAMES.test(node.text)) reads.add(node.text);
      return;
    }
    if (context.isFunction(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return [...reads];
}

/** Does this statement leave (process.exit, throw, return) before anything after it runs? */
function exits(context: AnalysisContext, statement: Node): boolean {
  const ts = context.ts;
  let found = false;
  const visit = (node: Node): void => {
    if (found || context.isFunction(node)) return;
    if (ts.isThrowStatement(node) || ts.isReturnStatement(node)) found = true;
    else if (ts.isCallExpression(node) && /^(process\.exit|Deno\.exit|process\.kill|exit)$/.test(context.dottedName(node.expression))) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

/** `server.connect(transport)`, `app.listen(...)`, fastmcp `start({ transportType })`, `MyMCP.serve(...)`. */
export function isStartCall(context: AnalysisContext, node: Node): node is TsNamespace.CallExpression {
  const ts = context.ts;
  if (!ts.isCallExpression(node)) return false;
  const dotted = context.dottedName(node.expression);
  const method = lastSegment(dotted);
  if (receiverOf(dotted) === '') return false;
  if (method === 'connect' || method === 'listen') return node.arguments.length > 0 || method === 'listen';
  if (method === 'start') {
    if (node.arguments[0] !== undefined && context.property(node.arguments[0], 'transportType') !== undefined) return true;
    // mcp-framework `new MCPServer(...).start()`, fastmcp `new FastMCP(...).start()`
    const receiver = ts.isPropertyAccessExpression(node.expression) ? context.resolve(node.expression.expression) : undefined;
    return receiver !== undefined && ts.isNewExpression(receiver) && /^(MCPServer|FastMCP)$/.test(lastSegment(context.dottedName(receiver.expression)));
  }
  return method === 'serve' || method === 'serveSSE' || method === 'mount';
}

/**
 * Server kill switches guarding these start calls (found by `isStartCall` during the project walk): a
 * check of a switch-like env/config flag that exits (or throws, or returns) before the server
 * connects or listens, or a connect/listen call under such a condition.
 */
export function startupGuards(context: AnalysisContext, starts: readonly TsNamespace.CallExpression[]): CodeSite[] {
  const ts = context.ts;
  const guards = new Map<Node, CodeSite>();
  const consider = (condition: Node, form: string, start: TsNamespace.CallExpression): void => {
    if (guards.has(condition)) return;
    const reads = switchReads(context, condition).filter((read) => SWITCH_NAME.test(read));
    if (reads.length === 0) return;
    guards.set(
      condition,
      site(context, 'startup-guard', condition, context.text(condition, 80), { form, reads: reads.join(', '), start: context.dottedName(start.expression) }),
    );
  };
  for (const start of starts) {
    for (let current: Node = start; current.parent !== undefined; current = current.parent) {
      const parent = current.parent;
      if (ts.isIfStatement(parent) && parent.expression !== current) consider(parent.expression, 'conditional-start', start);
      if (ts.isConditionalExpression(parent) && parent.condition !== current) consider(parent.condition, 'conditional-start', start);
      if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
        consider(parent.left, 'conditional-start', start);
      if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent)) {
        const statements: readonly Node[] = parent.statements;
        for (const statement of statements.slice(0, statements.indexOf(current))) {
          if (ts.isIfStatement(statement) && exits(context, statement.thenStatement)) consider(statement.expression, 'exit-before-start', start);
        }
      }
    }
  }
  return [...guards.values()];
}

/**
 * The node of each error site (a stack or a caught error's property returned): after the walk,
 * src/source/startup.ts marks those that only run while the server starts (`detail.startup`).
 */
export const errorSiteNodes = new WeakMap<CodeSite, Node>();

function errorSite(found: CodeSite, node: Node): CodeSite {
  errorSiteNodes.set(found, node);
  return found;
}

const NONE: CodeSite[] = [];
const memo = new WeakMap<Node, CodeSite[]>();
/** The kinds `classifyNode` reads (every node of the project is asked). */
let classified: readonly boolean[] | undefined;

/** The nodes classify() can find a site in: calls, `new`, property assignments and accesses. */
export function isClassifiable(ts: AnalysisContext['ts'], node: Node): boolean {
  return (
    ts.isCallExpression(node) ||
    ts.isNewExpression(node) ||
    ts.isPropertyAssignment(node) ||
    ts.isShorthandPropertyAssignment(node) ||
    ts.isPropertyAccessExpression(node) ||
    ts.isElementAccessExpression(node)
  );
}

/** Every site this single node represents (usually zero or one). Memoised: handlers share helpers. */
export function classify(context: AnalysisContext, node: Node): CodeSite[] {
  const ts = context.ts;
  classified ??= kindTable(ts, (node) => isClassifiable(ts, node));
  if (!classified[node.kind]) return NONE;
  const known = memo.get(node);
  if (known !== undefined) return known;
  const sites = classifyNode(context, node);
  memo.set(node, sites.length === 0 ? NONE : sites);
  return sites;
}

/**
 * The callee a call or `new` names, as written: `rateLimit`, `passport.authenticate`, `new PQueue`.
 * Neutral facts (SourceFacts.calls, HandlerFacts.calls): rules match them against the names in
 * their options (rate limiters, limiters, auth middleware, authorization helpers).
 */
export function calleeOf(context: AnalysisContext, node: Node): string | undefined {
  const ts = context.ts;
  if (ts.isCallExpression(node)) return context.dottedName(node.expression);
  if (ts.isNewExpression(node)) return `new ${context.dottedName(node.expression)}`;
  return undefined;
}

function classifyNode(context: AnalysisContext, node: Node): CodeSite[] {
  const ts = context.ts;
  const sites: CodeSite[] = [];
  if (ts.isCallExpression(node)) classifyCall(context, node, sites);
  else if (ts.isNewExpression(node)) classifyNew(context, node, sites);
  else if (ts.isPropertyAssignment(node)) classifyProperty(context, node, sites);
  else if (ts.isShorthandPropertyAssignment(node)) classifyShorthand(context, node, sites);
  else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) classifyAccess(context, node, sites);
  return sites;
}

/** A call as the extractors see it: `child_process.exec(...)` has dotted `child_process.exec`, method `exec`, receiver `child_process`. */
interface Call {
  node: TsNamespace.CallExpression;
  dotted: string;
  method: string;
  receiver: string;
  args: TsNamespace.NodeArray<TsNamespace.Expression>;
}

/**
 * One fact extractor: records the sites a call is (if it is one of its kind) and says whether it
 * claimed the call, so later extractors do not look at it. Extractors run in table order.
 */
type CallExtractor = (context: AnalysisContext, call: Call, sites: CodeSite[]) => boolean;

/** `exec(cmd)`, `child_process.spawn('sh', ['-c', x])`, `execa(...)`: whether the command is a literal, whether a shell runs it. */
function processSpawn(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (!SPAWN.has(method) || (receiver !== '' && !CHILD_PROCESS_OBJECTS.test(receiver))) return false;
  sites.push(site(context, 'process-spawn', node, dotted, spawnDetail(context, node, method, args[0], args[1])));
  return true;
}

/**
 * What a spawn runs, from its command and argument-array nodes (handlers.ts passes the caller's
 * arguments when these are parameters of a wrapper, `execFileSyncSafe(file, args)`):
 * `dynamicCommand` (the program is not a literal), `shell`, and for a literal program `program`,
 * the literal first argument `firstArgument` (`kubectl exec ...`: `exec`) and whether the argument
 * array is built at run time (`argvDynamic`). design/shell-like-tool judges these.
 */
export function spawnDetail(context: AnalysisContext, node: Node, method: string, command: Node | undefined, argv: Node | undefined): CodeSite['detail'] {
  const ts = context.ts;
  const call = node as TsNamespace.CallExpression;
  const options = call.arguments.find((arg) => ts.isObjectLiteralExpression(context.unwrap(arg)));
  const shellOption = options !== undefined && context.literalValue(context.property(options, 'shell')) === true;
  const commandText = context.staticText(unchangedLet(context, command));
  const program = commandText !== undefined && 'value' in commandText ? commandText.value : undefined;
  const shellBinary = program !== undefined && /^(sh|bash|zsh|cmd(\.exe)?|powershell|pwsh)$/.test(program);
  const detail: CodeSite['detail'] = {
    dynamicCommand: command !== undefined && program === undefined,
    shell: shellOption || shellBinary || method === 'exec' || method === 'execSync' || method === 'execaCommand',
  };
  if (program === undefined) return detail;
  detail.program = program;
  const array = argv === undefined ? undefined : context.resolve(unchangedLet(context, argv));
  if (argv === undefined || array === undefined || ts.isObjectLiteralExpression(array)) return { ...detail, argvDynamic: false };
  if (!ts.isArrayLiteralExpression(array)) return { ...detail, argvDynamic: true };
  const first = array.elements[0];
  const firstText = first === undefined || ts.isSpreadElement(first) ? undefined : context.staticText(first);
  if (firstText !== undefined && 'value' in firstText) detail.firstArgument = firstText.value;
  const grown = ts.isIdentifier(context.unwrap(argv)) && isGrown(context, context.unwrap(argv) as TsNamespace.Identifier);
  detail.argvDynamic = grown || array.elements.some((element) => ts.isSpreadElement(element) || !isStatic(context, element));
  return detail;
}

/** `let command = 'kubectl'` never assigned again in its function: its initialiser is its value. */
function unchangedLet(context: AnalysisContext, node: Node | undefined): Node | undefined {
  const ts = context.ts;
  const current = node === undefined ? undefined : context.unwrap(node);
  if (current === undefined || !ts.isIdentifier(current)) return node;
  const declaration = context.declarationOf(current);
  if (declaration === undefined || !ts.isVariableDeclaration(declaration) || declaration.initializer === undefined || !ts.isIdentifier(declaration.name))
    return node;
  const scope = declaration.parent.parent?.parent;
  if (scope === undefined) return node;
  let assigned = false;
  context.walk(scope, (inner) => {
    if (assigned) return false;
    if (
      (ts.isBinaryExpression(inner) && inner.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && inner.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
      ts.isPrefixUnaryExpression(inner) ||
      ts.isPostfixUnaryExpression(inner)
    ) {
      const target = ts.isBinaryExpression(inner) ? inner.left : inner.operand;
      if (ts.isIdentifier(target) && target.text === current.text && context.declarationOf(target) === declaration) assigned = true;
    }
    return undefined;
  });
  return assigned ? node : declaration.initializer;
}

/** Is the array behind this name added to after it is made (`args.push(...)`, `args[i] = x`)? */
function isGrown(context: AnalysisContext, name: TsNamespace.Identifier): boolean {
  const ts = context.ts;
  const declaration = context.declarationOf(name);
  const scope = declaration?.parent?.parent?.parent;
  if (declaration === undefined || scope === undefined) return true;
  let grown = false;
  context.walk(scope, (inner) => {
    if (grown) return false;
    if (!ts.isIdentifier(inner) || inner.text !== name.text || context.declarationOf(inner) !== declaration) return undefined;
    const parent = inner.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === inner && /^(push|unshift|splice|fill|copyWithin)$/.test(parent.name.text)) grown = true;
    if (ts.isElementAccessExpression(parent) && parent.expression === inner && ts.isBinaryExpression(parent.parent) && parent.parent.left === parent)
      grown = true;
    return undefined;
  });
  return grown;
}

/** `eval(x)`, `vm.runInNewContext(x)`, `vm.compileFunction(...)`. */
function evalCall(context: AnalysisContext, { node, dotted, method, receiver }: Call, sites: CodeSite[]): boolean {
  if (dotted !== 'eval' && !(receiver === 'vm' && /^(runIn|compileFunction)/.test(method))) return false;
  sites.push(site(context, 'eval', node, dotted));
  return true;
}

/** `db.query(sql)`, `pool.query(`... ${x}`)`, `prisma.$queryRawUnsafe(x)`: whether the text is built at run time, parameterised, limited. */
function sqlCall(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (receiver === '' || !SQL_METHODS.has(method) || NOT_A_DATABASE.test(receiver)) return false;
  const ts = context.ts;
  const first = args[0];
  const firstResolved = context.resolve(first);
  const isSqlText =
    firstResolved !== undefined &&
    (ts.isStringLiteral(firstResolved) || ts.isNoSubstitutionTemplateLiteral(firstResolved) || ts.isTemplateExpression(firstResolved)) &&
    /\b(select|insert|update|delete|create|drop|alter|with)\b/i.test(context.text(firstResolved, 200));
  if (!SQL_STRONG.has(method) && !isSqlText) return false;
  if (first !== undefined && !ts.isRegularExpressionLiteral(context.unwrap(first))) {
    sites.push(
      site(context, 'sql-call', node, dotted, {
        dynamic: !isStatic(context, first),
        parameterised: args.length > 1,
        hasLimit: /\blimit\b/i.test(context.text(firstResolved ?? first, 2000)),
      }),
    );
  }
  return true;
}

/**
 * The HTTP method a request object sets (`{ method: 'POST' }`), upper case; `GET` when the object is
 * written out and sets none (the default of fetch and `http.request`); undefined when it is computed,
 * spread or not an object literal (never guessed).
 */
function methodOption(context: AnalysisContext, node: Node | undefined): string | undefined {
  const ts = context.ts;
  if (node === undefined) return 'GET';
  const resolved = context.resolve(node);
  if (resolved === undefined || !ts.isObjectLiteralExpression(resolved)) return undefined;
  if (resolved.properties.some((member) => ts.isSpreadAssignment(member))) return undefined;
  const value = context.property(resolved, 'method');
  if (value === undefined) return 'GET';
  const text = context.staticText(value);
  return text !== undefined && 'value' in text ? text.value.toUpperCase() : undefined;
}

/** `{ method }` of an outbound call when it is known: the site's `method` detail (the risk class reads it: GET only reads). */
const withMethod = (method: string | undefined): Record<string, string> => (method === undefined ? {} : { method });

/** `fetch(url, { signal })`, `axios.get(url, { timeout })`, `https.request(options).setTimeout(ms)`: whether a deadline is given, and the method when it is written. */
function outboundHttp(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  const ts = context.ts;
  if (dotted === 'fetch' || dotted === 'globalThis.fetch' || dotted === 'undici.fetch') {
    // `fetch(request)` with a Request object carries its own method.
    const first = args[0] === undefined ? undefined : context.unwrap(args[0]);
    const byUrl = first !== undefined && !ts.isNewExpression(first);
    sites.push(
      site(context, 'outbound-http', node, dotted, {
        hasTimeout: hasOption(context, args[1], ['signal', 'dispatcher']),
        ...withMethod(byUrl ? methodOption(context, args[1]) : undefined),
      }),
    );
    return true;
  }
  if (HTTP_CLIENTS.test(dotted) || (HTTP_CLIENTS.test(receiver) && HTTP_METHODS.has(method))) {
    const config = [...args].reverse().find((arg) => ts.isObjectLiteralExpression(context.unwrap(arg)) || ts.isIdentifier(context.unwrap(arg)));
    const withConfig = dotted === receiver || HTTP_CLIENTS.test(dotted) ? args[args.length - 1] : config;
    // `axios.get(url)`: the method is the call's name; `axios(config)`, `client.request(config)`: not known here.
    const named = HTTP_CLIENTS.test(dotted) || method === 'request' ? undefined : method.toUpperCase();
    sites.push(site(context, 'outbound-http', node, dotted, { hasTimeout: hasOption(context, withConfig, ['timeout', 'signal']), ...withMethod(named) }));
    return true;
  }
  if (/^(https?|node:https?)$/.test(receiver) && (method === 'request' || method === 'get')) {
    const options = args.find((arg) => ts.isObjectLiteralExpression(context.unwrap(arg)));
    // `http.get(url, cb).setTimeout(ms)` or `req.setTimeout(...)` on the returned request
    const timeout =
      hasOption(context, options, ['timeout', 'signal']) || (ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === 'setTimeout');
    // `http.get` always sends GET; `http.request` the method of its written options object.
    const requestMethod = method === 'get' ? 'GET' : options === undefined ? undefined : methodOption(context, options);
    sites.push(site(context, 'outbound-http', node, dotted, { hasTimeout: timeout, ...withMethod(requestMethod) }));
    return true;
  }
  return false;
}

/** `fs.readFile(path)` and `response.text()`: reads with no size bound. */
function unboundedRead(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (method === 'readFile' || method === 'readFileSync') {
    sites.push(site(context, 'file-read-unbounded', node, dotted));
    return true;
  }
  if ((method === 'text' || method === 'arrayBuffer' || method === 'blob') && args.length === 0 && receiver !== '') {
    sites.push(site(context, 'body-read-unbounded', node, dotted, onErrorPath(context, node) ? { errorPath: true } : {}));
    return true;
  }
  return false;
}

/** An upstream answer's status tested as a failure: `!res.ok`, `res.ok === false`, `res.status >= 400`, `status !== 200`. */
const FAILED_STATUS = /!\s*[\w$.?]*\bok\b|\bok\s*===?\s*false|\bstatus(?:Code)?\s*(?:>=?\s*[3-5]\d\d|!==?\s*2\d\d|===?\s*[45]\d\d)/;
const OK_STATUS = /^[\w$.?]*\bok$|\bstatus(?:Code)?\s*===?\s*2\d\d/;

/**
 * Is the read on the failure path of an upstream call: the branch of an `if` that tested the
 * answer's status as failed (or the `else` of one that tested it as ok), or a `catch`? There the
 * body is an error message on its way into an exception, not a tool's output.
 */
function onErrorPath(context: AnalysisContext, node: Node): boolean {
  const ts = context.ts;
  for (let child: Node = node, current = node.parent; current !== undefined; child = current, current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
    if (ts.isCatchClause(current)) return true;
    if (ts.isIfStatement(current)) {
      const condition = context.text(current.expression, 200);
      if (child === current.thenStatement && FAILED_STATUS.test(condition)) return true;
      if (child === current.elseStatement && OK_STATUS.test(condition.trim())) return true;
    }
  }
  return false;
}

/** `tool.disable()`, `tool.update({ enabled })`, `disabledTool(...)` (killswitch/* rules). */
function capabilityToggle(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (
    TOGGLE_METHODS.has(method) &&
    receiver !== '' &&
    !/^(console|process|Promise|Object|Array|JSON)$/.test(receiver) &&
    (method !== 'update' || context.property(args[0], 'enabled') !== undefined) &&
    (method === 'update' || args.length === 0)
  ) {
    sites.push(site(context, 'capability-toggle', node, dotted, { action: method }));
    return true;
  }
  if (dotted === 'disabledTool' || method === 'disabledTool') {
    sites.push(site(context, 'capability-toggle', node, dotted, { action: 'disabledTool' }));
    return true;
  }
  return false;
}

/** `audit(...)`, `auditLog.write(...)`: which fields the event has (audit/* rules). */
function auditEvent(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (
    !AUDIT_CALLEE.test(method) &&
    !(AUDIT_RECEIVER.test(receiver) && (LOG_METHODS.has(method) || AUDIT_METHODS.has(method) || AUDIT_METHOD_PREFIX.test(method)))
  )
    return false;
  sites.push(site(context, 'audit-event', node, dotted, auditFields(context, args)));
  return true;
}

/** `server.sendLoggingMessage(...)`, `sendNotification({ method: 'notifications/message' })`: a log line to the client, not to stdout. */
function clientLog(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  const notification = method === 'sendNotification' ? context.staticText(context.property(args[0], 'method')) : undefined;
  if (
    !(method === 'sendLoggingMessage' && receiver !== '') &&
    !(notification !== undefined && 'value' in notification && notification.value === 'notifications/message')
  )
    return false;
  sites.push(site(context, 'log-call', node, dotted, { reads: loggedReads(context, args), toClient: true }));
  return true;
}

/**
 * `console.log(...)`, `logger.info(...)`: what is logged (which of these write to stdout is
 * transport/stdout-pollution's `stdoutCalls`); `process.stdout.write(...)`: a direct stdout write.
 */
function logOrStdout(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (LOG_OBJECTS.test(receiver) && LOG_METHODS.has(method)) {
    sites.push(site(context, 'log-call', node, dotted, { reads: loggedReads(context, args) }));
    return true;
  }
  if (dotted === 'process.stdout.write') {
    sites.push(site(context, 'stdout-write', node, dotted));
    return true;
  }
  return false;
}

/** `JSON.stringify(process.env)` inside a returned value. */
function envReturned(context: AnalysisContext, { node, dotted, args }: Call, sites: CodeSite[]): boolean {
  if (dotted !== 'JSON.stringify' || args[0] === undefined || context.dottedName(args[0]) !== 'process.env' || !isInsideReturnedValue(context, node))
    return false;
  sites.push(site(context, 'env-returned', node, 'JSON.stringify(process.env)'));
  return true;
}

/** `app.listen(port, host)`: where the server binds. */
function listenCall(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (method !== 'listen' || receiver === '' || args.length === 0) return false;
  classifyListen(context, node, dotted, sites);
  return true;
}

/** The SDK's `createMcpExpressApp({ host, allowedHosts })`: an HTTP transport, its bind, its Host validation. */
function mcpApp(context: AnalysisContext, { node, dotted, args }: Call, sites: CodeSite[]): boolean {
  if (dotted !== 'createMcpExpressApp' && dotted !== 'createMcpHonoApp') return false;
  const host = context.staticText(context.property(args[0], 'host'));
  const allowedHosts = context.property(args[0], 'allowedHosts') !== undefined;
  const hostValue = host && 'value' in host ? host.value : host ? 'dynamic' : '127.0.0.1';
  sites.push(site(context, 'http-transport', node, dotted));
  if (isAllInterfaces(hostValue)) sites.push(site(context, 'listen', node, dotted, { host: hostValue, allInterfaces: true }));
  if (allowedHosts || isLoopback(hostValue)) sites.push(site(context, 'host-validation', node, dotted));
  return true;
}

/**
 * What a Host header value is used for: `call <callee>` when it is an argument of a call
 * (`isHostAllowed(req.header('host'), allowed)`, `allowed.includes(host)` as `call allowed.includes`),
 * `comparison` when compared (`===`, `!==`), else `other` (a URL built from it, a variable).
 * transport/missing-host-validation judges which count as a check.
 */
function hostUse(context: AnalysisContext, read: Node): CodeSite['detail'] {
  const ts = context.ts;
  let node: Node = read;
  // Normalising the value first (`host?.trim().toLowerCase()`) keeps it the Host value.
  for (;;) {
    const parent = node.parent;
    if (parent !== undefined && (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent))) node = parent;
    else if (
      parent !== undefined &&
      ts.isPropertyAccessExpression(parent) &&
      parent.expression === node &&
      ts.isCallExpression(parent.parent) &&
      parent.parent.arguments.length === 0 &&
      /^(trim|toLowerCase|toLocaleLowerCase|toString)$/.test(parent.name.text)
    )
      node = parent.parent;
    else break;
  }
  const parent = node.parent;
  if (parent !== undefined && ts.isCallExpression(parent) && parent.arguments.some((arg) => arg === node))
    return { use: `call ${context.dottedName(parent.expression)}` };
  if (
    parent !== undefined &&
    ts.isBinaryExpression(parent) &&
    [
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken,
    ].includes(parent.operatorToken.kind)
  )
    return { use: 'comparison' };
  return { use: 'other' };
}

/** `req.header('host')`, `req.get('host')`, `c.req.header('host')`, `headers.get('host')`: the Host header read. */
function hostHeaderRead(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if ((method !== 'header' && method !== 'get') || receiver === '' || args.length !== 1) return false;
  const name = context.staticText(args[0]);
  if (!name || !('value' in name) || name.value.toLowerCase() !== 'host') return false;
  sites.push(site(context, 'host-header-read', node, dotted, hostUse(context, node)));
  return true;
}

/** The SDK's Host-header validation middleware. */
function hostValidation(context: AnalysisContext, { node, dotted, method }: Call, sites: CodeSite[]): boolean {
  if (!/^(hostHeaderValidation|localhostHostValidation|validateHost|hostValidation)$/.test(method)) return false;
  sites.push(site(context, 'host-validation', node, dotted));
  return true;
}

/**
 * CORS as data: the origin a `cors(...)` call allows (the `cors` package allows `*` when none is
 * given), or the value and code of an `Access-Control-Allow-Origin` header; transport/permissive-cors judges them.
 */
function corsCall(context: AnalysisContext, { node, dotted, method, args }: Call, sites: CodeSite[]): boolean {
  if (dotted === 'cors') {
    const options = args[0];
    const origin = options === undefined ? undefined : context.property(options, 'origin');
    const value = origin === undefined ? '*' : context.literalValue(origin);
    sites.push(site(context, 'cors', node, dotted, { origin: String(value ?? 'dynamic'), defaulted: origin === undefined }));
    return true;
  }
  if ((method === 'setHeader' || method === 'header' || method === 'set' || method === 'append') && args.length >= 2) {
    const name = context.staticText(args[0]);
    if (name && 'value' in name && name.value.toLowerCase() === 'access-control-allow-origin') {
      const value = context.staticText(args[1]);
      sites.push(
        site(context, 'cors', node, dotted, { origin: value !== undefined && 'value' in value ? value.value : 'dynamic', code: context.text(args[1]!, 200) }),
      );
      return true;
    }
  }
  return false;
}

/** The SDK's `requireBearerAuth({ expectedResource })` and JWT verification (`jwt.verify(t, k, { audience })`): whether the audience is checked. */
function tokenVerification(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (method === 'requireBearerAuth') {
    sites.push(site(context, 'token-verification', node, dotted, { audience: hasOption(context, args[0], ['expectedResource', 'audience']) }));
    return true;
  }
  if (method === 'jwtVerify' || (method === 'verify' && /^(jwt|jsonwebtoken|jose)$/.test(receiver))) {
    sites.push(site(context, 'token-verification', node, dotted, { audience: hasOption(context, args[2], ['audience', 'aud']) }));
    return true;
  }
  return false;
}

/** `AbortSignal.timeout(ms)`: a deadline of the handler's own. */
function handlerTimeout(context: AnalysisContext, { node, dotted }: Call, sites: CodeSite[]): boolean {
  if (dotted !== 'AbortSignal.timeout' && dotted !== 'AbortSignal.any') return false;
  sites.push(site(context, 'handler-timeout', node, dotted));
  return true;
}

/** A query-string read: `searchParams.get('access_token')`; auth/token-in-query judges the name. */
function queryRead(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (method !== 'get' || !/searchParams$|query$/.test(receiver)) return false;
  const name = context.staticText(args[0]);
  if (name && 'value' in name) sites.push(site(context, 'query-read', node, dotted, { parameter: name.value }));
  return true;
}

/** fastmcp `start({ transportType, httpStream: { host, port } })`: which transport, and its bind. */
function fastmcpStart(context: AnalysisContext, { node, dotted, method, receiver, args }: Call, sites: CodeSite[]): boolean {
  if (method !== 'start' || receiver === '' || args[0] === undefined) return false;
  const type = context.staticText(context.property(args[0], 'transportType'));
  if (!type || !('value' in type)) return false;
  if (type.value === 'stdio') sites.push(site(context, 'stdio-transport', node, dotted));
  if (/http|sse/i.test(type.value)) {
    sites.push(site(context, 'http-transport', node, dotted));
    const stream = context.property(args[0], 'httpStream') ?? context.property(args[0], 'sse');
    const host = context.staticText(context.property(stream, 'host'));
    const hostValue = host && 'value' in host ? host.value : host ? 'dynamic' : 'localhost';
    if (isAllInterfaces(hostValue)) sites.push(site(context, 'listen', node, dotted, { host: hostValue, allInterfaces: true }));
  }
  return true;
}

/** The extractors, in the order they claim a call (a spawn is never also an HTTP call). */
/** `path.relative(root, p)`, `startsWith(root + path.sep)`, `realpath(...)`: a path containment check (src/source/containment-sites.ts). */
function pathContainment(context: AnalysisContext, { node, dotted, method, receiver }: Call, sites: CodeSite[]): boolean {
  const found = containmentSite(context, node, dotted, method, receiver);
  if (found === undefined) return false;
  sites.push(found);
  return true;
}

const CALL_EXTRACTORS: readonly CallExtractor[] = [
  pathContainment,
  processSpawn,
  evalCall,
  sqlCall,
  outboundHttp,
  unboundedRead,
  capabilityToggle,
  auditEvent,
  clientLog,
  logOrStdout,
  envReturned,
  listenCall,
  mcpApp,
  hostValidation,
  hostHeaderRead,
  corsCall,
  tokenVerification,
  handlerTimeout,
  queryRead,
  fastmcpStart,
];

function classifyCall(context: AnalysisContext, node: TsNamespace.CallExpression, sites: CodeSite[]): void {
  const dotted = context.dottedName(node.expression);
  const call: Call = { node, dotted, method: lastSegment(dotted), receiver: receiverOf(dotted), args: node.arguments };
  for (const extract of CALL_EXTRACTORS) if (extract(context, call, sites)) return;
}

function isAllInterfaces(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '' || host === '[::]';
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

/** `app.listen(port)`, `server.listen(port, host)`, `server.listen({ port, host })`. */
function classifyListen(context: AnalysisContext, call: TsNamespace.CallExpression, dotted: string, sites: CodeSite[]): void {
  const ts = context.ts;
  const [first, second] = call.arguments;
  if (first === undefined) return;
  const firstResolved = context.resolve(first);
  let hostNode: Node | undefined;
  if (firstResolved !== undefined && ts.isObjectLiteralExpression(firstResolved)) {
    if (context.property(firstResolved, 'port') === undefined && context.property(firstResolved, 'path') !== undefined) return;
    hostNode = context.property(firstResolved, 'host') ?? context.property(firstResolved, 'hostname');
  } else if (second !== undefined && !context.isFunction(context.resolve(second))) {
    hostNode = second;
  }
  // `listen(socketPath)` (a string that is not a number) is a Unix socket, not a network bind.
  const firstText = context.staticText(first);
  if (firstText && 'value' in firstText && !/^\d+$/.test(firstText.value)) return;
  if (hostNode === undefined) {
    sites.push(site(context, 'listen', call, dotted, { host: '(none)', allInterfaces: true }));
    return;
  }
  const hostResolved = context.resolve(hostNode);
  // `process.env.HOST ?? '127.0.0.1'`: the default is what ships.
  if (
    hostResolved !== undefined &&
    ts.isBinaryExpression(hostResolved) &&
    (hostResolved.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || hostResolved.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    const fallback = context.staticText(hostResolved.right);
    const value = fallback && 'value' in fallback ? fallback.value : 'dynamic';
    sites.push(site(context, 'listen', call, dotted, { host: value, allInterfaces: isAllInterfaces(value), configurable: true }));
    return;
  }
  const host = context.staticText(hostNode);
  const value = host && 'value' in host ? host.value : 'dynamic';
  sites.push(site(context, 'listen', call, dotted, { host: value, allInterfaces: isAllInterfaces(value) }));
}

function classifyNew(context: AnalysisContext, node: TsNamespace.NewExpression, sites: CodeSite[]): void {
  const dotted = context.dottedName(node.expression);
  const name = lastSegment(dotted);
  const args = node.arguments ?? [];
  if (name === 'StdioServerTransport') sites.push(site(context, 'stdio-transport', node, dotted));
  else if (/StreamableHTTPServerTransport$|^SSEServerTransport$|^WebStandardStreamableHTTPServerTransport$/.test(name))
    sites.push(site(context, 'http-transport', node, dotted));
  else if (name === 'Function') sites.push(site(context, 'eval', node, 'new Function'));
  else if (dotted === 'vm.Script' || name === 'Script') sites.push(site(context, 'eval', node, dotted));
  else if (name === 'Pool' && context.property(args[0], 'max') !== undefined) sites.push(site(context, 'concurrency-limit', node, dotted));
  else if (name === 'FastMCP' && context.property(args[0], 'authenticate') !== undefined)
    sites.push(site(context, 'auth-middleware', node, `${dotted} authenticate`));
  else if (name === 'MCPServer') {
    const transport = context.property(args[0], 'transport');
    const type = context.staticText(context.property(transport, 'type'));
    if (type && 'value' in type && /http|sse/.test(type.value)) sites.push(site(context, 'http-transport', node, dotted));
    else sites.push(site(context, 'stdio-transport', node, dotted));
  }
}

function classifyProperty(context: AnalysisContext, property: TsNamespace.PropertyAssignment, sites: CodeSite[]): void {
  const ts = context.ts;
  const key = propertyName(ts, property.name);
  if (key === undefined) return;
  const value = property.initializer;
  if (key === 'enableDnsRebindingProtection') {
    const literal = context.literalValue(value);
    if (literal === false) sites.push(site(context, 'dns-rebinding-protection-off', property, key));
    if (literal === true) sites.push(site(context, 'host-validation', property, key));
  } else if (key === 'allowedHosts') {
    sites.push(site(context, 'host-validation', property, key));
  } else if (key === 'sessionIdGenerator') {
    const resolved = context.resolve(value);
    if (resolved === undefined || resolved.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(resolved) && resolved.text === 'undefined')) return;
    // The generator's code; auth/weak-session-id judges it with the words in its options.
    sites.push(site(context, 'session-id-generator', property, key, { code: context.text(resolved, 2000), generator: context.text(resolved, 80) }));
  } else if (key === 'allowOrigin' || (key === 'origin' && /cors/i.test(context.text(property.parent.parent ?? property, 60)))) {
    const literal = context.literalValue(value);
    if (typeof literal === 'string' || typeof literal === 'boolean') sites.push(site(context, 'cors', property, key, { origin: String(literal) }));
  } else if (key === 'cors' && context.literalValue(value) === true) {
    sites.push(site(context, 'cors', property, key, { origin: 'true' }));
  } else if (key === 'authenticate' && context.isFunction(context.resolve(value))) {
    sites.push(site(context, 'auth-middleware', property, key));
  } else if (key === 'auth' && context.property(value, 'provider') !== undefined) {
    sites.push(site(context, 'auth-middleware', property, 'auth.provider'));
  } else if (key === 'canAccess') {
    sites.push(site(context, 'auth-check', property, key));
  } else if (/^authorization$/i.test(key)) {
    // `headers: { Authorization: req.headers.authorization }` / `` `Bearer ${authInfo.token}` ``
    const text = context.text(value, 400);
    if (/headers\.authorization|headers\[['"]authorization['"]\]|authInfo\??\.token|get\(['"]authorization['"]\)/i.test(text)) {
      sites.push(site(context, 'token-passthrough', property, key, { source: text }));
    }
  }
}

/**
 * Transport options written as shorthand, `{ enableDnsRebindingProtection, allowedHosts }`: the same
 * facts as `allowedHosts: allowedHosts`; the protection flag counts by its const's literal value.
 */
function classifyShorthand(context: AnalysisContext, property: TsNamespace.ShorthandPropertyAssignment, sites: CodeSite[]): void {
  const key = property.name.text;
  if (key === 'allowedHosts') sites.push(site(context, 'host-validation', property, key));
  else if (key === 'enableDnsRebindingProtection') {
    const literal = context.literalValue(property.name);
    if (literal === false) sites.push(site(context, 'dns-rebinding-protection-off', property, key));
    if (literal === true) sites.push(site(context, 'host-validation', property, key));
  }
}

function classifyAccess(context: AnalysisContext, node: TsNamespace.PropertyAccessExpression | TsNamespace.ElementAccessExpression, sites: CodeSite[]): void {
  const ts = context.ts;
  const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteral(node.argumentExpression) ? node.argumentExpression.text : undefined;
  if (name === undefined) return;
  const receiver = context.dottedName(node.expression);
  // a query-string read (`req.query.token`); auth/token-in-query judges the name
  if (/(^|\.)query$/.test(receiver) && /^(req|request|c\.req|ctx\.request|ctx)/.test(receiver))
    sites.push(site(context, 'query-read', node, `${receiver}.${name}`, { parameter: name }));
  // `req.headers.host`, `req.headers['host']`: the Host header read, and what the value is used for.
  if (name.toLowerCase() === 'host' && /(^|\.)headers$/.test(receiver))
    sites.push(site(context, 'host-header-read', node, `${receiver}.${name}`, hostUse(context, node)));
  if (name === 'authInfo' && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === 'token' && isInOutboundHeaders(context, node))) {
    sites.push(site(context, 'auth-check', node, `${receiver}.authInfo`));
  } else if (name === 'stack' && isInsideReturnedValue(context, node)) {
    // `env.stack.push(r)`: a method called on the stack (recorded as `method`) says what the value is used as.
    const method =
      ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node && ts.isCallExpression(node.parent.parent)
        ? node.parent.name.text
        : undefined;
    sites.push(errorSite(site(context, 'error-stack-returned', node, `${receiver}.stack`, method === undefined ? {} : { method }), node));
  } else if (
    name === 'env' &&
    receiver === 'process' &&
    !(ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) &&
    !ts.isElementAccessExpression(node.parent) &&
    isInsideReturnedValue(context, node) &&
    !ts.isCallExpression(node.parent)
  ) {
    sites.push(site(context, 'env-returned', node, 'process.env'));
  } else if (ts.isIdentifier(node.expression) && isInCatch(context, node, node.expression.text) && isInsideReturnedValue(context, node)) {
    // A property of the caught error in a returned value (`error.message`, `err.code`); secrets/internal-detail-in-error judges which.
    sites.push(errorSite(site(context, 'caught-error-returned', node, `${receiver}.${name}`, { property: name, ...tryFacts(context, node) }), node));
  } else if (
    (FILTER_NAMES.test(name) && !(ts.isCallExpression(node.parent) && node.parent.expression === node)) ||
    (name === 'features' && (ENV_READ.test(receiver) || CONFIG_READ.test(receiver)))
  ) {
    // (not a method call: zod's `.readonly()` is no read-only mode)
    sites.push(
      site(context, 'capability-filter', node, `${receiver}.${name}`, { form: READ_ONLY_NAME.test(name) ? 'read-only-mode' : 'capability-list', name }),
    );
  } else if (
    name === 'enabled' &&
    ts.isBinaryExpression(node.parent) &&
    node.parent.left === node &&
    node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
  ) {
    sites.push(site(context, 'capability-toggle', node, `${receiver}.enabled =`, { action: 'enabled' }));
  }
}

function isInOutboundHeaders(context: AnalysisContext, node: Node): boolean {
  const ts = context.ts;
  for (let current: Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isPropertyAssignment(current) && /^authorization$/i.test(propertyName(ts, current.name) ?? '')) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

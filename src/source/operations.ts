import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { BUILTIN_VOCABULARY } from '../engine/generated/vocabulary.js';
import type { AnalysisContext, Node } from './context.js';
import type { CodeSite, TestFacts, TestSignal } from './types.js';
import { endingIn, literalAlternatives, wholly, wordSet } from './vocabulary.js';

/**
 * Operations facts (the operations pack judges them): where the code emits metrics or serves a
 * metrics route, where it denies access (401/403) and what that path records, where it keeps
 * protocol sessions, and what the server's own tests exercise. Facts, not verdicts: each site
 * names the construct it saw; the rules decide what is missing.
 */

// The words that select a site are the options of the rule that judges it (rules/operations.yaml,
// compiled into BUILTIN_VOCABULARY; src/source/vocabulary.ts says why): the collector selects, the
// rule judges, one definition. operations/no-metrics: `metricMethods`, `metricReceivers`.
/** Methods that emit a metric or start a span on a metrics/tracing object (prom-client, OpenTelemetry, StatsD, hot-shots). */
const METRIC_METHODS = wordSet(BUILTIN_VOCABULARY['operations/no-metrics'].metricMethods);
/** Receivers whose name says they are a metric, a meter, a tracer or a StatsD client (ends in one, or its plural). */
const METRIC_RECEIVER = endingIn(BUILTIN_VOCABULARY['operations/no-metrics'].metricReceivers, 'i');
/** Constructors and factories of metrics (`new client.Counter(...)`, `meter.createCounter(...)`): `metricFactories`. */
const METRIC_FACTORIES = new RegExp(`^(?:new\\s+)?(?:[\\w.]+\\.)?(?:${literalAlternatives(BUILTIN_VOCABULARY['operations/no-metrics'].metricFactories)})$`);
/** Collections that hold live protocol sessions, by the name they are bound to (operations/in-memory-session-state: `sessionHolders`). */
const SESSION_HOLDER = wholly(BUILTIN_VOCABULARY['operations/in-memory-session-state'].sessionHolders, 'i');

function site(context: AnalysisContext, kind: CodeSite['kind'], node: Node, what: string, detail: CodeSite['detail'] = {}): CodeSite {
  return { kind, location: context.location(node), what, detail };
}

/** What most nodes are: never added to (callers only read the sites). */
const NONE: readonly CodeSite[] = [];

export function classifyOperations(context: AnalysisContext, node: Node): readonly CodeSite[] {
  const ts = context.ts;
  if (ts.isCallExpression(node)) return classifyCall(context, node);
  if (ts.isNewExpression(node)) {
    const name = context.dottedName(node.expression);
    if (name === 'InMemoryEventStore' || name.endsWith('.InMemoryEventStore'))
      return [site(context, 'session-store', node, `new ${name}`, { store: 'event-store', inMemory: true })];
    if (METRIC_FACTORIES.test(name) || METRIC_FACTORIES.test(`new ${name}`))
      return [site(context, 'metric-emission', node, `new ${name}`, { form: 'factory' })];
    if ((name === 'Map' || name === 'WeakMap') && holderName(context, node) !== undefined)
      return [site(context, 'session-store', node, `${holderName(context, node)} = new ${name}`, { store: 'sessions', inMemory: true })];
    return NONE;
  }
  if (
    ts.isVariableDeclaration(node) &&
    ts.isIdentifier(node.name) &&
    SESSION_HOLDER.test(node.name.text) &&
    node.initializer !== undefined &&
    ts.isObjectLiteralExpression(node.initializer) &&
    node.initializer.properties.length === 0
  ) {
    return [site(context, 'session-store', node, `${node.name.text} = {}`, { store: 'sessions', inMemory: true })];
  }
  return NONE;
}

function holderName(context: AnalysisContext, node: Node): string | undefined {
  const ts = context.ts;
  const parent = node.parent;
  let name: string | undefined;
  if (parent !== undefined && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) name = parent.name.text;
  else if (parent !== undefined && ts.isPropertyDeclaration(parent) && (ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name)))
    name = parent.name.text.replace(/^#/, '');
  else if (parent !== undefined && ts.isBinaryExpression(parent) && parent.right === node) name = context.dottedName(parent.left).split('.').pop();
  return name !== undefined && SESSION_HOLDER.test(name) ? name : undefined;
}

function classifyCall(context: AnalysisContext, call: TsNamespace.CallExpression): CodeSite[] {
  const ts = context.ts;
  const dotted = context.dottedName(call.expression);
  // The segments after the last and the last but one dot (`split('.').pop()`, without the arrays).
  const method = dotted.slice(dotted.lastIndexOf('.') + 1);
  const receiver = dotted.slice(0, Math.max(0, dotted.length - method.length - 1));
  const receiverName = receiver.slice(receiver.lastIndexOf('.') + 1);
  const sites: CodeSite[] = [];
  if (METRIC_FACTORIES.test(dotted) || METRIC_FACTORIES.test(method)) sites.push(site(context, 'metric-emission', call, dotted, { form: 'factory' }));
  else if (METRIC_METHODS.has(method) && METRIC_RECEIVER.test(receiverName)) sites.push(site(context, 'metric-emission', call, dotted, { form: 'emit' }));
  // a metrics route: app.get('/metrics', ...)
  const first = call.arguments[0];
  if (
    first !== undefined &&
    (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) &&
    first.text === '/metrics' &&
    /^(get|use|all|route)$/.test(method)
  ) {
    sites.push(site(context, 'metrics-route', call, `${dotted}('/metrics')`));
  }
  // an access denial: res.status(401|403), res.writeHead(401|403), c.json(..., 401)
  const status = deniedStatus(context, call, method);
  if (status !== undefined) sites.push(site(context, 'auth-denial', call, dotted, { status, ...recorded(context, call) }));
  return sites;
}

function deniedStatus(context: AnalysisContext, call: TsNamespace.CallExpression, method: string): number | undefined {
  const values =
    method === 'status' || method === 'sendStatus' || method === 'writeHead'
      ? [call.arguments[0]]
      : method === 'json' || method === 'text'
        ? [call.arguments[1]]
        : [];
  for (const value of values) {
    const literal = context.literalValue(value);
    if (literal === 401 || literal === 403) return literal;
  }
  return undefined;
}

/**
 * What the denying block records besides the answer: a log call, a metric, an audit event, and
 * whether its words tell a denial apart from a handler error (`auth`, `denied`, `unauthori…`).
 */
function recorded(context: AnalysisContext, call: Node): CodeSite['detail'] {
  const ts = context.ts;
  // The denial's own scope: the block its statement sits in, or the statement alone when it is the
  // unbraced branch of an `if` (`if (!token) return res.status(401)…` records nothing of its own).
  let statement: Node | undefined = call;
  while (
    statement !== undefined &&
    !ts.isSourceFile(statement) &&
    !(
      ts.isStatement(statement) &&
      statement.parent !== undefined &&
      (ts.isBlock(statement.parent) || ts.isIfStatement(statement.parent) || ts.isSourceFile(statement.parent))
    )
  )
    statement = statement.parent;
  if (statement === undefined) return { logged: false, counted: false, labelled: false };
  const block = statement.parent !== undefined && ts.isBlock(statement.parent) ? statement.parent : statement;
  let logged = false;
  let counted = false;
  let labelled = false;
  context.walk(block, (node) => {
    if (!ts.isCallExpression(node)) return;
    const dotted = context.dottedName(node.expression);
    const method = dotted.split('.').pop() ?? '';
    const receiverName = dotted.split('.').slice(-2, -1)[0] ?? '';
    const isLog =
      /^(console|logger|log|pino|winston|bunyan|this\.logger)$/i.test(dotted.slice(0, Math.max(0, dotted.length - method.length - 1))) ||
      /logger$/i.test(receiverName);
    const isMetric = METRIC_METHODS.has(method) && (METRIC_RECEIVER.test(receiverName) || method === 'inc' || method === 'increment');
    const isAudit = /^audit/i.test(method) || /audit/i.test(receiverName);
    if (isLog || isMetric || isAudit) {
      if (isLog) logged = true;
      if (isMetric || isAudit) counted = true;
      if (/auth|denied|deny|unauthori[sz]ed|forbidden|rejected/i.test(context.text(node, 400))) labelled = true;
    }
  });
  return { logged, counted, labelled };
}

// ---------------------------------------------------------------------------------------------
// The server's own tests

/** What a test is about, by the words it is written with; each pattern is documented in docs/rules/operations/untested-failure-paths.md. */
export const TEST_SIGNALS: Record<TestSignal, RegExp> = {
  invalidArguments:
    /invalid[ _-]?(?:argument|param|input|arg)|InvalidParams|-32602|ZodError|validation (?:error|fail)|(?:reject|refuse)s? (?:an? )?(?:invalid|bad|malformed|missing)/i,
  accessDenied: /\b40[13]\b|unauthori[sz]ed|forbidden|access denied|permission denied|insufficient[_ ]scope|invalid[_ ]token/i,
  backendTimeout: /time[sd]?[ _-]?out|ETIMEDOUT|AbortError|useFakeTimers|advanceTimers|deadline exceeded/i,
  oversizedOutput: /too (?:large|long|big)|oversi[sz]ed|truncat|exceeds? (?:the )?(?:max|limit)|max(?:imum)?[ _]?(?:size|length|bytes|tokens|output)/i,
};

const TEST_FILE = /\.(?:test|spec)\.[mc]?[jt]sx?$/;
const TEST_DIRECTORIES = new Set(['test', 'tests', '__tests__', 'spec', 'e2e']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);
/** Bounds: a monorepo's tests are read, not every byte of it. */
const MAX_TEST_FILES = 2000;
const MAX_TEST_BYTES = 1024 * 1024;

/** The test files of the package at `packageRoot` (its test script, the usual globs) and which failure paths they exercise. */
export function collectTestFacts(packageRoot: string, capabilityNames: readonly string[] = []): TestFacts {
  const facts: TestFacts = { files: [], signals: { invalidArguments: [], accessDenied: [], backendTimeout: [], oversizedOutput: [] }, capabilities: {} };
  const names = new Set(capabilityNames);
  if (path.resolve(packageRoot).split(path.sep).includes('node_modules')) facts.installed = true;
  try {
    const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> };
    if (typeof manifest.scripts?.test === 'string') facts.script = manifest.scripts.test;
  } catch {
    // no package.json, or not JSON: the globs still find test files
  }
  const files: string[] = [];
  const visit = (directory: string, inTests: boolean): void => {
    if (files.length >= MAX_TEST_FILES) return;
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.'))
          visit(path.join(directory, entry.name), inTests || TEST_DIRECTORIES.has(entry.name));
      } else if (entry.isFile() && (TEST_FILE.test(entry.name) || (inTests && /\.[mc]?[jt]sx?$/.test(entry.name)))) {
        files.push(path.join(directory, entry.name));
        if (files.length >= MAX_TEST_FILES) {
          facts.truncated = true;
          return;
        }
      }
    }
  };
  visit(packageRoot, false);
  for (const file of files) {
    const relative = path.relative(packageRoot, file).split(path.sep).join('/');
    facts.files.push(relative);
    let text: string;
    try {
      if (statSync(file).size > MAX_TEST_BYTES) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    // A test that names a capability (as a quoted string) is counted as its regression test.
    for (const name of names) {
      if (facts.capabilities[name] !== undefined) continue;
      const index = lines.findIndex((line) => line.includes(`'${name}'`) || line.includes(`"${name}"`) || line.includes(`\`${name}\``));
      if (index >= 0) facts.capabilities[name] = { file: relative, line: index + 1 };
    }
    for (const [signal, pattern] of Object.entries(TEST_SIGNALS) as Array<[TestSignal, RegExp]>) {
      if (facts.signals[signal].length >= 3) continue;
      const index = lines.findIndex((line) => pattern.test(line));
      if (index >= 0) facts.signals[signal].push({ file: relative, line: index + 1, text: lines[index]!.trim().slice(0, 120) });
    }
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Credentials a handler reads (the review dossier's "credentials" cell)

/** Header names that carry credentials. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|x-access-token)$/i;

/**
 * A credential the node reads: `env NAME` for `process.env.NAME` / `process.env['NAME']` (every
 * variable: which of them are secret is the reader's call, the dossier shows the names), `header
 * authorization` for a request header that carries a credential, `authInfo` for the SDK's verified
 * token. Undefined for anything else.
 */
export function credentialRead(context: AnalysisContext, node: Node): string | undefined {
  const ts = context.ts;
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteral(node.argumentExpression) ? node.argumentExpression.text : undefined;
    if (name === undefined) return undefined;
    const receiver = context.dottedName(node.expression);
    if (receiver === 'process.env' || receiver === 'Deno.env' || receiver === 'import.meta.env') return `env ${name}`;
    if (/(^|\.)headers$/.test(receiver) && CREDENTIAL_HEADERS.test(name)) return `header ${name.toLowerCase()}`;
    if (name === 'authInfo') return 'authInfo';
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'get') {
    const receiver = context.dottedName(node.expression.expression);
    const first = node.arguments[0];
    if (/(^|\.)headers$/.test(receiver) && first !== undefined && ts.isStringLiteral(first) && CREDENTIAL_HEADERS.test(first.text))
      return `header ${first.text.toLowerCase()}`;
  }
  return undefined;
}

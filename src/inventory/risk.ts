import { hasOnlyNumericParameters, parametersOf, isFreeFormString, stringSchemaOf, type Parameter } from '../checks/parameters.js';
import { actsAsVerb, splitWords } from '../checks/words.js';
import type { CodeSite, SourceRegistration } from '../source/types.js';
import { builtinShellVocabulary, builtinSqlParameters, shellTokens } from './exec-words.js';
import { promptCommandsOf } from './prompt-commands.js';
import { registrationsOf } from './registrations.js';
import { allCapabilities, capabilityRef, type Capability, type CapabilityRef, type Inventory, type ToolCapability } from './model.js';
import type { RankedCapability, RiskAssessment, RiskClass, RiskDeclaration, RiskDeclarations } from './risk-types.js';

/**
 * The risk class of each capability, from its annotations, its name, its parameters (a free-form
 * `command`, `sql` or `url`) and, with source analysis, what its handler reaches. Facts, not verdicts: rules (killswitch, audit, risk assertions) and
 * reporters (the ranked inventory) read it. The types are in risk-types.ts (model.ts names them).
 */
export { RISK_CLASSES } from './risk-types.js';
export type { RankedCapability, RiskAssessment, RiskClass, RiskDeclaration, RiskDeclarations } from './risk-types.js';

// Names and parameters that make a tool an executor are design/shell-like-tool's (exec-words.ts,
// the pack's built-in lists); they do not count after a leading read verb (`get_shell_history`).
/** Words that make a tool a code evaluator wherever they appear (design/code-eval-tool's territory). */
const EVAL_VERBS = new Set(['eval', 'evaluate']);
const DESTRUCTIVE_VERBS = new Set([
  'delete',
  'remove',
  'drop',
  'truncate',
  'destroy',
  'purge',
  'wipe',
  'erase',
  'overwrite',
  'reset',
  'force',
  'kill',
  'terminate',
  'revoke',
  'uninstall',
  'unlink',
  'rm',
  'rmdir',
  'del',
  'prune',
  'rollback',
  'revert',
  'unpublish',
  'deprovision',
  'shred',
  'nuke',
  'clear',
]);
const WRITE_VERBS = new Set([
  'create',
  'insert',
  'append',
  'write',
  'update',
  'edit',
  'modify',
  'patch',
  'put',
  'post',
  'set',
  'save',
  'upload',
  'send',
  'publish',
  'push',
  'commit',
  'merge',
  'move',
  'rename',
  'install',
  'deploy',
  'approve',
  'archive',
  'assign',
  'invite',
  'transfer',
  'restart',
  'stop',
  'start',
  'enable',
  'disable',
  'toggle',
  'replace',
  'import',
  'submit',
  'grant',
  'ban',
  'block',
  'pay',
  'charge',
  'refund',
  'book',
  'order',
  'reply',
  'comment',
  'close',
  'cancel',
  'schedule',
  'mkdir',
  'chmod',
  'chown',
  'add',
  'register',
  'upsert',
  'store',
  'mutate',
  'apply',
  'trigger',
  'notify',
  'email',
  'tweet',
  'message',
  'sync',
  'broadcast',
  'fork',
  'mute',
  'unmute',
]);
const READ_VERBS = new Set([
  'get',
  'list',
  'read',
  'search',
  'find',
  'fetch',
  'query',
  'show',
  'describe',
  'view',
  'count',
  'check',
  'lookup',
  'inspect',
  'preview',
  'status',
  'history',
  'diff',
  'validate',
  'explain',
  'summarize',
  'analyze',
  'browse',
  'retrieve',
  'download',
  'export',
  'ping',
  'echo',
  'lint',
  'parse',
  'convert',
  'calculate',
  'compute',
  'estimate',
  'resolve',
  'translate',
  'format',
  'crawl',
  'scrape',
  'research',
]);
// Parameters that carry a command line, and parameters that carry SQL (`query` only when the tool
// speaks of SQL: a search box is not SQL), are the design pack's built-in lists (exec-words.ts).
const SQL_MENTION = /\b(?:sql|select\s|postgres(?:ql)?|mysql|sqlite|database query)\b/i;
/** HTTP methods that only read (RFC 9110 safe methods). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Handler sites that change something (or may): with one of them, a handler's GET requests do not make the tool a reader. */
const CHANGING_SITES: ReadonlySet<CodeSite['kind']> = new Set(['process-spawn', 'eval', 'sql-call', 'capability-toggle']);
/** Parameters that carry a URL the tool will reach. */
const URL_PARAMS = new Set(['url', 'uri', 'endpoint', 'href', 'link', 'webhook', 'webhook_url', 'target_url', 'base_url', 'callback_url']);

const BASE_SCORE: Record<RiskClass, number> = { exec: 100, destructive: 80, write: 50, 'open-world': 30, 'read-only': 10 };

/** The source registration of a capability, when source analysis tied one to it by kind and name. */
export function registrationOf(capability: Capability, inventory: Inventory): SourceRegistration | undefined {
  if (inventory.source === undefined) return undefined;
  const registrations = registrationsOf(inventory.source, capability);
  return registrations.length === 0 ? undefined : registrations[0];
}

function reaches(registration: SourceRegistration | undefined, kind: CodeSite['kind'], accept: (site: CodeSite) => boolean = () => true): CodeSite | undefined {
  return registration?.handler?.reaches.find((site) => site.kind === kind && accept(site));
}

const snake = (parameter: Parameter) => parameter.words.join('_');
const freeForm = (parameter: Parameter) => isFreeFormString(parameter.schema);

function urlParameter(parameters: readonly Parameter[]): Parameter | undefined {
  return parameters.find((parameter) => {
    if (!freeForm(parameter)) return false;
    const format = stringSchemaOf(parameter.schema)?.format;
    return format === 'uri' || format === 'url' || URL_PARAMS.has(snake(parameter)) || URL_PARAMS.has(parameter.words.at(-1) ?? '');
  });
}

/**
 * The read a handler's reach proves: it sends HTTP requests, every one with a method written as
 * GET (or HEAD), and reaches nothing that changes state. Undefined when any request's method is
 * computed or unsafe, or when there is no request at all (an empty reach proves nothing: SDK clients
 * and calls deeper than the analysis depth are not seen).
 */
function handlerOnlyGets(registration: SourceRegistration | undefined): string | undefined {
  const reached = registration?.handler?.reaches ?? [];
  const requests = reached.filter((site) => site.kind === 'outbound-http');
  if (requests.length === 0 || reached.some((site) => CHANGING_SITES.has(site.kind))) return undefined;
  if (!requests.every((site) => typeof site.detail.method === 'string' && SAFE_METHODS.has(site.detail.method))) return undefined;
  const methods = [...new Set(requests.map((site) => String(site.detail.method)))];
  return `handler only sends ${methods.join('/')} requests (${[...new Set(requests.map((site) => site.what))].join(', ')})`;
}

/**
 * The read verb a description opens with (`Lists all tools`, `Get directions`, `Fetches a page`),
 * when its first sentence names no write or destructive verb (`Gets or creates a user`).
 */
function descriptionReadVerb(description: string | undefined): string | undefined {
  if (description === undefined) return undefined;
  const sentence = description.split(/[.!?\n]/, 1)[0] ?? '';
  const words = splitWords(sentence);
  const stem = (word: string): string[] => [word, word.replace(/e?s$/, ''), word.replace(/s$/, '')];
  const first = words[0];
  if (first === undefined) return undefined;
  const read = stem(first).find((candidate) => READ_VERBS.has(candidate));
  if (read === undefined) return undefined;
  if (words.some((word) => stem(word).some((candidate) => WRITE_VERBS.has(candidate) || DESTRUCTIVE_VERBS.has(candidate)))) return undefined;
  return read;
}

/**
 * A tool that declares it only reads (`readOnlyHint: true`) and whose description says so (`Get
 * logs from pods`) runs a program to read (`kubectl get`): when no shell runs it and nothing is
 * evaluated, the spawn is how it reads, not what it is. Its name and parameters still decide (a
 * `command` parameter is exec whatever the description).
 */
function readsThroughProgram(tool: ToolCapability, registration: SourceRegistration | undefined): boolean {
  if (tool.annotations?.readOnlyHint !== true || descriptionReadVerb(tool.description) === undefined) return false;
  const reached = registration?.handler?.reaches ?? [];
  return !reached.some((site) => site.kind === 'eval' || (site.kind === 'process-spawn' && site.detail.shell !== false));
}

function sqlParameter(tool: ToolCapability, parameters: readonly Parameter[]): Parameter | undefined {
  const speaksSql = SQL_MENTION.test(`${tool.name.replace(/_/g, ' ')} ${tool.title ?? ''} ${tool.description ?? ''}`);
  return parameters.find(
    (parameter) =>
      freeForm(parameter) && (builtinSqlParameters().has(snake(parameter)) || (speaksSql && ['query', 'sql'].includes(parameter.words.at(-1) ?? ''))),
  );
}

/**
 * A tool's class from the strongest signal, in this order: it executes (name, a free-form command
 * parameter, a handler that spawns a process or evaluates code), it destroys (name verb,
 * `destructiveHint`, model-written or dynamic SQL), it writes (name verb, `readOnlyHint: false`),
 * it only reads (`readOnlyHint: true` or a read verb; `open-world` when it reaches outside). When
 * neither the name nor the annotations speak, the description's opening read verb (`Lists all
 * tools`), arithmetic `add`, or a handler whose every request is a GET says it reads. A tool nothing
 * speaks for is assumed to write (the specification's default for an unannotated tool is even
 * destructive). Open world, whatever the class: `openWorldHint: true`, a URL parameter, or a
 * handler that makes outbound HTTP calls.
 */
function assessTool(tool: ToolCapability, inventory: Inventory): Omit<RiskAssessment, 'capability' | 'score'> {
  const words = splitWords(tool.name);
  const annotations = tool.annotations ?? {};
  const registration = registrationOf(tool, inventory);
  const parameters = parametersOf(tool.inputSchema);

  const worldReasons: string[] = [];
  if (annotations.openWorldHint === true) worldReasons.push('openWorldHint: true');
  const urlParam = urlParameter(parameters);
  if (urlParam) worldReasons.push(`parameter "${urlParam.name}" takes any URL`);
  const outbound = reaches(registration, 'outbound-http');
  if (outbound) worldReasons.push(`handler calls ${outbound.what}`);
  const openWorld = worldReasons.length > 0;
  const decide = (riskClass: RiskClass, decisive: string[]): Omit<RiskAssessment, 'capability' | 'score'> => ({
    class: riskClass,
    openWorld,
    reasons: [...decisive, ...worldReasons.filter((reason) => !decisive.includes(reason))],
  });

  const shell = builtinShellVocabulary();
  const leadingRead = READ_VERBS.has(words[0] ?? '') && !EVAL_VERBS.has(words[0] ?? '') && !shell.bareVerbs.has(words[0] ?? '');
  // After a leading read verb the other words name the object (`get_order`, `list_delete_requests`), unless the name chains actions.
  const nameActs = !leadingRead || words.includes('and') || words.includes('then');
  const execReasons: string[] = [];
  const execWord = words.find((word) => EVAL_VERBS.has(word)) ?? (leadingRead ? undefined : shellTokens(tool.name, shell).at(-1));
  if (execWord) execReasons.push(`name word "${execWord}"`);
  const commandParam = parameters.find((parameter) => freeForm(parameter) && shell.commandParameters.has(snake(parameter)));
  if (commandParam) execReasons.push(`parameter "${commandParam.name}" takes a command`);
  const spawn = reaches(registration, 'process-spawn') ?? reaches(registration, 'eval');
  if (spawn && !readsThroughProgram(tool, registration)) execReasons.push(`handler reaches ${spawn.what}`);
  if (execReasons.length > 0) return decide('exec', execReasons);

  const destructiveReasons: string[] = [];
  const destructiveVerb = nameActs ? words.find((word) => DESTRUCTIVE_VERBS.has(word)) : undefined;
  if (destructiveVerb) destructiveReasons.push(`name verb "${destructiveVerb}"`);
  if (annotations.destructiveHint === true && annotations.readOnlyHint !== true) destructiveReasons.push('destructiveHint: true');
  const sqlParam = sqlParameter(tool, parameters);
  if (sqlParam) destructiveReasons.push(`parameter "${sqlParam.name}" takes model-written SQL`);
  const dynamicSql = reaches(registration, 'sql-call', (site) => site.detail.dynamic === true && site.detail.parameterised !== true);
  if (dynamicSql) destructiveReasons.push(`handler runs dynamic SQL (${dynamicSql.what})`);
  if (destructiveReasons.length > 0) return decide('destructive', destructiveReasons);

  // The verb, not the noun: `order_status` and `order` name an order, `add_numbers` adds up (checks/words.ts, actsAsVerb).
  const numericParameters = hasOnlyNumericParameters(tool.inputSchema);
  const writeVerb = nameActs
    ? words.find((word, index) => WRITE_VERBS.has(word) && actsAsVerb(words, index, { reads: READ_VERBS, numericParameters }))
    : undefined;
  if (writeVerb) return decide('write', [`name verb "${writeVerb}"`]);
  if (annotations.readOnlyHint === false) return decide('write', ['readOnlyHint: false']);

  const readVerb = words.find((word) => READ_VERBS.has(word));
  const reads = (reason: string) => decide(openWorld ? 'open-world' : 'read-only', [reason]);
  if (annotations.readOnlyHint === true) return reads('readOnlyHint: true');
  if (readVerb) return reads(`name verb "${readVerb}"`);
  // Nothing in the name or the annotations: what the tool says it does, then what its handler does.
  // `add` rejected above as arithmetic (`add(a, b)`) computes; it is not an unknown verb.
  if (nameActs && words.includes('add')) return reads('name "add" adds numbers');
  const describedRead = descriptionReadVerb(tool.description);
  if (describedRead) return reads(`description verb "${describedRead}"`);
  const onlyGets = handlerOnlyGets(registration);
  if (onlyGets) return reads(onlyGets);
  return decide('write', ['no readOnlyHint and no read verb in the name: assumed to write']);
}

/**
 * Resources and prompts are read by the client, not actions; a template over http(s) reaches any host
 * it is given; a prompt that has the model run a command or a shell executes (inventory/prompt-commands.ts).
 */
function assessReadable(capability: Exclude<Capability, ToolCapability>, inventory: Inventory): Omit<RiskAssessment, 'capability' | 'score'> {
  if (capability.kind === 'prompt') {
    const commands = promptCommandsOf(inventory, capability.name);
    if (commands.length > 0)
      return { class: 'exec', openWorld: false, reasons: commands.map((found) => `${found.field} has the model run a command (${found.phrase})`) };
    return { class: 'read-only', openWorld: false, reasons: ['a prompt: text for the model, not an action'] };
  }
  const uri = capability.kind === 'resource' ? capability.uri : capability.uriTemplate;
  if (/^https?:\/\//i.test(uri)) {
    const variableHost = capability.kind === 'resourceTemplate' && /^https?:\/\/[^/]*\{/.test(uri);
    return {
      class: 'open-world',
      openWorld: true,
      reasons: [variableHost ? 'an http(s) template whose host the client fills in' : `a resource read over ${uri.split(':')[0]!.toLowerCase()}`],
    };
  }
  return {
    class: 'read-only',
    openWorld: false,
    reasons: [`a ${capability.kind === 'resource' ? 'resource' : 'resource template'}: read by the client, not an action`],
  };
}

export function assessRisk(capability: Capability, inventory: Inventory): RiskAssessment {
  const assessed = capability.kind === 'tool' ? assessTool(capability, inventory) : assessReadable(capability, inventory);
  // Within a class: open world first, then the number of independent signals.
  const score = BASE_SCORE[assessed.class] + (assessed.openWorld ? 10 : 0) + Math.min(assessed.reasons.length, 5);
  return { capability: capabilityRef(capability), ...assessed, score };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const KIND_ORDER: Record<Capability['kind'], number> = { tool: 0, resource: 1, resourceTemplate: 2, prompt: 3 };

/** Every capability, riskiest first (ties by kind, then name, so the order is stable on every machine). */
export function rankCapabilities(inventory: Inventory): RiskAssessment[] {
  return allCapabilities(inventory)
    .map((capability) => assessRisk(capability, inventory))
    .sort(
      (a, b) =>
        b.score - a.score ||
        KIND_ORDER[a.capability.kind as Capability['kind']] - KIND_ORDER[b.capability.kind as Capability['kind']] ||
        compareText(a.capability.name ?? '', b.capability.name ?? ''),
    );
}

const DECLARATION_KEY: Record<Capability['kind'], keyof RiskDeclarations> = {
  tool: 'tools',
  resource: 'resources',
  resourceTemplate: 'resourceTemplates',
  prompt: 'prompts',
};

/** The config's declaration for a capability (`risk.tools.<name>`, …), if any. */
export function declarationFor(capability: CapabilityRef, declarations: RiskDeclarations | undefined): RiskDeclaration | undefined {
  if (declarations === undefined || capability.kind === 'server' || capability.name === undefined) return undefined;
  const byName = declarations[DECLARATION_KEY[capability.kind]];
  return byName !== undefined && Object.hasOwn(byName, capability.name) ? byName[capability.name] : undefined;
}

/** The ranked risk inventory (`inventory.risk`): every capability riskiest first, with what the config declared. */
export function riskInventory(inventory: Inventory, declarations?: RiskDeclarations): RankedCapability[] {
  return rankCapabilities(inventory).map((assessment) => {
    const declared = declarationFor(assessment.capability, declarations);
    return {
      ...assessment,
      ...(declared ? { declared } : {}),
      mismatch: declared?.class !== undefined && declared.class !== assessment.class,
    };
  });
}

import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { CheckContext, RuleMeta } from '../../engine/types.js';
import { builtinSqlParameters, isCommandParameter, shellTokens, shellVocabulary, type ShellVocabulary } from '../../inventory/exec-words.js';
import { capabilityRef, type ToolCapability } from '../../inventory/model.js';
import { isRecord, joinPath, propertyEntries, schemaTypes } from '../json-schema.js';
import { snakeName, splitWords } from '../words.js';
import { listingEvidence, namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';
import { promptCommands } from '../../inventory/prompt-commands.js';
import { commandPhrases } from '../prompt-commands.js';

/**
 * design/shell-like-tool, on whichever evidence was collected:
 * - listing: a tool whose name or title says it runs commands, or which takes a free-form command
 *   string. Words, not substrings: `execute_query` (SQL, another rule), `run_tests` and
 *   `process_payment` are not shell tools; `run_command`, `exec`, `bash`, `run-code`,
 *   `evaluate_script` are. A tool named only `execute` that takes an SQL parameter (`sql`) runs SQL
 *   (design/raw-sql-tool); a command parameter on a tool named for data about commands
 *   (`ssh_get_command_filter`, `ssh_command_alias`: `commandDataNouns`) is checked or stored, not run;
 *   a description whose first sentence says the tool opens a shell ("Opens a new interactive shell")
 *   counts too. Token lists come from
 *   the pack's options so users can extend them; the matching is src/inventory/exec-words.ts, which
 *   the risk classes use with the same lists' built-in defaults;
 * - prompts: a prompt whose text has the model run a command or a shell (`promptPatterns`; under
 *   --probe also the messages `prompts/get` returned), matched by src/inventory/prompt-commands.ts,
 *   which the risk classes run with the same option's built-in defaults;
 * - source: a handler (or a function it calls) spawns a process with a command that is not a
 *   literal, or through a shell, or a literal program that runs the program its arguments name
 *   (`programRunners`: `kubectl exec`, `ssh`, `sh -c`) with an argument array built at run time.
 *   A fixed program with an argument array (`execFile('git', [...])`) passes, also through a
 *   wrapper whose callers pass the literal (`execFileSyncSafe('kubectl', args)`, see handlers.ts).
 */

function vocabulary(rule: RuleMeta): ShellVocabulary {
  return shellVocabulary({
    shellWords: stringListOption(rule, 'shellWords'),
    runVerbs: stringListOption(rule, 'runVerbs'),
    commandNouns: stringListOption(rule, 'commandNouns'),
    bareVerbs: stringListOption(rule, 'bareVerbs'),
    readVerbs: stringListOption(rule, 'readVerbs'),
    commandParameters: stringListOption(rule, 'commandParameters'),
  });
}

/**
 * A string, a string array (argv form), a union of those (`anyOf: [string, string[]]`) or a schema
 * with no type at all (it accepts a command line as well as anything else).
 */
function isFreeFormString(schema: unknown): boolean {
  if (schema === true) return true;
  if (!isRecord(schema) || schema.enum !== undefined || schema.const !== undefined) return false;
  const types = schemaTypes(schema);
  if (types === undefined) {
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
    if (branches !== undefined) return branches.length > 0 && branches.some((branch) => isFreeFormString(branch));
    return schema.$ref === undefined && schema.allOf === undefined && schema.not === undefined;
  }
  if (types.includes('string')) return true;
  // argv form: `command: string[]`
  return types.includes('array') && schemaTypes(schema.items)?.includes('string') === true;
}

function nameFields(tool: ToolCapability): Array<[string, string]> {
  const fields: Array<[string, string]> = [['name', tool.name]];
  if (typeof tool.title === 'string') fields.push(['title', tool.title]);
  if (typeof tool.annotations?.title === 'string') fields.push(['annotations.title', tool.annotations.title]);
  return fields;
}

export const shellLikeTool = defineCheck('design/shell-like-tool', (context) => {
  judgeListing(context);
  judgePrompts(context);
  judgeSource(context);
});

function judgePrompts({ inventory, rule, report }: CheckContext): void {
  const evidenceKind = listingEvidence(inventory);
  for (const found of promptCommands(inventory, commandPhrases(rule))) {
    report({
      messageId: 'shellPrompt',
      data: { prompt: found.name, field: found.field, excerpt: found.excerpt, phrase: found.phrase },
      capability: { kind: 'prompt', name: found.name },
      field: found.field,
      evidence: found.excerpt,
      evidenceKind: found.probed ? 'probe' : evidenceKind,
    });
  }
}

// The first sentence of a description that says the tool opens or starts a shell: "Opens a new
// persistent interactive shell on the server", "Start a terminal session". Only the first sentence,
// so "read files without starting a shell" further down is not a shell tool.
const OPENS_SHELL =
  /^(?:\s*(?:this\s+tool\s+)?)(?:opens?|starts?|spawns?|launch(?:es)?|creates?)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:(?:persistent|interactive|remote|ssh|pty)\s+)*(?:shell|terminal|bash|repl)\b(?!\s*(?:logs?|output|history|colou?rs?|themes?|window))/iu;

function firstSentence(text: string): string {
  return text.trim().split(/[.!?](?:\s|$)|\n\s*\n/u)[0] ?? '';
}

/** `execute` with an `sql` parameter: the bare verb runs SQL (design/raw-sql-tool), not a shell. */
function runsSqlByBareVerb(tokens: readonly string[], tool: ToolCapability, words: ShellVocabulary): boolean {
  if (!tokens.every((token) => words.bareVerbs.has(token))) return false;
  const sql = builtinSqlParameters();
  const names = propertyEntries(tool.inputSchema).map(([name]) => name);
  return names.some((name) => sql.has(snakeName(name))) && !names.some((name) => isCommandParameter(name, words));
}

/** `ssh_get_command_filter`, `ssh_command_alias`: named for data about commands, with no run verb. */
function namesCommandData(tool: ToolCapability, words: ShellVocabulary, dataNouns: ReadonlySet<string>): boolean {
  const tokens = splitWords(tool.name);
  return tokens.some((token) => dataNouns.has(token)) && !tokens.some((token) => words.runVerbs.has(token) || words.bareVerbs.has(token));
}

function judgeListing({ inventory, rule, report }: CheckContext): void {
  const words = vocabulary(rule);
  const dataNouns = new Set(stringListOption(rule, 'commandDataNouns').map((word) => snakeName(word)));
  const evidenceKind = listingEvidence(inventory);
  for (const tool of inventory.tools) {
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const named = nameFields(tool)
      .map(([field, text]) => ({ field, text, tokens: shellTokens(text, words) }))
      .find((candidate) => candidate.tokens.length > 0 && !runsSqlByBareVerb(candidate.tokens, tool, words));
    if (named !== undefined) {
      report({
        messageId: 'shellName',
        data: { tool: tool.name, field: named.field, tokens: [...new Set(named.tokens)].join(', ') },
        capability: capabilityRef(tool),
        field: named.field,
        evidence: named.text,
        evidenceKind,
        ...location,
      });
      continue;
    }
    if (namesCommandData(tool, words, dataNouns)) continue;
    const parameter = propertyEntries(tool.inputSchema).find(([name, schema]) => isCommandParameter(name, words) && isFreeFormString(schema));
    if (parameter !== undefined) {
      report({
        messageId: 'commandParameter',
        data: { tool: tool.name, parameter: parameter[0] },
        capability: capabilityRef(tool),
        field: joinPath('inputSchema.properties', parameter[0]),
        evidence: parameter[0],
        evidenceKind,
        ...location,
      });
      continue;
    }
    const opens = typeof tool.description === 'string' ? OPENS_SHELL.exec(firstSentence(tool.description)) : null;
    if (opens !== null) {
      report({
        messageId: 'shellDescription',
        data: { tool: tool.name, phrase: opens[0].trim() },
        capability: capabilityRef(tool),
        field: 'description',
        evidence: opens[0].trim(),
        evidenceKind,
        ...location,
      });
    }
  }
}

/**
 * The runner of `programRunners` a spawn's literal program (and first argument) is, when its
 * argument array is built at run time: `kubectl exec <pod> -- <caller's program>`.
 */
function runnerOf(detail: Record<string, unknown>, runners: readonly string[]): string | undefined {
  if (typeof detail.program !== 'string' || detail.argvDynamic !== true) return undefined;
  const program = (detail.program.split(/[\\/]/).pop() ?? '').replace(/\.exe$/i, '').toLowerCase();
  const first = typeof detail.firstArgument === 'string' ? detail.firstArgument.toLowerCase() : undefined;
  return runners.find((runner) => {
    const [name, argument] = runner.toLowerCase().split(/\s+/, 2);
    return name === program && (argument === undefined || argument === first);
  });
}

function judgeSource({ inventory, rule, report }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const runners = stringListOption(rule, 'programRunners');
  for (const registration of namedRegistrations(facts)) {
    let runner: string | undefined;
    const site = registration.handler?.reaches.find(
      (reached) => reached.kind === 'process-spawn' && (reached.detail.dynamicCommand === true || (runner = runnerOf(reached.detail, runners)) !== undefined),
    );
    if (site === undefined) continue;
    report({
      messageId: site.detail.dynamicCommand !== true ? 'runnerCommand' : site.detail.shell === true ? 'shellCommand' : 'dynamicCommand',
      data: { name: registration.name, what: site.what, file: relativeFile(facts, site.location.file), line: site.location.line, runner: runner ?? '' },
      capability: { kind: registration.kind, name: registration.name },
      evidence: site.what,
      evidenceKind: 'source',
      location: site.location,
    });
  }
}

import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { CheckContext, RuleMeta } from '../../engine/types.js';
import { capabilityRef, type ToolCapability } from '../../inventory/model.js';
import { isRecord, joinPath, propertyEntries, schemaTypes } from '../json-schema.js';
import { listingEvidence, namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';
import { snakeName, splitWords } from '../words.js';
import { commandPhrases, promptCommands } from '../prompt-commands.js';

/**
 * design/shell-like-tool, on whichever evidence was collected:
 * - listing: a tool whose name or title says it runs commands, or which takes a free-form command
 *   string. Words, not substrings: `execute_query` (SQL, another rule), `run_tests` and
 *   `process_payment` are not shell tools; `run_command`, `exec`, `bash` are. Token lists come from
 *   the pack's options so users can extend them (src/inventory/risk.ts reads the same lists);
 * - prompts: a prompt whose text has the model run a command or a shell (`promptPatterns`; under
 *   --probe also the messages `prompts/get` returned), see src/checks/prompt-commands.ts;
 * - source: a handler (or a function it calls) spawns a process with a command that is not a
 *   literal, or through a shell. A fixed program with an argument array (`execFile('git', [...])`) passes.
 */

interface Vocabulary {
  /** A word that alone means a shell (`bash`, `terminal`). */
  shellWords: Set<string>;
  /** Verbs that mean "run" only next to a command noun (`run` + `command`). */
  runVerbs: Set<string>;
  commandNouns: Set<string>;
  /** Verbs that mean "run a command" when they are the whole name (`exec`). */
  bareVerbs: Set<string>;
  /** Verbs that, leading a name or title, make a shell word the object read (`List Terminal Sessions`). */
  readVerbs: Set<string>;
  /** Parameter names (snake_case) that carry a command line. */
  commandParameters: Set<string>;
}

function vocabulary(rule: RuleMeta): Vocabulary {
  const set = (key: string) => new Set(stringListOption(rule, key).map((word) => snakeName(word)));
  return {
    shellWords: set('shellWords'),
    runVerbs: set('runVerbs'),
    commandNouns: set('commandNouns'),
    bareVerbs: set('bareVerbs'),
    readVerbs: set('readVerbs'),
    commandParameters: set('commandParameters'),
  };
}

/** The words of `text` that make it shell-like, or an empty list. */
function shellTokens(text: string, words: Vocabulary): string[] {
  const tokens = splitWords(text);
  // `PowerShell`, `sub_process`, "command line": a shell word split in two.
  const joined = tokens.slice(1).map((token, i) => `${tokens[i] ?? ''}${token}`);
  const strong = [...tokens, ...joined].filter((token) => words.shellWords.has(token));
  // `List Terminal Sessions`, `get_shell_history`: after a leading read verb a shell word names what
  // is read, unless a run verb says the tool also runs something (`get_and_run_shell`).
  const readsOnly = words.readVerbs.has(tokens[0] ?? '') && !tokens.some((token) => words.runVerbs.has(token) || words.bareVerbs.has(token));
  if (strong.length > 0 && !readsOnly) return strong;
  if (tokens.length === 1 && tokens[0] !== undefined && words.bareVerbs.has(tokens[0])) return tokens;
  const verbs = tokens.filter((token) => words.runVerbs.has(token));
  const nouns = tokens.filter((token) => words.commandNouns.has(token));
  return verbs.length > 0 && nouns.length > 0 ? [...verbs, ...nouns] : [];
}

function isFreeFormString(schema: unknown): boolean {
  if (!isRecord(schema) || schema.enum !== undefined || schema.const !== undefined) return false;
  const types = schemaTypes(schema);
  if (types === undefined) return false;
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
      data: { prompt: found.capability.name ?? '', field: found.field, excerpt: found.excerpt, phrase: found.phrase },
      capability: found.capability,
      field: found.field,
      evidence: found.excerpt,
      evidenceKind: found.probed ? 'probe' : evidenceKind,
    });
  }
}

function judgeListing({ inventory, rule, report }: CheckContext): void {
  const words = vocabulary(rule);
  const evidenceKind = listingEvidence(inventory);
  for (const tool of inventory.tools) {
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const named = nameFields(tool)
      .map(([field, text]) => ({ field, text, tokens: shellTokens(text, words) }))
      .find((candidate) => candidate.tokens.length > 0);
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
    const parameter = propertyEntries(tool.inputSchema).find(
      ([name, schema]) => words.commandParameters.has(snakeName(name)) && isFreeFormString(schema),
    );
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
    }
  }
}

function judgeSource({ inventory, report }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const site = registration.handler?.reaches.find((reached) => reached.kind === 'process-spawn' && reached.detail.dynamicCommand === true);
    if (site === undefined) continue;
    report({
      messageId: site.detail.shell === true ? 'shellCommand' : 'dynamicCommand',
      data: { name: registration.name, what: site.what, file: relativeFile(facts, site.location.file), line: site.location.line },
      capability: { kind: registration.kind, name: registration.name },
      evidence: site.what,
      evidenceKind: 'source',
      location: site.location,
    });
  }
}

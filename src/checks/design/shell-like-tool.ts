import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { CheckContext, RuleMeta } from '../../engine/types.js';
import { isCommandParameter, shellTokens, shellVocabulary, type ShellVocabulary } from '../../inventory/exec-words.js';
import { capabilityRef, type ToolCapability } from '../../inventory/model.js';
import { isRecord, joinPath, propertyEntries, schemaTypes } from '../json-schema.js';
import { listingEvidence, namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';
import { promptCommands } from '../../inventory/prompt-commands.js';
import { commandPhrases } from '../prompt-commands.js';

/**
 * design/shell-like-tool, on whichever evidence was collected:
 * - listing: a tool whose name or title says it runs commands, or which takes a free-form command
 *   string. Words, not substrings: `execute_query` (SQL, another rule), `run_tests` and
 *   `process_payment` are not shell tools; `run_command`, `exec`, `bash` are. Token lists come from
 *   the pack's options so users can extend them; the matching is src/inventory/exec-words.ts, which
 *   the risk classes use with the same lists' built-in defaults;
 * - prompts: a prompt whose text has the model run a command or a shell (`promptPatterns`; under
 *   --probe also the messages `prompts/get` returned), matched by src/inventory/prompt-commands.ts,
 *   which the risk classes run with the same option's built-in defaults;
 * - source: a handler (or a function it calls) spawns a process with a command that is not a
 *   literal, or through a shell. A fixed program with an argument array (`execFile('git', [...])`) passes.
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
      data: { prompt: found.name, field: found.field, excerpt: found.excerpt, phrase: found.phrase },
      capability: { kind: 'prompt', name: found.name },
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
      ([name, schema]) => isCommandParameter(name, words) && isFreeFormString(schema),
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

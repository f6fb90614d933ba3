import { defineCheck } from '../../engine/define-check.js';
import { packRegExp, type PackRegExp } from '../../util/ascii-twin.js';
import { recordListOption, stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import { capabilityRef, type Inventory, type ToolCapability } from '../../inventory/model.js';
import { assessRisk } from '../../inventory/risk.js';
import { isRecord } from '../json-schema.js';
import { parametersOf } from '../parameters.js';
import { splitWords } from '../words.js';
import { wordSet } from './verbs.js';

/**
 * annotations/destructive-unmarked: a tool that destroys or overwrites data but says
 * `destructiveHint: false` (its name has a destructive verb such as delete, drop, reset, force, or
 * its description says it overwrites or cannot be undone), and an additive, non-idempotent tool
 * (create, send, append) that claims `idempotentHint: true`, so clients retry it freely. Additive
 * writes with `destructiveHint: false` are correct and pass. Read-only tools are the other rule's.
 *
 * And a tool that destroys or overwrites but leaves `destructiveHint` unset: "unset" is absent (or
 * not a boolean) while `readOnlyHint` is not true, whatever else is set, and whatever revision the
 * server negotiated (a 2024-11-05 server's tools are shown to clients that read annotations too;
 * the message then says its revision predates them). The specification's default for an absent
 * `destructiveHint` is true, so a client that applies defaults already treats the tool as
 * destructive; clients that act only on what is set, and people reading the listing, see nothing.
 * What destroys: a destructive verb in the name (with no other verb before it), a boolean parameter
 * named for it (`force`, `overwrite`, `hard`, `delete_branch`), or the tool's risk class being destructive
 * for its parameters or handler (model-written SQL, a handler running dynamic SQL; src/inventory/risk.ts).
 */

interface Phrase {
  id: string;
  regex: PackRegExp;
}

const compiled = new WeakMap<RuleMeta, Phrase[]>();

function phrasesOf(rule: RuleMeta): Phrase[] {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const phrases = recordListOption(rule, 'destructivePhrases', (item) => {
    if (typeof item.id !== 'string' || typeof item.pattern !== 'string') throw new Error('a mapping with string "id" and "pattern"');
    return { id: item.id, regex: packRegExp(item.pattern) };
  });
  compiled.set(rule, phrases);
  return phrases;
}

/** Annotations exist since this revision; an older server's tools are judged all the same. */
const ANNOTATIONS_SINCE = '2025-03-26';

/**
 * The name's destructive verb: a destructive word with no other verb before it (`asana_delete_task`,
 * `git_force_push`). After a read, additive or other verb it is the object: `list_drop_zones`,
 * `create_merge_request`, `approve_merge_request`.
 */
function destructiveVerbOf(words: readonly string[], destructive: Set<string>, verbsBefore: Set<string>): string | undefined {
  for (const word of words) {
    if (destructive.has(word)) return word;
    if (verbsBefore.has(word)) return undefined;
  }
  return undefined;
}

const isBoolean = (schema: unknown) => isRecord(schema) && (schema.type === 'boolean' || (Array.isArray(schema.type) && schema.type.includes('boolean')));

/** Why the tool destroys or overwrites, in words, from its name, its parameters or its risk class; undefined when nothing says so. */
interface Vocabulary {
  destructive: Set<string>;
  verbsBefore: Set<string>;
  reads: Set<string>;
  additive: Set<string>;
  parameterWords: Set<string>;
  harmlessObjects: Set<string>;
  overwrite: Set<string>;
  ownArtifacts: Set<string>;
}

function destroysBecause(tool: ToolCapability, inventory: Inventory, words: readonly string[], vocabulary: Vocabulary): string | undefined {
  const { destructive, verbsBefore, reads, additive, parameterWords, harmlessObjects, overwrite, ownArtifacts } = vocabulary;
  const verb = destructiveVerbOf(words, destructive, verbsBefore);
  // `delete_execution_outputs`, `clear_cache`: the server's own outputs or caches, nothing the user made.
  if (verb !== undefined) return words.slice(words.indexOf(verb) + 1).some((word) => ownArtifacts.has(word)) ? undefined : `its name says "${verb}"`;
  const firstVerb = words.find((word) => verbsBefore.has(word) || destructive.has(word));
  const leadingRead = firstVerb !== undefined && reads.has(firstVerb);
  // `update_issue`, `create_or_update_file`: the call replaces values that exist, unless a read leads (`get_update_status`).
  const overwrites = leadingRead ? undefined : words.find((word) => overwrite.has(word));
  if (overwrites !== undefined) return `its name says "${overwrites}", which replaces existing values`;
  // After a read verb the parameters refine the read (`list_items(force_refresh)`), they do not destroy.
  if (!words.some((word) => reads.has(word))) {
    // A switch such as `force`, `overwrite` or `delete_branch`; a longer setting (`remove_source_branch_after_merge`) configures, it does not act,
    // and `force_input` forces keystrokes, not a loss.
    const parameter = parametersOf(tool.inputSchema).find(
      (candidate) =>
        isBoolean(candidate.schema) &&
        candidate.words.length <= 2 &&
        parameterWords.has(candidate.words[0] ?? '') &&
        !harmlessObjects.has(candidate.words[1] ?? ''),
    );
    if (parameter !== undefined) return `its parameter "${parameter.name}" says "${parameter.words[0]}"`;
  }
  // An additive verb leads the name (`create_table`): the SQL it takes is that verb's, not a delete. A description that
  // limits free SQL to SELECT does not count: nothing in the listing says the server enforces it.
  if (firstVerb !== undefined && additive.has(firstVerb)) return undefined;
  // Model-written SQL, a handler running dynamic SQL: the risk class says destructive without a name verb.
  const risk = assessRisk(tool, inventory);
  const reason = risk.class === 'destructive' ? risk.reasons.find((candidate) => !candidate.startsWith('destructiveHint')) : undefined;
  return reason === undefined ? undefined : `its ${reason}`;
}

export const destructiveUnmarked = defineCheck('annotations/destructive-unmarked', ({ inventory, rule, report }) => {
  const destructive = wordSet(rule, 'destructiveVerbs');
  const additive = wordSet(rule, 'additiveVerbs');
  const reads = wordSet(rule, 'readVerbs');
  const parameterWords = wordSet(rule, 'destructiveParameters');
  const verbsBefore = new Set([...reads, ...additive, ...wordSet(rule, 'otherVerbs')]);
  const vocabulary: Vocabulary = {
    destructive,
    verbsBefore,
    reads,
    additive,
    parameterWords,
    harmlessObjects: wordSet(rule, 'harmlessParameterObjects'),
    overwrite: wordSet(rule, 'overwriteVerbs'),
    ownArtifacts: wordSet(rule, 'ownArtifactObjects'),
  };
  const idempotentSaid = stringListOption(rule, 'idempotentPhrases').map((pattern) => packRegExp(pattern));
  const phrases = phrasesOf(rule);
  const revision = inventory.server.protocolVersion;
  const predates = revision !== undefined && revision < ANNOTATIONS_SINCE;
  for (const tool of inventory.tools) {
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const words = splitWords(tool.name);
    const annotations = tool.annotations;
    if (annotations?.readOnlyHint === true) continue;
    if (typeof annotations?.destructiveHint !== 'boolean') {
      const because = destroysBecause(tool, inventory, words, vocabulary);
      if (because !== undefined) {
        report({
          messageId: predates ? 'destructiveUnsetOldRevision' : 'destructiveUnset',
          data: { tool: tool.name, because, ...(revision === undefined ? {} : { revision }) },
          capability: capabilityRef(tool),
          field: 'annotations.destructiveHint',
          evidence: `${tool.name}: destructiveHint unset; ${because}`,
          ...location,
        });
      }
    }
    if (annotations === undefined) continue;
    if (annotations.destructiveHint === false) {
      // A read verb first (`list_drop_zones`, `get_delete_status`) means the name is not an action.
      const verb = destructiveVerbOf(words, destructive, verbsBefore);
      if (verb !== undefined) {
        report({
          messageId: 'destructiveName',
          data: { tool: tool.name, verb },
          capability: capabilityRef(tool),
          field: 'annotations.destructiveHint',
          evidence: `${tool.name}: destructiveHint false`,
          ...location,
        });
        continue;
      }
      const description = tool.description ?? '';
      const phrase = phrases.map((candidate) => ({ candidate, match: candidate.regex.exec(description) })).find(({ match }) => match !== null);
      if (phrase?.match != null) {
        report({
          messageId: 'destructiveDescription',
          data: { tool: tool.name, phrase: phrase.match[0] },
          capability: capabilityRef(tool),
          field: 'annotations.destructiveHint',
          evidence: `description: ${JSON.stringify(phrase.match[0])}; destructiveHint false`,
          ...location,
        });
        continue;
      }
    }
    if (annotations.idempotentHint === true) {
      const verb = words.find((word) => additive.has(word));
      // `create_directory` that "succeeds silently if it already exists" is idempotent, as claimed.
      const explained = idempotentSaid.some((regex) => regex.test(tool.description ?? ''));
      if (verb !== undefined && !explained) {
        report({
          messageId: 'idempotentAdditive',
          data: { tool: tool.name, verb },
          capability: capabilityRef(tool),
          field: 'annotations.idempotentHint',
          evidence: `${tool.name}: idempotentHint true`,
          ...location,
        });
      }
    }
  }
});

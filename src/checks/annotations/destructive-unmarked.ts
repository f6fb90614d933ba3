import { defineCheck } from '../../engine/define-check.js';
import { recordListOption, stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import { capabilityRef } from '../../inventory/model.js';
import { splitWords } from '../words.js';
import { wordSet } from './verbs.js';

/**
 * annotations/destructive-unmarked: a tool that destroys or overwrites data but says
 * `destructiveHint: false` (its name has a destructive verb such as delete, drop, reset, force, or
 * its description says it overwrites or cannot be undone), and an additive, non-idempotent tool
 * (create, send, append) that claims `idempotentHint: true`, so clients retry it freely. Additive
 * writes with `destructiveHint: false` are correct and pass. Read-only tools are the other rule's.
 */

interface Phrase {
  id: string;
  regex: RegExp;
}

const compiled = new WeakMap<RuleMeta, Phrase[]>();

function phrasesOf(rule: RuleMeta): Phrase[] {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const phrases = recordListOption(rule, 'destructivePhrases', (item) => {
    if (typeof item.id !== 'string' || typeof item.pattern !== 'string') throw new Error('a mapping with string "id" and "pattern"');
    return { id: item.id, regex: new RegExp(item.pattern, 'iu') };
  });
  compiled.set(rule, phrases);
  return phrases;
}

export const destructiveUnmarked = defineCheck('annotations/destructive-unmarked', ({ inventory, rule, report }) => {
  const destructive = wordSet(rule, 'destructiveVerbs');
  const additive = wordSet(rule, 'additiveVerbs');
  const reads = wordSet(rule, 'readVerbs');
  const idempotentSaid = stringListOption(rule, 'idempotentPhrases').map((pattern) => new RegExp(pattern, 'iu'));
  const phrases = phrasesOf(rule);
  for (const tool of inventory.tools) {
    const annotations = tool.annotations;
    if (annotations === undefined || annotations.readOnlyHint === true) continue;
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const words = splitWords(tool.name);
    if (annotations.destructiveHint === false) {
      // A read verb first (`list_drop_zones`, `get_delete_status`) means the name is not an action.
      const readAt = words.findIndex((word) => reads.has(word));
      const verb = words.find((word, index) => destructive.has(word) && (readAt < 0 || index < readAt));
      if (verb !== undefined) {
        report({ messageId: 'destructiveName', data: { tool: tool.name, verb }, capability: capabilityRef(tool), field: 'annotations.destructiveHint', evidence: `${tool.name}: destructiveHint false`, ...location });
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
        report({ messageId: 'idempotentAdditive', data: { tool: tool.name, verb }, capability: capabilityRef(tool), field: 'annotations.idempotentHint', evidence: `${tool.name}: idempotentHint true`, ...location });
      }
    }
  }
});

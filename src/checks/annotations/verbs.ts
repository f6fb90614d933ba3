import { stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import type { ToolCapability } from '../../inventory/model.js';
import { hasOnlyNumericParameters } from '../parameters.js';
import { actsAsVerb, splitWords } from '../words.js';

/** Lower-cased word sets from a rule's options, for the annotation rules' verb lists. */
export function wordSet(rule: RuleMeta, key: string): Set<string> {
  return new Set(stringListOption(rule, key).map((word) => word.toLowerCase()));
}

/**
 * The verb of the tool's name: the first word found in either list, and which list
 * (`get_update_status` reads, `github_create_issue` writes). It reads the verb, not the noun: a word
 * of `nounVerbs` (order, comment, label...) is the verb only when an object that is not a read word
 * follows it (`order_pizza`), not at the end or before `status` (`cancel_order` cancels, `order_status`
 * reads, `order` names a thing); `add` is arithmetic, not a write, before numbers or over numeric
 * parameters only (`add_numbers`, `add(a, b)`). See actsAsVerb in ../words.ts. Names carry the verb,
 * titles repeat it.
 */
export function leadingVerb(
  tool: ToolCapability,
  reads: Set<string>,
  writes: Set<string>,
  nounVerbs?: ReadonlySet<string>,
): { verb: string; kind: 'read' | 'write' } | undefined {
  const words = splitWords(tool.name);
  const numericParameters = hasOnlyNumericParameters(tool.inputSchema);
  for (const [index, word] of words.entries()) {
    if (reads.has(word)) return { verb: word, kind: 'read' };
    if (writes.has(word) && actsAsVerb(words, index, { reads, numericParameters, ...(nounVerbs === undefined ? {} : { nounVerbs }) }))
      return { verb: word, kind: 'write' };
  }
  return undefined;
}

import { stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import type { ToolCapability } from '../../inventory/model.js';
import { splitWords } from '../words.js';

/** Lower-cased word sets from a rule's options, for the annotation rules' verb lists. */
export function wordSet(rule: RuleMeta, key: string): Set<string> {
  return new Set(stringListOption(rule, key).map((word) => word.toLowerCase()));
}

/**
 * The first word of the tool's name found in either list, and which list: `get_update_status` is a
 * read (get), `github_create_issue` a write (create). Names carry the verb, titles repeat it.
 */
export function leadingVerb(tool: ToolCapability, reads: Set<string>, writes: Set<string>): { verb: string; kind: 'read' | 'write' } | undefined {
  for (const word of splitWords(tool.name)) {
    if (reads.has(word)) return { verb: word, kind: 'read' };
    if (writes.has(word)) return { verb: word, kind: 'write' };
  }
  return undefined;
}

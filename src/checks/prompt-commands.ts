import type { RuleMeta } from '../engine/types.js';
import { recordListOption } from '../engine/options.js';
import { compileCommandPatterns, type CommandPhrase } from '../inventory/prompt-commands.js';

/**
 * design/shell-like-tool's configured `promptPatterns`, compiled once per rule. The matching is
 * src/inventory/prompt-commands.ts, which the risk classes run with the option's built-in defaults.
 */

const compiled = new WeakMap<RuleMeta, CommandPhrase[]>();

export function commandPhrases(rule: RuleMeta): CommandPhrase[] {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const phrases = recordListOption(rule, 'promptPatterns', (item) => {
    const { id, pattern } = item;
    if (typeof id !== 'string' || typeof pattern !== 'string') throw new Error('a mapping with string "id" and string "pattern"');
    return compileCommandPatterns([{ id, pattern }])[0]!;
  });
  compiled.set(rule, phrases);
  return phrases;
}

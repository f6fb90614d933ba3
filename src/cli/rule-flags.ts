import type { LevelSetting, RuleMeta } from '../engine/types.js';
import { closest } from '../engine/levenshtein.js';
import { mergedRuleMessage } from '../engine/rule-aliases.js';
import { suggestRuleId } from '../engine/run.js';
import { UsageError } from './errors.js';

const LEVEL_SETTINGS: readonly LevelSetting[] = ['off', 'note', 'warning', 'error'];
/** ESLint's spelling, so `--rule x=warn` does what its user means. */
const LEVEL_ALIASES: Record<string, LevelSetting> = { warn: 'warning' };

/**
 * `--rule <selector>=<level>`, in order, later entries winning: the selector is a rule id,
 * `pack/*` (every rule of a pack) or `*` (every rule), so `--rule '*=off' --rule 'schema/*=error'`
 * runs one pack.
 */
export function parseRuleLevels(entries: string[], rules: readonly RuleMeta[]): Record<string, LevelSetting> {
  const levels: Record<string, LevelSetting> = {};
  for (const entry of entries) {
    const equals = entry.lastIndexOf('=');
    const selector = equals === -1 ? '' : entry.slice(0, equals).trim();
    const spelled = equals === -1 ? '' : entry.slice(equals + 1).trim();
    const level = LEVEL_ALIASES[spelled] ?? (LEVEL_SETTINGS.includes(spelled as LevelSetting) ? (spelled as LevelSetting) : undefined);
    if (!selector || level === undefined) {
      throw new UsageError(`--rule ${entry}: expected <rule-id|pack/*|*>=<off|note|warning|error> (warn means warning)`);
    }
    for (const rule of selectRules(selector, rules, entry)) levels[rule.id] = level;
  }
  return levels;
}

function selectRules(selector: string, rules: readonly RuleMeta[], entry: string): readonly RuleMeta[] {
  if (selector === '*') return rules;
  if (selector.endsWith('/*')) {
    const pack = selector.slice(0, -2);
    const selected = rules.filter((rule) => rule.pack === pack);
    if (selected.length === 0) {
      const packs = [...new Set(rules.map((rule) => rule.pack))].sort();
      const suggestion = closest(pack, packs);
      throw new UsageError(`--rule ${entry}: no rule pack "${pack}"${suggestion ? `; did you mean "${suggestion}/*"?` : ''} (packs: ${packs.join(', ')})`);
    }
    return selected;
  }
  const rule = rules.find((candidate) => candidate.id === selector);
  if (rule === undefined) {
    const merged = mergedRuleMessage(selector);
    if (merged !== undefined) throw new UsageError(`--rule ${entry}: ${merged}; use the new id (docs/rule-ids.md)`);
    const suggestion = suggestRuleId(rules, selector);
    throw new UsageError(
      `--rule ${entry}: unknown rule id "${selector}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (list them with "mcp-preflight rules")`,
    );
  }
  return [rule];
}

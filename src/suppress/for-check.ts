import type { LoadedConfig } from '../config/load.js';
import type { PackRule } from '../engine/packs.js';
import { compareFindings, runRules } from '../engine/run.js';
import type { LevelSetting } from '../engine/types.js';
import type { TargetResult } from '../report/types.js';
import { applySuppressions } from './apply.js';
import { directivesInFiles } from './directives.js';

/** Files that may hold directives for a target: where its findings and registrations are. */
function sourceFiles(result: TargetResult): string[] {
  const files = new Set<string>();
  for (const finding of result.findings) if (finding.location) files.add(finding.location.file);
  for (const registration of result.inventory?.source?.registrations ?? []) files.add(registration.location.file);
  return [...files];
}

/**
 * Applies the inline and config suppressions to every target, then runs the suppression/* rules
 * over what was wrong with them. Runs after all other rules (an unused suppression can only be
 * told once the findings are known) and before the baseline.
 */
export function suppressFindings(
  results: TargetResult[],
  rules: readonly PackRule[],
  levels: Readonly<Record<string, LevelSetting>>,
  config: LoadedConfig | undefined,
  today = new Date().toISOString().slice(0, 10),
): void {
  const inline = new Map(results.map((result) => [result.target.name, directivesInFiles(sourceFiles(result))]));
  const problems = applySuppressions(results, { inline, config: config?.suppress ?? [], knownRuleIds: rules.map((rule) => rule.id), today });
  const suppressionRules = rules.filter((rule) => rule.facts.includes('suppress'));
  for (const result of results) {
    const inventory = result.inventory;
    if (inventory === undefined) continue;
    inventory.suppressions = {
      count: (inline.get(result.target.name)?.length ?? 0) + (config?.suppress?.length ?? 0),
      problems: problems.get(result.target.name) ?? [],
    };
    if (!inventory.facts.includes('suppress')) inventory.facts.push('suppress');
    const run = runRules(inventory, suppressionRules, { levels, targetId: result.target.name });
    const judged = new Set(suppressionRules.map((rule) => rule.id));
    result.findings = [...result.findings, ...run.findings].sort(compareFindings);
    result.outcomes = [...result.outcomes.filter((outcome) => !judged.has(outcome.ruleId)), ...run.outcomes];
  }
}

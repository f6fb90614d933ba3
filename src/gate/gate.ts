import type { Finding, Level } from '../engine/types.js';
import type { GateResult } from '../report/types.js';

export interface GateOptions {
  failOn: Level;
  maxWarnings?: number;
  /** Targets whose lists were not all seen to their end (src/discovery/completeness.ts). */
  incompleteTargets?: number;
  /** --allow-incomplete: an incompletely discovered target fails the gate (exit 1) instead of exit 3. */
  allowIncomplete?: boolean;
  /** `--fail-on-stale`: stale baseline entries found (they fail the gate when more than 0). */
  staleBaselineEntries?: number;
}

const LEVEL_ORDER: Record<Level, number> = { note: 0, warning: 1, error: 2 };

/**
 * Decides pass or fail; formats nothing. An incomplete scan (a target that could not be reached or
 * discovered, or whose lists were cut short) is exit 3 whatever the findings say: a gate that cannot
 * see the server cannot pass it. --allow-incomplete makes a cut-short listing exit 1 instead, never 0,
 * whatever level the user gave protocol/incomplete-discovery: the gate reads the fact, not the finding.
 */
export function decideGate(findings: readonly Pick<Finding, 'level'>[], failedTargets: number, options: GateOptions): GateResult {
  const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  for (const finding of findings) counts[finding.level] += 1;

  const reasons: string[] = [];
  const threshold = LEVEL_ORDER[options.failOn];
  const atOrAbove = (Object.keys(counts) as Level[]).filter((level) => LEVEL_ORDER[level] >= threshold).reduce((sum, level) => sum + counts[level], 0);
  if (atOrAbove > 0) {
    reasons.push(`${atOrAbove} finding${atOrAbove === 1 ? '' : 's'} at or above "${options.failOn}"`);
  }
  if (options.maxWarnings !== undefined && counts.warning > options.maxWarnings) {
    reasons.push(`${counts.warning} warnings, more than --max-warnings ${options.maxWarnings}`);
  }
  if (options.staleBaselineEntries) {
    reasons.push(`${options.staleBaselineEntries} stale baseline entr${options.staleBaselineEntries === 1 ? 'y' : 'ies'} (--fail-on-stale)`);
  }
  if (failedTargets > 0) {
    reasons.push(`${failedTargets} target${failedTargets === 1 ? '' : 's'} could not be scanned`);
  }
  const incomplete = options.incompleteTargets ?? 0;
  if (incomplete > 0) {
    const allowed = options.allowIncomplete ? ' (--allow-incomplete: failed, not passed)' : '';
    reasons.push(`${incomplete} target${incomplete === 1 ? ' was' : 's were'} incompletely discovered${allowed}`);
  }
  const exitCode = failedTargets > 0 || (incomplete > 0 && !options.allowIncomplete) ? 3 : reasons.length > 0 ? 1 : 0;
  return {
    passed: exitCode === 0,
    exitCode,
    failOn: options.failOn,
    ...(options.maxWarnings !== undefined ? { maxWarnings: options.maxWarnings } : {}),
    counts,
    reasons,
  };
}

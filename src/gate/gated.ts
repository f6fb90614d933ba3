import type { Level } from '../engine/types.js';
import type { GateResult } from '../report/types.js';

const LEVEL_ORDER: Record<Level, number> = { note: 0, warning: 1, error: 2 };

/**
 * Whether a finding of this level is one the gate failed on: at or above --fail-on, or a warning
 * when the warnings went over --max-warnings. Reporters that mark failures (JUnit) ask here, so
 * their verdict is the gate's.
 */
export function isGated(level: Level, gate: Pick<GateResult, 'failOn' | 'maxWarnings' | 'counts'>): boolean {
  if (LEVEL_ORDER[level] >= LEVEL_ORDER[gate.failOn]) return true;
  return level === 'warning' && gate.maxWarnings !== undefined && gate.counts.warning > gate.maxWarnings;
}

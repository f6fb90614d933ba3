import type { BaselineOutcome } from './baseline.js';
import type { TargetResult } from '../report/types.js';

/** Stale entries listed in the text report; the rest are counted (the JSON has them all). */
const MAX_STALE_LINES = 10;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** One line per target: how many findings the baseline accepted (they count in no gate). */
export function baselinedLine(target: TargetResult, baseline: BaselineOutcome | undefined): string | undefined {
  if (baseline === undefined || !target.baselined?.length) return undefined;
  return `${plural(target.baselined.length, 'finding')} baselined in ${baseline.file} (not gated)`;
}

/** The stale entries: fixed, or changed so their fingerprint no longer matches. */
export function staleLines(baseline: BaselineOutcome | undefined): string[] {
  if (baseline === undefined || baseline.stale.length === 0) return [];
  const count = baseline.stale.length === 1 ? '1 stale baseline entry' : `${baseline.stale.length} stale baseline entries`;
  const lines = [
    `${count} in ${baseline.file} (no longer found; write it again with "mcp-preflight baseline"${baseline.failOnStale ? '' : ', or fail on them with --fail-on-stale'}):`,
  ];
  for (const entry of baseline.stale.slice(0, MAX_STALE_LINES)) lines.push(`  - ${entry.target}: ${entry.rule} on ${entry.capability}`);
  if (baseline.stale.length > MAX_STALE_LINES) lines.push(`  … and ${baseline.stale.length - MAX_STALE_LINES} more (see the JSON report)`);
  return lines;
}

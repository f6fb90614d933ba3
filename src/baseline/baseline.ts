import { existsSync, readFileSync } from 'node:fs';
import type { Finding } from '../engine/types.js';
import { describeCapability } from '../engine/format.js';
import type { TargetResult } from '../report/types.js';
import type { BaselineEntry, BaselineOutcome } from './types.js';

// The types report/types.ts needs live in the type module, so it does not import this one.
export type { BaselineEntry, BaselineOutcome } from './types.js';

/**
 * The baseline (`.mcp-preflight-baseline.json`, docs/baseline.md): findings accepted as they are,
 * so a team can adopt the gate on an existing server and gate only on new ones. Keyed on the
 * line-free fingerprint (src/engine/fingerprint.ts); the rule id, capability and message are kept
 * as data for the reviewer, never for matching. Sorted and stable, so its diff is reviewable.
 */
export const BASELINE_VERSION = 1;
export const DEFAULT_BASELINE = '.mcp-preflight-baseline.json';

export interface Baseline {
  baselineVersion: typeof BASELINE_VERSION;
  generatedBy: 'mcp-preflight';
  findings: BaselineEntry[];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compareText(a.target, b.target) || compareText(a.rule, b.rule) || compareText(a.capability, b.capability) || compareText(a.fingerprint, b.fingerprint);
}

function entryOf(finding: Finding, target: string): BaselineEntry {
  return { fingerprint: finding.fingerprint, target, rule: finding.ruleId, capability: describeCapability(finding.capability), message: finding.message };
}

/** Every finding of every target (messages are already masked by the engine). */
export function buildBaseline(results: readonly TargetResult[]): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const result of results) for (const finding of result.findings) entries.set(finding.fingerprint, entryOf(finding, result.target.name));
  return { baselineVersion: BASELINE_VERSION, generatedBy: 'mcp-preflight', findings: [...entries.values()].sort(compareEntries) };
}

/** A baseline of some targets merged into an existing one: the scanned targets' entries replaced, the others kept. */
export function mergeBaseline(previous: Baseline | undefined, fresh: Baseline, scanned: ReadonlySet<string>): Baseline {
  const kept = (previous?.findings ?? []).filter((entry) => !scanned.has(entry.target));
  return { ...fresh, findings: [...kept, ...fresh.findings].sort(compareEntries) };
}

export function renderBaseline(baseline: Baseline): string {
  const findings = baseline.findings.map((entry) => ({
    fingerprint: entry.fingerprint,
    target: entry.target,
    rule: entry.rule,
    capability: entry.capability,
    message: entry.message,
  }));
  return `${JSON.stringify({ baselineVersion: baseline.baselineVersion, generatedBy: baseline.generatedBy, findings }, null, 2)}\n`;
}

export class BaselineError extends Error {}

const ENTRY_KEYS = ['fingerprint', 'target', 'rule', 'capability', 'message'] as const;

export function readBaseline(file: string, display: string): Baseline {
  if (!existsSync(file)) throw new BaselineError(`${display}: no such baseline; write it with "mcp-preflight baseline"`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BaselineError(`${display}: not valid JSON (${(error as Error).message}); write it again with "mcp-preflight baseline"`);
  }
  const baseline = parsed as Partial<Baseline> | null;
  if (baseline === null || typeof baseline !== 'object' || Array.isArray(baseline))
    throw new BaselineError(`${display}: not a baseline (expected a JSON object); write it again with "mcp-preflight baseline"`);
  if (baseline.baselineVersion !== BASELINE_VERSION) {
    throw new BaselineError(
      `${display}: baselineVersion ${JSON.stringify(baseline.baselineVersion)} is not supported (this mcp-preflight reads version ${BASELINE_VERSION}); write it again with "mcp-preflight baseline"`,
    );
  }
  if (!Array.isArray(baseline.findings)) throw new BaselineError(`${display}: "findings" must be a list; write it again with "mcp-preflight baseline"`);
  baseline.findings.forEach((entry, index) => {
    const bad = entry === null || typeof entry !== 'object' || ENTRY_KEYS.some((key) => typeof (entry as unknown as Record<string, unknown>)[key] !== 'string');
    if (bad) throw new BaselineError(`${display}: findings[${index}] needs the strings ${ENTRY_KEYS.join(', ')}; write it again with "mcp-preflight baseline"`);
  });
  return baseline as Baseline;
}

/**
 * Moves each finding whose fingerprint the baseline holds from `findings` (which the gate counts)
 * to `baselined` (which every reporter shows as such). Stale entries: on a target scanned now, an
 * entry no finding matched, unless its rule was off or skipped for lack of facts: a rule that did not
 * look cannot say the finding is gone.
 */
export function applyBaseline(results: TargetResult[], baseline: Baseline, file: string, failOnStale: boolean): BaselineOutcome {
  const byFingerprint = new Map(baseline.findings.map((entry) => [entry.fingerprint, entry]));
  const matched = new Set<string>();
  for (const result of results) {
    const kept: Finding[] = [];
    const baselined: Finding[] = [];
    for (const finding of result.findings) {
      if (byFingerprint.has(finding.fingerprint)) {
        baselined.push(finding);
        matched.add(finding.fingerprint);
      } else kept.push(finding);
    }
    result.findings = kept;
    result.baselined = baselined;
  }
  const scanned = new Map(results.filter((result) => result.failure === undefined).map((result) => [result.target.name, result]));
  const stale = baseline.findings.filter((entry) => {
    if (matched.has(entry.fingerprint)) return false;
    const result = scanned.get(entry.target);
    // A rule that no longer exists (renamed, removed) leaves its entries stale too.
    const outcome = result?.outcomes.find((candidate) => candidate.ruleId === entry.rule);
    return result !== undefined && (outcome === undefined || outcome.status === 'ran');
  });
  return { file, stale: [...stale].sort(compareEntries), failOnStale };
}

import type { FactKind } from '../inventory/model.js';

/**
 * Rule ids that were merged into one rule per concern (issue 13): the old id, the rule it became,
 * and the evidence the old id judged. docs/rule-ids.md shows this table; config loading, `--rule`
 * and suppressions name the new id when they meet an old one.
 */
export interface MergedRuleId {
  old: string;
  into: string;
  /** The evidence the old id judged; findings on it carry `evidenceKind` in their fingerprint. */
  evidence: FactKind;
}

export const MERGED_RULE_IDS: readonly MergedRuleId[] = [
  { old: 'auth/unauthenticated-http-in-source', into: 'auth/unauthenticated-http', evidence: 'source' },
  { old: 'auth/weak-session-id-in-source', into: 'auth/weak-session-id', evidence: 'source' },
  { old: 'design/env-exposed-to-model-probed', into: 'design/env-exposed-to-model', evidence: 'probe' },
  { old: 'design/raw-sql-tool-in-source', into: 'design/raw-sql-tool', evidence: 'source' },
  { old: 'design/shell-like-tool-in-source', into: 'design/shell-like-tool', evidence: 'source' },
  { old: 'output/unbounded-output-probed', into: 'output/unbounded-output', evidence: 'probe' },
  { old: 'secrets/internal-detail-in-error-probed', into: 'secrets/internal-detail-in-error', evidence: 'probe' },
  { old: 'transport/missing-host-validation-in-source', into: 'transport/missing-host-validation', evidence: 'source' },
  { old: 'transport/permissive-cors-in-source', into: 'transport/permissive-cors', evidence: 'source' },
];

/** The rule an old id was merged into, if it was. */
export function mergedInto(id: string): string | undefined {
  return MERGED_RULE_IDS.find((entry) => entry.old === id)?.into;
}

/** `design/shell-like-tool-in-source was merged into design/shell-like-tool`, or undefined for an id that never was. */
export function mergedRuleMessage(id: string): string | undefined {
  const into = mergedInto(id);
  return into === undefined ? undefined : `${id} was merged into ${into}`;
}

/**
 * Evidence kinds a rule took over from merged ids: its findings on them add the kind to their
 * fingerprint, so they differ from the findings of the evidence the rule always judged (whose
 * fingerprints stay what they were).
 */
export function mergedEvidence(ruleId: string): readonly FactKind[] {
  return MERGED_RULE_IDS.filter((entry) => entry.into === ruleId).map((entry) => entry.evidence);
}

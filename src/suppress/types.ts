import type { Finding } from '../engine/finding-types.js';
import type { SourceLocation } from '../inventory/base-types.js';

/** Where a suppression was written: a comment in the server's source, or the config (SARIF `suppressions[].kind`). */
export type SuppressionKind = 'inSource' | 'external';

/** What an inline directive covers in its file. */
export type SuppressionScope =
  | { form: 'next-line'; lines: [number, number] }
  | { form: 'block'; from: number; to: number }
  | { form: 'file' }
  | { form: 'config'; capability?: string; target?: string };

export interface Suppression {
  kind: SuppressionKind;
  /** Rule ids or `pack/*`, as written. */
  rules: string[];
  reason?: string;
  /** `YYYY-MM-DD`: from the day after, the suppression no longer applies. */
  expires?: string;
  owner?: string;
  scope: SuppressionScope;
  /** Where it was written (the comment or the config entry). */
  at: SourceLocation;
  /** The directive or config entry as one line, for messages and fingerprints. */
  text: string;
}

/** A suppressed finding keeps everything, plus what suppressed it. */
export interface SuppressedFinding extends Finding {
  suppression: { kind: SuppressionKind; justification: string; at: SourceLocation; owner?: string; expires?: string };
}

/** A suppression that is itself a problem; the suppression/* rules judge these (src/checks/suppression). */
export interface SuppressionProblem {
  problem: 'missing-reason' | 'unknown-rule' | 'expired' | 'unused';
  suppression: Suppression;
  /** For unknown-rule: the id and the closest known one. */
  rule?: string;
  suggestion?: string;
  /** For unknown-rule: the id was merged into `suggestion` (src/engine/rule-aliases.ts). */
  merged?: boolean;
}

export interface SuppressionFacts {
  /** Every suppression found (inline and config) for this target. */
  count: number;
  problems: SuppressionProblem[];
}

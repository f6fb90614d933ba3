// Drift fact types (src/lock/drift.ts computes them). Type-only, importing only base types, so
// model.ts can name them without a cycle through drift.ts.
import type { CapabilityRef, HintName } from '../inventory/base-types.js';
import type { RiskClass } from '../inventory/risk-types.js';

/**
 * What changed between a target's locked surface and the one just collected: facts, no verdicts
 * (the drift/* rules judge them, src/checks/drift). Stored as `inventory.drift`.
 */
export type DriftChange =
  | { kind: 'added'; capability: CapabilityRef; risk: RiskClass }
  | { kind: 'removed'; capability: CapabilityRef; risk: RiskClass }
  | { kind: 'renamed'; capability: CapabilityRef; from: string }
  | { kind: 'description'; capability: CapabilityRef; before: string; after: string; diff: string }
  | { kind: 'instructions'; capability: CapabilityRef; before: string; after: string; diff: string }
  | { kind: 'schema'; capability: CapabilityRef; direction: 'loosened' | 'tightened'; changes: string[] }
  | { kind: 'annotation'; capability: CapabilityRef; direction: 'riskier' | 'safer'; hint: HintName; before: boolean; after: boolean }
  | { kind: 'risk'; capability: CapabilityRef; before: RiskClass; after: RiskClass };

export interface DriftFacts {
  /** The lockfile compared with, as shown to the user. */
  lockfile: string;
  /** False when the lockfile has no entry for this target (nothing could be compared). */
  locked: boolean;
  /** Why the comparison is partial (a listing cut at a bound or refused): removals cannot be told. */
  incomplete?: string;
  changes: DriftChange[];
}

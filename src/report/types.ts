import type { BaselineOutcome } from '../baseline/types.js';
import type { ReviewDossier } from '../collect/review-types.js';
import type { SuppressedFinding } from '../suppress/types.js';
import type { Finding, Level, RuleMeta, RuleOutcome } from '../engine/types.js';
import type { Inventory, SourceLocation, TargetDescription } from '../inventory/model.js';

/**
 * Where a finding with no source location of its own is anchored in SARIF: GitHub rejects the whole
 * upload if one result lacks a physical location (CONVENTIONS.md §1.3).
 */
export interface LocationAnchor {
  location: SourceLocation;
  why: 'config' | 'entry-script' | 'package-json' | 'fallback';
}

export interface TargetFailure {
  /** One line: what went wrong, where, what to try. Already masked. */
  message: string;
  /** Bounded, masked tail of the server's stderr, when it helps. */
  stderrTail?: string;
  /** Non-JSON-RPC lines a stdio server wrote to stdout before the failure (masked samples). */
  stdoutNoise?: { lines: number; samples: string[] };
}

export interface TargetResult {
  target: TargetDescription;
  /** Absent when discovery failed. */
  inventory?: Inventory;
  failure?: TargetFailure;
  findings: Finding[];
  /** With a baseline (`check --baseline`): findings it accepted, kept out of `findings` and of the gate. */
  baselined?: Finding[];
  /** Findings a suppression with a reason accepted (inline or config), kept out of `findings` and of the gate. */
  suppressed?: SuppressedFinding[];
  outcomes: RuleOutcome[];
  /** The review dossier (`--format review`, and `review` in the JSON report), when a format asked for it. */
  review?: ReviewDossier;
  anchor: LocationAnchor;
  /** The stable name its SARIF run is filed under (src/collect/run-category.ts); default: the target name. */
  category?: string;
}

export interface GateResult {
  passed: boolean;
  /** 0 passed, 1 gate failed, 3 a target could not be reached or discovered. */
  exitCode: 0 | 1 | 3;
  failOn: Level;
  maxWarnings?: number;
  counts: Record<Level, number>;
  /** Human-readable reasons the gate failed (empty when passed). */
  reasons: string[];
}

export interface CheckReport {
  toolVersion: string;
  /** Every enabled rule, in id order (SARIF lists them all, not only those that fired). */
  rules: RuleMeta[];
  targets: TargetResult[];
  gate: GateResult;
  /** Directory SARIF URIs are made relative to (the repository root, usually). */
  sarifRoot: string;
  /** `check --category`: the code-scanning category of the SARIF runs (one target) or their prefix (several). */
  category?: string;
  /** `check --baseline FILE`: the file and its stale entries. */
  baseline?: BaselineOutcome;
}

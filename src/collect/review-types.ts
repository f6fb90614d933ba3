import type { Level } from '../engine/types.js';
import type { CapabilityRef } from '../inventory/model.js';

/** The review dossier's shape (src/collect/review.ts builds it; docs/review.md documents it). Types only. */

/** A filled cell, or an unknown one with what would fill it (`--source`, `--probe`, a config key). */
export type ReviewCell = { value: string; at?: string } | { unknown: string };

export interface ReviewRow {
  capability: CapabilityRef;
  riskClass: string;
  /** Why it has that class, in words. */
  why: string;
  sideEffect: ReviewCell;
  credentials: ReviewCell;
  tenant: ReviewCell;
  outputBound: ReviewCell;
  logs: ReviewCell;
  approval: ReviewCell;
  killSwitch: ReviewCell;
  auditEvent: ReviewCell;
  /** Findings on this capability, most severe first: `rule id (level)`. */
  findings: Array<{ ruleId: string; level: Level }>;
}

export interface ChecklistItem {
  item: 'kill switch' | 'alert' | 'audit event' | 'regression test';
  /** Where it was found. */
  found?: string;
  /** Why it counts as missing, with the rule that says so. */
  missing?: string;
  /** Neither could be told from the facts: what would tell. */
  unknown?: string;
}

export interface ReviewDossier {
  target: string;
  rows: ReviewRow[];
  /** For the riskiest capability (the first row). */
  checklist?: { capability: CapabilityRef; items: ChecklistItem[] };
}

// The finding types: what the engine hands to reporters, the gate and suppressions. Type-only,
// importing only base types, so suppress/types.ts (which model.ts names) can extend Finding without
// a cycle through engine/types.ts, which imports model.ts.
import type { CapabilityRef, FactKind, SourceLocation } from '../inventory/base-types.js';

export type Level = 'error' | 'warning' | 'note';

/**
 * Which collected facts a finding rests on: the live listing, a probe call, an HTTP probe, source
 * analysis, repository files (and, for drift and suppression rules, the lockfile and suppressions).
 */
export type EvidenceKind = FactKind;

/** A place related to a finding, with what it is (SARIF `relatedLocations`). */
export interface RelatedLocation {
  location: SourceLocation;
  message: string;
}

export interface Finding {
  ruleId: string;
  level: Level;
  messageId: string;
  /** Final wording, every secret-like value masked. */
  message: string;
  data: Record<string, string | number>;
  capability: CapabilityRef;
  field?: string;
  /** Masked evidence. */
  evidence?: string;
  /** Which facts the finding rests on (`live`, `probe`, `http`, `source`, `repo`, `lock`, `suppress`). */
  evidenceKind: EvidenceKind;
  location?: SourceLocation;
  /** Other places that explain it: for a finding on a handler's statement, where the capability is registered. */
  relatedLocations?: RelatedLocation[];
  /** Line-free identity: sha256 of rule id, target, capability and normalised evidence. */
  fingerprint: string;
}

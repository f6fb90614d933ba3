import { createHash } from 'node:crypto';
import type { CapabilityRef } from '../inventory/model.js';

/** Key for SARIF `partialFingerprints`; bump the suffix when the inputs below change. */
export const FINGERPRINT_KEY = 'mcpPreflight/v1';

export interface FingerprintParts {
  ruleId: string;
  targetId: string;
  capability: CapabilityRef;
  field?: string;
  /** Already masked: a hash of a raw secret would let anyone holding the SARIF test guesses. */
  evidence?: string;
}

/** Whitespace and Unicode composition differences are reformatting, not a different finding. */
export function normaliseEvidence(evidence: string): string {
  return evidence.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Line-free identity of a finding: survives line moves and reformatting, never holds a line number. */
export function fingerprint(parts: FingerprintParts): string {
  const input = JSON.stringify([
    FINGERPRINT_KEY,
    parts.ruleId,
    parts.targetId,
    parts.capability.kind,
    parts.capability.name ?? '',
    parts.field ?? '',
    normaliseEvidence(parts.evidence ?? ''),
  ]);
  return createHash('sha256').update(input).digest('hex');
}

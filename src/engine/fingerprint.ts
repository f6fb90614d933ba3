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
  /** Only for evidence a rule took over from a merged id (rule-aliases.ts); absent, the hash is as before. */
  evidenceKind?: string;
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
    ...(parts.evidenceKind === undefined ? [] : [parts.evidenceKind]),
  ]);
  return createHash('sha256').update(input).digest('hex');
}

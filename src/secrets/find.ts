import { SECRET_PATTERNS, type SecretKind } from './patterns.js';

export interface SecretMatch {
  kind: SecretKind;
  /** UTF-16 offsets of the secret itself (not the `Bearer ` or `password=` around it). */
  start: number;
  end: number;
  value: string;
}

/** Inputs above this size are scanned in their first part only: outputs are bounded long before that. */
const MAX_SCAN_LENGTH = 4_000_000;

/**
 * Every secret in `text`, in order, without overlaps. When two formats claim the same characters,
 * the earlier pattern in SECRET_PATTERNS wins, then the longer match.
 */
export function findSecrets(text: string): SecretMatch[] {
  if (typeof text !== 'string' || text.length < 6) return [];
  const scanned = text.length > MAX_SCAN_LENGTH ? text.slice(0, MAX_SCAN_LENGTH) : text;
  const candidates: Array<SecretMatch & { priority: number }> = [];
  SECRET_PATTERNS.forEach((pattern, priority) => {
    const regex = pattern.regex;
    regex.lastIndex = 0;
    for (let match = regex.exec(scanned); match !== null; match = regex.exec(scanned)) {
      if (match[0].length === 0) regex.lastIndex += 1;
      const span = match.indices?.[pattern.group];
      const value = match[pattern.group];
      if (span === undefined || value === undefined || value.length === 0) continue;
      if (pattern.accept !== undefined && !pattern.accept(value, match)) continue;
      candidates.push({ kind: pattern.kind, start: span[0], end: span[1], value, priority });
    }
  });
  candidates.sort((a, b) => a.start - b.start || a.priority - b.priority || b.end - a.end);
  const accepted: SecretMatch[] = [];
  let covered = 0;
  for (const candidate of candidates) {
    if (candidate.start < covered) continue;
    accepted.push({ kind: candidate.kind, start: candidate.start, end: candidate.end, value: candidate.value });
    covered = candidate.end;
  }
  return accepted;
}

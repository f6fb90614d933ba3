/**
 * How guessable a sample of `Mcp-Session-Id` values is. The specification: session ids SHOULD be
 * globally unique and cryptographically secure and MUST only contain visible ASCII (0x21–0x7E); the
 * security best practices: MUST use secure, non-deterministic session ids. A live probe cannot prove
 * randomness, so this flags what a few samples can show: invalid characters, repeats, short ids,
 * small alphabets, counters, timestamps and long shared prefixes.
 */
export interface SessionIdWeakness {
  messageId: 'invalidCharacters' | 'repeated' | 'tooShort' | 'sequential' | 'timestampLike' | 'lowEntropy';
  detail: string;
}

/** Bits of entropy we want at least in an id (a UUID v4 has 122). */
export const MIN_ESTIMATED_BITS = 64;

export function sessionIdWeaknesses(ids: readonly string[]): SessionIdWeakness[] {
  const found: SessionIdWeakness[] = [];
  if (ids.length === 0) return found;
  const invalid = ids.find((id) => !/^[\x21-\x7e]+$/.test(id));
  if (invalid !== undefined) found.push({ messageId: 'invalidCharacters', detail: 'contains characters outside visible ASCII 0x21–0x7E' });
  if (new Set(ids).size < ids.length) found.push({ messageId: 'repeated', detail: `${ids.length} sessions got only ${new Set(ids).size} distinct ids` });

  const numbers = ids.map((id) => /(\d+)(?!.*\d)/.exec(id)?.[1]).map((digits) => (digits === undefined ? undefined : Number(digits)));
  const allNumeric = numbers.every((value) => value !== undefined && Number.isSafeInteger(value));
  if (allNumeric && ids.length >= 2) {
    const values = numbers as number[];
    const prefixes = ids.map((id, index) => id.slice(0, id.lastIndexOf(String(values[index]))));
    const samePrefix = prefixes.every((prefix) => prefix === prefixes[0]);
    const deltas = values.slice(1).map((value, index) => value - values[index]!);
    if (samePrefix && deltas.every((delta) => delta > 0 && delta < 1_000)) {
      found.push({ messageId: 'sequential', detail: `ids differ only by a counter (${ids.slice(0, 3).join(', ')})` });
    } else if (samePrefix && values.every((value) => value > 1_500_000_000_000 && value < 4_000_000_000_000)) {
      found.push({ messageId: 'timestampLike', detail: 'ids are millisecond timestamps' });
    } else if (samePrefix && values.every((value) => value > 1_500_000_000 && value < 4_000_000_000)) {
      found.push({ messageId: 'timestampLike', detail: 'ids are second timestamps' });
    }
  }
  if (found.some((weakness) => weakness.messageId === 'sequential' || weakness.messageId === 'timestampLike')) return found;

  const bits = estimatedBits(ids);
  const shortest = Math.min(...ids.map((id) => id.length));
  if (shortest < 16) found.push({ messageId: 'tooShort', detail: `${shortest} characters` });
  else if (bits < MIN_ESTIMATED_BITS) found.push({ messageId: 'lowEntropy', detail: `about ${Math.round(bits)} bits of varying content` });
  return found;
}

/**
 * A rough upper bound on an id's entropy from a few samples: the positions that vary between samples
 * (fixed prefixes, separators and version nibbles do not count) times log2 of the alphabet seen.
 */
export function estimatedBits(ids: readonly string[]): number {
  if (ids.length === 0) return 0;
  const length = Math.min(...ids.map((id) => id.length));
  const alphabet = new Set<string>();
  for (const id of ids) for (const char of id) alphabet.add(char);
  let varying = 0;
  for (let index = 0; index < length; index++) {
    const chars = new Set(ids.map((id) => id[index]));
    if (chars.size > 1) varying++;
  }
  // With 2–4 samples some random positions coincide by chance: count those as varying too when the
  // ids are long and mostly different, by taking the varying share of the non-separator positions.
  const separators = [...(ids[0] ?? '')].filter((char) => /[-_.:]/.test(char)).length;
  const candidates = Math.max(0, length - separators);
  const share = ids.length >= 3 ? varying / Math.max(1, candidates) : 1;
  const effective = share > 0.5 ? candidates : varying;
  return effective * Math.log2(Math.max(2, alphabet.size));
}

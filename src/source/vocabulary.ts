/**
 * How the source collectors compile the words they select call sites with. The words are read from
 * the built-in options of the rules that judge those sites (BUILTIN_VOCABULARY, generated from
 * rules/*.yaml by SHARED_VOCABULARY in src/engine/compile-packs.ts): the collector selects, the rule
 * judges, and one definition serves both, documented and versioned with the rule rather than
 * hidden in the collector. Compiled once, at module load, from the built-in packs only: the facts
 * are collected once for every rule, so a project's options for a rule do not change them.
 */

/** `words` taken literally (`this.logger` has a dot, not any character). */
function escaped(words: readonly string[]): string[] {
  return words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** A regular expression source for any one of `words`, literally, to put in a larger pattern. */
export function literalAlternatives(words: readonly string[]): string {
  return escaped(words).join('|');
}

/** A string that is one of `words`, exactly. */
export function exactly(words: readonly string[], flags = ''): RegExp {
  return new RegExp(`^(?:${escaped(words).join('|')})$`, flags);
}

/** A string that one of `patterns` (regular expressions) matches whole. */
export function wholly(patterns: readonly string[], flags = ''): RegExp {
  return new RegExp(`^(?:${patterns.join('|')})$`, flags);
}

/** A string that one of `patterns` (regular expressions) matches anywhere in it. */
export function anywhere(patterns: readonly string[], flags = ''): RegExp {
  return new RegExp(`(?:${patterns.join('|')})`, flags);
}

/** A dotted name whose last segment one of `patterns` matches whole (`ctx.auditLog`). */
export function lastSegmentOf(patterns: readonly string[], flags = ''): RegExp {
  return new RegExp(`(?:^|\\.)(?:${patterns.join('|')})$`, flags);
}

/** A name that ends in one of `words`, or its plural in `s` (`toolCallsCounter`, `spans`). */
export function endingIn(words: readonly string[], flags = ''): RegExp {
  return new RegExp(`(?:${escaped(words).join('|')})s?$`, flags);
}

export function wordSet(words: readonly string[]): ReadonlySet<string> {
  return new Set<string>(words);
}

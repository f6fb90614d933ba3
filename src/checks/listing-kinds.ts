import { recordListOption } from '../engine/options.js';
import type { Level, RuleMeta } from '../engine/types.js';
import type { Capability } from '../inventory/model.js';
import { splitWords } from './words.js';
import { isAscii, packRegExp, type PackRegExp } from '../util/ascii-twin.js';

/**
 * What a capability hands the model, judged from its listing: a rule's `kinds` option lists
 * regular expressions (flags "iu"), each with the level it is reported at and the words its message
 * uses. They run over one text per capability: its name as words ("get env", "list merge
 * requests"), then its title, then its description, one per line, so a pattern can anchor on the
 * name (`^...(?=\n)`). Shared by secrets/sensitive-data-returned and
 * injection/untrusted-content-returned.
 */
export interface ListingKind {
  id: string;
  regex: PackRegExp;
  level: Level;
  what: string;
}

const compiled = new WeakMap<RuleMeta, ListingKind[]>();
const LEVELS: ReadonlySet<string> = new Set(['error', 'warning', 'note']);

export function listingKindsOf(rule: RuleMeta): ListingKind[] {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const kinds = recordListOption(rule, 'kinds', (item) => {
    if (
      typeof item.id !== 'string' ||
      typeof item.pattern !== 'string' ||
      typeof item.what !== 'string' ||
      typeof item.level !== 'string' ||
      !LEVELS.has(item.level)
    )
      throw new Error('a mapping with string "id", "pattern", "what" and a "level" of error, warning or note');
    return { id: item.id, regex: packRegExp(item.pattern), level: item.level as Level, what: item.what };
  });
  compiled.set(rule, kinds);
  return kinds;
}

/** The name words, title and description of a capability, one per line. */
export function listingText(capability: Capability): string {
  return [splitWords(capability.name).join(' '), capability.title ?? '', capability.description ?? ''].join('\n');
}

/** The first kind whose pattern matches the capability's listing text, with the matched words (whitespace folded, at most 80 characters). */
export function matchListingKind(kinds: ListingKind[], capability: Capability): { kind: ListingKind; excerpt: string } | undefined {
  const text = listingText(capability);
  const asciiText = isAscii(text);
  for (const kind of kinds) {
    const match = kind.regex.exec(text, asciiText);
    if (match !== null) return { kind, excerpt: match[0].replace(/\s+/g, ' ').trim().slice(0, 80) };
  }
  return undefined;
}

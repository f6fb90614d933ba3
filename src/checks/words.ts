/**
 * Splits an identifier or a title into lower-case words: `runShellCommand`, `run_shell_command`,
 * `run-shell-command`, `RunShellCMD` and "Run shell command" all give run, shell, command.
 */
export function splitWords(text: string): readonly string[] {
  if (text.length > MEMO_MAX_TEXT) return split(text);
  let words = memo.get(text);
  if (words === undefined) {
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    // Frozen, and shared by every caller: no copy per call (690,000 calls at 10,000 tools, issue 18).
    words = Object.freeze(split(text));
    memo.set(text, words);
  }
  return words;
}

/** Many rules split the same names (every rule reads every tool's name and parameters): remembered, bounded. */
const memo = new Map<string, readonly string[]>();
const MEMO_MAX_TEXT = 1_000;
const MEMO_MAX_ENTRIES = 50_000;

function split(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** `shellCommand` / `shell-command` → `shell_command`, for comparing names against a list. */
export function snakeName(text: string): string {
  return splitWords(text).join('_');
}

/**
 * Write verbs that are nouns as often (`order`, `comment`, `label`): in a tool name such a word is
 * the verb only when an object follows it that is not a read word (`order_pizza`, `comment_on_issue`);
 * at the end of the name or before a read word it names the thing (`cancel_order`, `order_status`,
 * `order`). The annotations pack's `nounVerbs` option starts from this list.
 */
export const NOUN_VERBS: ReadonlySet<string> = new Set([
  'order',
  'comment',
  'label',
  'tag',
  'book',
  'post',
  'star',
  'schedule',
  'charge',
  'reply',
  'message',
  'email',
]);

/** Words after `add` that make it arithmetic (`add_numbers`, `add_two_ints`), not a write. */
const ARITHMETIC_OBJECTS: ReadonlySet<string> = new Set([
  'number',
  'numbers',
  'num',
  'nums',
  'integer',
  'integers',
  'int',
  'ints',
  'float',
  'floats',
  'two',
  'digits',
  'values',
  'vectors',
  'matrices',
]);

/**
 * Whether the write-list word at `index` of a name's words acts as its verb: not a noun-verb used as
 * the object (see NOUN_VERBS), and not `add` adding numbers (before a number word, or when every
 * parameter is a number: `add(a, b)`).
 */
export function actsAsVerb(
  words: readonly string[],
  index: number,
  options: { nounVerbs?: ReadonlySet<string>; reads: ReadonlySet<string>; numericParameters: boolean },
): boolean {
  const word = words[index];
  if (word === undefined) return false;
  const next = words[index + 1];
  if ((options.nounVerbs ?? NOUN_VERBS).has(word) && (next === undefined || options.reads.has(next))) return false;
  if (word === 'add' && ((next !== undefined && ARITHMETIC_OBJECTS.has(next)) || options.numericParameters)) return false;
  return true;
}

/**
 * Case folding happens in the regex (`i`); here compatibility forms are folded (fullwidth letters)
 * and invisible format characters removed, so "ig\u200Bnore previous instructions" still matches.
 * Hidden characters themselves are injection/hidden-characters' finding.
 */
export function normaliseForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\p{Cf}]/gu, '')
    .replace(/[\p{Cc}\s]+/gu, ' ');
}

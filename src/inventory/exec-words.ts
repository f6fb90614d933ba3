import { snakeName, splitWords } from '../checks/words.js';
import { BUILTIN_VOCABULARY } from '../engine/generated/vocabulary.js';

/**
 * What makes a tool an executor by its name or parameters, in one place: design/shell-like-tool
 * judges with these functions and its options (which users may extend), the risk classes
 * (src/inventory/risk.ts) with the same options' built-in defaults, compiled from rules/design.yaml
 * by `npm run build` (src/engine/generated/vocabulary.ts). A tool taking `argv` or `bash_command`,
 * or named `run_command`, is then both a shell-like-tool finding and of class `exec`.
 */
export interface ShellVocabulary {
  /** A word that alone means a shell (`bash`, `terminal`). */
  shellWords: ReadonlySet<string>;
  /** Verbs that mean "run" only next to a command noun (`run` + `command`). */
  runVerbs: ReadonlySet<string>;
  commandNouns: ReadonlySet<string>;
  /** Verbs that mean "run a command" when they are the whole name (`exec`). */
  bareVerbs: ReadonlySet<string>;
  /** Verbs that, leading a name or title, make a shell word the object read (`List Terminal Sessions`). */
  readVerbs: ReadonlySet<string>;
  /** Parameter names (snake_case) that carry a command line. */
  commandParameters: ReadonlySet<string>;
}

export type ShellWordLists = { readonly [key in keyof ShellVocabulary]: readonly string[] };

/** The lists as sets of snake_case words. */
export function shellVocabulary(lists: ShellWordLists): ShellVocabulary {
  const set = (words: readonly string[]) => new Set(words.map((word) => snakeName(word)));
  return {
    shellWords: set(lists.shellWords),
    runVerbs: set(lists.runVerbs),
    commandNouns: set(lists.commandNouns),
    bareVerbs: set(lists.bareVerbs),
    readVerbs: set(lists.readVerbs),
    commandParameters: set(lists.commandParameters),
  };
}

let builtin: ShellVocabulary | undefined;

/** design/shell-like-tool's built-in lists (the pack defaults, not a project's config). */
export function builtinShellVocabulary(): ShellVocabulary {
  builtin ??= shellVocabulary(BUILTIN_VOCABULARY['design/shell-like-tool']);
  return builtin;
}

/** design/raw-sql-tool's built-in `sqlParameters`, in snake_case. */
export function builtinSqlParameters(): ReadonlySet<string> {
  return new Set(BUILTIN_VOCABULARY['design/raw-sql-tool'].sqlParameters.map((word) => snakeName(word)));
}

/**
 * The words of `text` (a name or title) that make it shell-like, or an empty list. Words, not
 * substrings: `execute_query`, `run_tests` and `process_payment` are not shell-like; `run_command`,
 * `exec`, `bash`, `PowerShell` (a shell word split in two) are.
 */
export function shellTokens(text: string, words: ShellVocabulary): readonly string[] {
  const tokens = splitWords(text);
  const joined = tokens.slice(1).map((token, i) => `${tokens[i] ?? ''}${token}`);
  const strong = [...tokens, ...joined].filter((token) => words.shellWords.has(token));
  // `List Terminal Sessions`, `get_shell_history`, `terminal_close`: next to a read (or managing) verb
  // a shell word names what is read or managed, unless a run verb says the tool also runs something
  // (`get_and_run_shell`).
  const readsOnly = tokens.some((token) => words.readVerbs.has(token)) && !tokens.some((token) => words.runVerbs.has(token) || words.bareVerbs.has(token));
  if (strong.length > 0 && !readsOnly) return strong;
  if (tokens.length === 1 && tokens[0] !== undefined && words.bareVerbs.has(tokens[0])) return tokens;
  const verbs = tokens.filter((token) => words.runVerbs.has(token));
  const nouns = tokens.filter((token) => words.commandNouns.has(token));
  return verbs.length > 0 && nouns.length > 0 ? [...verbs, ...nouns] : [];
}

/** Does a parameter of this name carry a command line? (Its schema must still be free-form.) */
export function isCommandParameter(name: string, words: ShellVocabulary): boolean {
  return words.commandParameters.has(snakeName(name));
}

import { joinPath } from '../checks/json-schema.js';
import { packRegExp, type PackRegExp } from '../util/ascii-twin.js';
import { normaliseForMatching } from '../checks/words.js';
import { BUILTIN_VOCABULARY } from '../engine/generated/vocabulary.js';
import { truncateSafely } from '../secrets/truncate.js';

/**
 * Prompts that have the model run a command or a shell ("run `rm -rf build` in the shell", "execute
 * the following command"): their title, description, argument titles and descriptions and, under
 * --probe, the messages `prompts/get` returned. Such a prompt hands the model a command line as
 * surely as a shell tool does. One matcher, two readers: design/shell-like-tool reports such a
 * prompt with its configured `promptPatterns`, the risk classes (src/inventory/risk.ts) give it the
 * class `exec` with the same option's built-in defaults, compiled from rules/design.yaml by
 * `npm run build` (src/engine/generated/vocabulary.ts).
 *
 * The inventory is read through the structural types below, not src/inventory/model.ts (they date
 * from when model.ts imported risk.ts's types, and an import of model.ts here closed a cycle).
 */

export interface CommandPhrase {
  id: string;
  regex: PackRegExp;
}

/** A `promptPatterns` item. */
export interface CommandPattern {
  readonly id: string;
  readonly pattern: string;
}

export interface PromptCommand {
  /** The prompt's name. */
  name: string;
  /** `description`, `arguments.<name>.description`, `probe.messages`, … */
  field: string;
  phrase: string;
  /** The matched text. */
  excerpt: string;
  /** True when the text came back from `prompts/get` (--probe). */
  probed: boolean;
}

/** What of a prompt capability (inventory/model.ts, PromptCapability) this module reads. */
export interface PromptText {
  readonly name: string;
  readonly title?: unknown;
  readonly description?: unknown;
  readonly arguments?: ReadonlyArray<{ readonly name: string; readonly title?: unknown; readonly description?: unknown }>;
}

/** What of an inventory (inventory/model.ts, Inventory) this module reads. */
export interface PromptSource {
  readonly prompts: readonly PromptText[];
  readonly probe?:
    { readonly prompts: ReadonlyArray<{ readonly name: string; readonly get?: { readonly text: string; readonly error?: unknown } }> } | undefined;
}

/** Compiles `promptPatterns` (flags "iu"); throws with what is wrong with an item. */
export function compileCommandPatterns(patterns: readonly CommandPattern[]): CommandPhrase[] {
  return patterns.map(({ id, pattern }) => {
    try {
      return { id, regex: packRegExp(pattern) };
    } catch (error) {
      throw new Error(`a valid regular expression for "${id}" (${error instanceof Error ? error.message : String(error)})`);
    }
  });
}

let builtin: CommandPhrase[] | undefined;

/** design/shell-like-tool's built-in `promptPatterns` (the pack defaults, not a project's config). */
export function builtinCommandPhrases(): CommandPhrase[] {
  builtin ??= compileCommandPatterns(BUILTIN_VOCABULARY['design/shell-like-tool'].promptPatterns);
  return builtin;
}

const MAX_EXCERPT = 80;

/** The prompt's model-visible prose, in the order src/checks/model-visible-text.ts walks it. */
function* promptFields(prompt: PromptText): Generator<{ field: string; text: string }> {
  if (typeof prompt.title === 'string') yield { field: 'title', text: prompt.title };
  if (typeof prompt.description === 'string') yield { field: 'description', text: prompt.description };
  for (const argument of prompt.arguments ?? []) {
    const path = joinPath('arguments', argument.name);
    if (typeof argument.title === 'string') yield { field: `${path}.title`, text: argument.title };
    if (typeof argument.description === 'string') yield { field: `${path}.description`, text: argument.description };
  }
}

/** The first phrase `text` matches, with the matched text cut to an excerpt. */
export function matchCommandPhrase(text: string, phrases: readonly CommandPhrase[]): { phrase: string; excerpt: string } | undefined {
  const normalised = normaliseForMatching(text);
  for (const phrase of phrases) {
    const match = phrase.regex.exec(normalised);
    if (match !== null) return { phrase: phrase.id, excerpt: truncateSafely(match[0], MAX_EXCERPT) };
  }
  return undefined;
}

/**
 * Every prompt text that has the model run a command: the first matching phrase per field; the
 * listing's prompts in order, then (under --probe) the messages `prompts/get` returned.
 */
export function* promptCommands(inventory: PromptSource, phrases: readonly CommandPhrase[] = builtinCommandPhrases()): Generator<PromptCommand> {
  for (const prompt of inventory.prompts) {
    for (const { field, text } of promptFields(prompt)) {
      const found = matchCommandPhrase(text, phrases);
      if (found !== undefined) yield { name: prompt.name, field, ...found, probed: false };
    }
  }
  for (const prompt of inventory.probe?.prompts ?? []) {
    // An error answer is the server's output, not instructions to the model.
    if (prompt.get === undefined || prompt.get.text === '' || prompt.get.error !== undefined) continue;
    const found = matchCommandPhrase(prompt.get.text, phrases);
    if (found !== undefined) yield { name: prompt.name, field: 'probe.messages', ...found, probed: true };
  }
}

const byInventory = new WeakMap<PromptSource, Map<string, PromptCommand[]>>();

/** The built-in phrases' matches by prompt name, computed once per inventory (for the risk classes). */
export function promptCommandsOf(inventory: PromptSource, name: string): PromptCommand[] {
  let byName = byInventory.get(inventory);
  if (byName === undefined) {
    byName = new Map();
    for (const found of promptCommands(inventory)) byName.set(found.name, [...(byName.get(found.name) ?? []), found]);
    byInventory.set(inventory, byName);
  }
  return byName.get(name) ?? [];
}

import { loadBuiltinRules } from '../engine/packs.js';
import type { RuleMeta } from '../engine/types.js';
import { recordListOption } from '../engine/options.js';
import type { CapabilityRef, Inventory } from '../inventory/model.js';
import { normaliseForMatching } from './injection/instruction-in-description.js';
import { modelVisibleText } from './model-visible-text.js';
import { truncateSafely } from '../secrets/truncate.js';

/**
 * Prompts that have the model run a command or a shell ("run `rm -rf build` in the shell", "execute
 * the following command"): their title, description, argument descriptions and, under --probe, the
 * messages `prompts/get` returned. Such a prompt hands the model a command line as surely as a shell
 * tool does: design/shell-like-tool reports it and its risk class is `exec` (src/inventory/risk.ts).
 * The phrases are design/shell-like-tool's `promptPatterns` option.
 */

export interface CommandPhrase {
  id: string;
  regex: RegExp;
}

export interface PromptCommand {
  capability: CapabilityRef;
  /** `description`, `arguments.<name>.description`, `probe.messages`, … */
  field: string;
  phrase: string;
  /** The matched text. */
  excerpt: string;
  /** True when the text came back from `prompts/get` (--probe). */
  probed: boolean;
}

const compiled = new WeakMap<RuleMeta, CommandPhrase[]>();

/** The rule's `promptPatterns`, compiled once per rule. */
export function commandPhrases(rule: RuleMeta): CommandPhrase[] {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const phrases = recordListOption(rule, 'promptPatterns', (item) => {
    const { id, pattern } = item;
    if (typeof id !== 'string' || typeof pattern !== 'string') throw new Error('a mapping with string "id" and string "pattern"');
    try {
      return { id, regex: new RegExp(pattern, 'iu') };
    } catch (error) {
      throw new Error(`a valid regular expression for "${id}" (${error instanceof Error ? error.message : String(error)})`);
    }
  });
  compiled.set(rule, phrases);
  return phrases;
}

let builtin: CommandPhrase[] | undefined;

/** The built-in pack's phrases (the risk classes read these; the rule reads its configured ones). */
export function builtinCommandPhrases(): CommandPhrase[] {
  if (builtin === undefined) {
    const rule = loadBuiltinRules().find((candidate) => candidate.id === 'design/shell-like-tool');
    if (rule === undefined) throw new Error('built-in rule design/shell-like-tool is missing');
    builtin = commandPhrases(rule);
  }
  return builtin;
}

const MAX_EXCERPT = 80;

const byInventory = new WeakMap<Inventory, Map<string, PromptCommand[]>>();

/** The built-in phrases' matches by prompt name, computed once per inventory (for the risk classes). */
export function promptCommandsOf(inventory: Inventory, name: string): PromptCommand[] {
  let byName = byInventory.get(inventory);
  if (byName === undefined) {
    byName = new Map();
    for (const found of promptCommands(inventory)) {
      const key = found.capability.name ?? '';
      byName.set(key, [...(byName.get(key) ?? []), found]);
    }
    byInventory.set(inventory, byName);
  }
  return byName.get(name) ?? [];
}

/** Every prompt text that has the model run a command: the first matching phrase per field, in inventory order. */
export function* promptCommands(inventory: Inventory, phrases: readonly CommandPhrase[] = builtinCommandPhrases()): Generator<PromptCommand> {
  for (const visible of modelVisibleText(inventory, ['title', 'description', 'prompt'])) {
    if (visible.capability.kind !== 'prompt') continue;
    const text = normaliseForMatching(visible.text);
    for (const phrase of phrases) {
      const match = phrase.regex.exec(text);
      if (match === null) continue;
      const excerpt = truncateSafely(match[0], MAX_EXCERPT);
      yield { capability: visible.capability, field: visible.field, phrase: phrase.id, excerpt, probed: visible.probed !== undefined };
      break;
    }
  }
}

import { COMPILED_PACKS_JSON } from './generated/packs.js';
import type { PackRule, RulePack } from './pack-types.js';

/**
 * The built-in packs, compiled from rules/*.yaml at build time (src/engine/compile-packs.ts), which
 * also validated them and rejected an id declared twice. Kept apart from packs.ts (the YAML reader,
 * ajv, the match compiler, for custom packs) so `rules` with no config and no --pack loads none of it.
 */
export function builtinPacks(): RulePack[] {
  // A fresh copy per call: callers may change what they get.
  return JSON.parse(COMPILED_PACKS_JSON) as RulePack[];
}

/** The built-in rules, sorted by id (what packs.ts `rulesOf(loadPacks())` gives for them). */
export function builtinRules(): PackRule[] {
  return builtinPacks()
    .flatMap((pack) => pack.rules)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

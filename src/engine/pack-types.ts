// The shapes of loaded rule packs, in a module of their own so that the compiled built-in packs
// (builtin-packs.ts) and the loader (packs.ts) can share them without importing each other.
import type { RuleMeta } from './types.js';

/** Rule options as declared in a pack (token lists, thresholds); checks read them via options.ts. */
export type RuleOptions = Record<string, unknown>;

/** A rule as loaded from its pack. */
export interface PackRule extends RuleMeta {
  options?: RuleOptions;
  /** JSON Schema of `options` (required with them); the config's options are validated against it too. */
  optionsSchema?: Record<string, unknown>;
}

export interface RulePack {
  pack: string;
  version: 1;
  /** The file it was read from (for error messages). */
  file: string;
  rules: PackRule[];
  /** True for a user's pack (--pack, config `packs`). */
  custom?: boolean;
}

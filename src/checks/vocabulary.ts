import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { snakeName } from './words.js';

/**
 * Word lists that a rule and the risk classes (src/inventory/risk.ts) must agree on, read from the
 * one place they are defined: the built-in pack's options (rules/design.yaml). A tool taking `argv`
 * or `bash_command` is then both a design/shell-like-tool finding and of class `exec`.
 */

type PackOptions = Map<string, Record<string, unknown>>;
const packs = new Map<string, PackOptions>();

/** `rules/` beside `src/` and `dist/`: this module sits at `<root>/{src,dist}/checks/vocabulary.{ts,js}`. */
function packFile(pack: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../rules', `${pack}.yaml`);
}

function optionsOfPack(pack: string): PackOptions {
  let options = packs.get(pack);
  if (options === undefined) {
    const data = parse(readFileSync(packFile(pack), 'utf8')) as { rules?: Array<{ id?: unknown; options?: unknown }> };
    options = new Map();
    for (const rule of data.rules ?? []) {
      if (typeof rule.id === 'string' && typeof rule.options === 'object' && rule.options !== null) options.set(rule.id, rule.options as Record<string, unknown>);
    }
    packs.set(pack, options);
  }
  return options;
}

/** A built-in rule's word-list option, in snake_case; a missing list is a broken pack, said with the rule and key. */
export function builtinWords(ruleId: string, key: string): ReadonlySet<string> {
  const value = optionsOfPack(ruleId.split('/')[0] ?? '').get(ruleId)?.[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new Error(`rule "${ruleId}": option "${key}" must be a list of strings in its built-in pack`);
  return new Set(value.map((word) => snakeName(word)));
}

/** Parameters (snake_case) that carry a command line: design/shell-like-tool's `commandParameters`. */
export function commandParameterNames(): ReadonlySet<string> {
  return builtinWords('design/shell-like-tool', 'commandParameters');
}

/** Parameters (snake_case) that carry SQL: design/raw-sql-tool's `sqlParameters`. */
export function sqlParameterNames(): ReadonlySet<string> {
  return builtinWords('design/raw-sql-tool', 'sqlParameters');
}

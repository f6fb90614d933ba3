import path from 'node:path';
import { findConfig } from '../config/find.js';
import { builtinRules } from '../engine/builtin-packs.js';
import type { PackRule } from '../engine/packs.js';
import type { LevelSetting } from '../engine/types.js';
import { ruleDocUrl } from '../report/common.js';
import { UsageError } from './errors.js';
import { writeOutput } from './output.js';

/**
 * What `rules` and `explain` do, apart from their commander definitions (rules.ts), so main.ts can
 * list the rules without loading commander at all (fast-path.ts).
 */

export interface RulesFlags {
  config?: string;
  pack: string[];
  format: string;
}

/**
 * Built-in rules, the config's packs and --pack files; levels as the config sets them. With no config
 * and no --pack only the compiled built-in packs are read: the YAML reader, ajv and the pack
 * validator are loaded only when there is something for them to read (start-up, issue 18).
 */
async function loadRulesForListing(flags: RulesFlags): Promise<{ rules: PackRule[]; levels: Record<string, LevelSetting> }> {
  const directory = process.cwd();
  if (flags.config === undefined && flags.pack.length === 0 && findConfig(directory) === undefined) return { rules: builtinRules(), levels: {} };
  const [{ checkRuleIds, checkRuleOptions }, { loadAllRules }, { resolveConfig }] = await Promise.all([
    import('../config/load.js'),
    import('../engine/packs.js'),
    import('./config-file.js'),
  ]);
  const config = resolveConfig(flags.config, directory);
  const rules = loadAllRules([...(config?.packs ?? []), ...flags.pack.map((file) => path.resolve(directory, file))]);
  const levels: Record<string, LevelSetting> = {};
  if (config) {
    checkRuleIds(config, rules);
    checkRuleOptions(config, rules);
    for (const [id, setting] of Object.entries(config.rules)) if (setting.level) levels[id] = setting.level;
  }
  return { rules, levels };
}

export async function runRulesCommand(flags: RulesFlags): Promise<number> {
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format ${flags.format}: use text or json`);
  const { rules, levels } = await loadRulesForListing(flags);
  const rows = rules.map((rule) => ({
    id: rule.id,
    level: levels[rule.id] ?? rule.level,
    pack: rule.pack,
    facts: rule.facts,
    title: rule.title,
    ...(rule.custom ? { custom: true } : {}),
  }));
  if (flags.format === 'json') {
    writeOutput(undefined, JSON.stringify(rows, null, 2));
    return 0;
  }
  const width = (key: 'id' | 'level' | 'pack') => Math.max(key.length, ...rows.map((row) => row[key].length));
  const factsText = rows.map((row) => row.facts.join(','));
  const factsWidth = Math.max(5, ...factsText.map((text) => text.length));
  const header = `${'id'.padEnd(width('id'))}  ${'level'.padEnd(width('level'))}  ${'pack'.padEnd(width('pack'))}  ${'facts'.padEnd(factsWidth)}  title`;
  const lines = [header];
  rows.forEach((row, index) => {
    lines.push(
      `${row.id.padEnd(width('id'))}  ${row.level.padEnd(width('level'))}  ${row.pack.padEnd(width('pack'))}  ${(factsText[index] ?? '').padEnd(factsWidth)}  ${row.title}`,
    );
  });
  lines.push('', `${rows.length} rules. "mcp-preflight explain <rule-id>" tells why a rule matters and how to fix what it finds.`);
  writeOutput(undefined, lines.join('\n'));
  return 0;
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

export function explainRule(rule: PackRule, level: LevelSetting = rule.level): string {
  const lines = [`${rule.id}: ${rule.title}`, ''];
  lines.push(
    `  level: ${level}${level !== rule.level ? ` (default ${rule.level})` : ''}    pack: ${rule.pack}${rule.custom ? ' (custom)' : ''}    facts: ${rule.facts.join(', ')}    severity: ${rule.securitySeverity}`,
  );
  lines.push('', 'Why it matters:', indent(rule.rationale), '', 'How to fix:', indent(rule.fix));
  if (rule.examples?.bad) lines.push('', 'Bad (caught):', indent(rule.examples.bad));
  if (rule.examples?.good) lines.push('', 'Good (passes):', indent(rule.examples.good));
  if (rule.references.length > 0) {
    lines.push('', 'References:');
    for (const reference of rule.references) lines.push(`  - ${reference.title}: ${reference.url}`);
  }
  lines.push('', `Documentation: ${ruleDocUrl(rule)}`);
  return lines.join('\n');
}

export async function runExplain(id: string, flags: RulesFlags): Promise<number> {
  const { rules, levels } = await loadRulesForListing(flags);
  // The engine loads every check; `rules` never needs it.
  const { findRule } = await import('../engine/run.js');
  let rule: PackRule;
  try {
    rule = findRule(rules, id);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  writeOutput(undefined, explainRule(rule, levels[rule.id] ?? rule.level));
  return 0;
}

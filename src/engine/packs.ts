import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FactKind } from '../inventory/model.js';
import { displayPath, formatProblem, parseYaml, positionOf, validateAt, validateYaml, type ParsedYaml } from '../util/yaml-schema.js';
import { optionsValidator } from './options.js';
import { compileMatch, MatchError, type Match } from './match.js';
import { builtinPacks } from './builtin-packs.js';
import type { Level, RuleMeta } from './types.js';

/**
 * Rule packs: `rules/<pack>.yaml` (built-in) and users' custom packs, one format for both, described
 * by schemas/pack.schema.json and validated with ajv at load. Errors name the file, the line and what
 * was expected.
 */

export type { PackRule, RuleOptions, RulePack } from './pack-types.js';
import type { PackRule, RulePack } from './pack-types.js';

/** A pack file that does not have the documented shape: `file:line:column: rule "id": problem`. */
export class PackError extends Error {
  constructor(
    readonly file: string,
    readonly ruleId: string | undefined,
    problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(formatProblem(file, { line, column, message: `${ruleId === undefined ? '' : `rule "${ruleId}": `}${problem}` }));
    this.name = 'PackError';
  }
}

/** `rules/` beside `src/` and `dist/`: this module sits at `<root>/{src,dist}/engine/packs.{ts,js}`. */
export function builtinRulesDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../rules');
}

const DEFAULT_SEVERITY: Record<Level, string> = { error: '7.0', warning: '4.0', note: '2.0' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface RawPack {
  pack: string;
  rules: Array<Record<string, unknown>>;
}

/** Parses one pack file's text. Throws PackError naming the file, the line and the rule. */
export function parsePack(text: string, file: string, custom = false): RulePack {
  const parsed = parseYaml(text);
  if ('problem' in parsed) throw new PackError(file, undefined, parsed.problem.message, parsed.problem.line, parsed.problem.column);
  if (!isRecord(parsed.data)) throw new PackError(file, undefined, 'must be a mapping with "pack", "version" and "rules"', 1, 1);
  const problems = validateYaml('pack', parsed);
  const first = problems[0];
  if (first !== undefined) {
    const index = first.path[0] === 'rules' && typeof first.path[1] === 'number' ? first.path[1] : undefined;
    const rawRules = (parsed.data as { rules?: unknown }).rules;
    const rawRule = index === undefined || !Array.isArray(rawRules) ? undefined : (rawRules[index] as unknown);
    const ruleId = index === undefined ? undefined : isRecord(rawRule) && typeof rawRule.id === 'string' ? rawRule.id : `#${index + 1}`;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'})` : '';
    throw new PackError(file, ruleId, first.message.replace(/"rules\[\d+\]\.?/, '"').replace(/ in ""/, '') + more, first.line, first.column);
  }
  const data = parsed.data as unknown as RawPack;
  const rules = data.rules.map((raw, index) => parseRule(raw, data.pack, file, index, parsed, custom));
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.id)) {
      const position = positionOf(parsed, ['rules', index, 'id']);
      throw new PackError(file, rule.id, 'is declared twice', position?.line, position?.column);
    }
    seen.add(rule.id);
  });
  return { pack: data.pack, version: 1, file, rules, ...(custom ? { custom: true } : {}) };
}

function parseRule(raw: Record<string, unknown>, pack: string, file: string, index: number, parsed: ParsedYaml, custom: boolean): PackRule {
  const id = raw.id as string;
  const fail = (path: Array<string | number>, problem: string): never => {
    const position = positionOf(parsed, ['rules', index, ...path]);
    throw new PackError(file, id, problem, position?.line, position?.column);
  };
  const [idPack] = id.split('/');
  if (idPack !== pack) fail(['id'], `"id" must read "${pack}/<kebab-case-name>"`);
  if (raw.check !== undefined && raw.match !== undefined) fail([], 'has both "check" and "match"; give one');
  // A built-in rule without either runs the check registered under its id; a custom pack has no checks of its own.
  if (custom && raw.check === undefined && raw.match === undefined) fail([], 'needs either "check" (TypeScript logic) or "match" (a declarative pattern)');
  const level = raw.level as Level;
  const severity = (raw.securitySeverity as string | undefined) ?? DEFAULT_SEVERITY[level];
  const severityNumber = Number(severity);
  if (!(severityNumber > 0 && severityNumber <= 10))
    fail(['securitySeverity'], `"securitySeverity" must be a string score in (0.0, 10.0], e.g. "8.1" (got "${severity}")`);

  const rule: PackRule = {
    id,
    pack,
    level,
    title: raw.title as string,
    rationale: raw.rationale as string,
    fix: raw.fix as string,
    references: raw.references as RuleMeta['references'],
    tags: raw.tags as string[],
    facts: (raw.facts as FactKind[] | undefined) ?? ['live'],
    securitySeverity: severity,
    precision: (raw.precision as RuleMeta['precision'] | undefined) ?? 'medium',
    messages: raw.messages as Record<string, string>,
  };
  // Without `check` and `match`, the check registered under the rule's id (built-in rules drop `check: <id>`).
  if (typeof raw.check === 'string') rule.check = raw.check;
  else if (raw.match === undefined) rule.check = id;
  if (raw.factsMatch === 'any') rule.factsMatch = 'any';
  if (isRecord(raw.examples)) rule.examples = raw.examples;
  if (isRecord(raw.options)) rule.options = raw.options;
  if (isRecord(raw.optionsSchema)) {
    rule.optionsSchema = raw.optionsSchema;
    let validate: ReturnType<typeof optionsValidator>;
    try {
      validate = optionsValidator(rule);
    } catch (error) {
      return fail(['optionsSchema'], `"optionsSchema" is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
    }
    const problem = validateAt(validate!, rule.options ?? {}, parsed, ['rules', index, 'options'])[0];
    if (problem !== undefined) {
      throw new PackError(file, id, `options do not match "optionsSchema": ${problem.message.replace(/"rules\[\d+\]\.?/, '"')}`, problem.line, problem.column);
    }
  }
  if (Array.isArray(raw.appliesTo)) rule.appliesTo = raw.appliesTo as string[];
  if (typeof raw.helpUri === 'string') rule.helpUri = raw.helpUri;
  if (custom) rule.custom = true;
  if (isRecord(raw.match) || Array.isArray(raw.match)) {
    rule.match = raw.match as unknown as Match;
    try {
      compileMatch(rule as PackRule & { match: Match });
    } catch (error) {
      if (error instanceof MatchError) fail(['match', ...error.path], `match: ${error.message}`);
      throw error;
    }
  }
  return rule;
}

export function loadPackFile(file: string, custom = false): RulePack {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PackError(file, undefined, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  return parsePack(text, displayPath(file), custom);
}

/**
 * The built-in packs, compiled from rules/*.yaml at build time (src/engine/compile-packs.ts): no YAML
 * parser and no schema compiler on start-up. With `dir`, every `*.yaml` pack in it, parsed and validated.
 */
export function loadPacks(dir?: string): RulePack[] {
  return dir === undefined ? builtinPacks() : loadPackDir(dir);
}

/** Every `*.yaml` pack in `dir`, parsed and validated, in file-name order. */
export function loadPackDir(dir: string): RulePack[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  return files.map((name) => loadPackFile(join(dir, name)));
}

/** The rules of several packs, sorted by id; an id declared in two packs is an error. */
export function rulesOf(packs: readonly RulePack[]): PackRule[] {
  const byId = new Map<string, RulePack>();
  const rules: PackRule[] = [];
  for (const pack of packs) {
    for (const rule of pack.rules) {
      const other = byId.get(rule.id);
      if (other !== undefined) throw new PackError(pack.file, rule.id, `is already declared in ${other.file}`);
      byId.set(rule.id, pack);
      rules.push(rule);
    }
  }
  return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The built-in rules, sorted by id. */
export function loadBuiltinRules(): PackRule[] {
  return rulesOf(loadPacks());
}

/** Built-in rules plus the rules of the given custom pack files. */
export function loadAllRules(customPackFiles: readonly string[] = []): PackRule[] {
  return rulesOf([...loadPacks(), ...customPackFiles.map((file) => loadPackFile(file, true))]);
}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { FactKind } from '../inventory/model.js';
import type { Level, RuleMeta, RuleReference } from './types.js';

/** Rule options as declared in a pack (token lists, thresholds); checks read them via options.ts. */
export type RuleOptions = Record<string, unknown>;

/** A rule as loaded from its pack: RuleMeta plus the pack's options for its check. */
export interface PackRule extends RuleMeta {
  options?: RuleOptions;
}

export interface RulePack {
  pack: string;
  version: 1;
  /** The file it was read from (for error messages). */
  file: string;
  rules: PackRule[];
}

/** A pack file that does not have the documented shape. The message names the file and the rule. */
export class PackError extends Error {
  constructor(
    readonly file: string,
    readonly ruleId: string | undefined,
    problem: string,
  ) {
    super(`${file}${ruleId === undefined ? '' : `: rule "${ruleId}"`}: ${problem}`);
    this.name = 'PackError';
  }
}

/** `rules/` beside `src/` and `dist/`: this module sits at `<root>/{src,dist}/engine/packs.{ts,js}`. */
export function builtinRulesDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../rules');
}

const PACK_KEYS = new Set(['pack', 'version', 'rules']);
const RULE_KEYS = new Set([
  'id', 'level', 'title', 'rationale', 'fix', 'references', 'tags', 'facts',
  'securitySeverity', 'precision', 'messages', 'check', 'examples', 'options',
]);
const REQUIRED_RULE_KEYS = [...RULE_KEYS].filter((key) => key !== 'examples' && key !== 'options');
const LEVELS: readonly Level[] = ['error', 'warning', 'note'];
const FACTS: readonly FactKind[] = ['live', 'source', 'http', 'repo'];
const PRECISIONS: readonly RuleMeta['precision'][] = ['very-high', 'high', 'medium', 'low'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
const MAX_TAGS = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Parses one pack file's text. Throws PackError naming the file (and rule) on bad data. */
export function parsePack(text: string, file: string): RulePack {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new PackError(file, undefined, `is not valid YAML (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(data)) throw new PackError(file, undefined, 'must be a mapping with "pack", "version" and "rules"');
  for (const key of Object.keys(data)) {
    if (!PACK_KEYS.has(key)) throw new PackError(file, undefined, `unknown top-level field "${key}"`);
  }
  const pack = data.pack;
  if (typeof pack !== 'string' || !KEBAB.test(pack)) {
    throw new PackError(file, undefined, `"pack" must be a kebab-case name (got ${show(pack)})`);
  }
  if (data.version !== 1) throw new PackError(file, undefined, `"version" must be 1 (got ${show(data.version)})`);
  if (!Array.isArray(data.rules)) throw new PackError(file, undefined, '"rules" must be a list');
  const rules = data.rules.map((raw: unknown, index) => parseRule(raw, pack, file, index));
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new PackError(file, rule.id, 'is declared twice');
    seen.add(rule.id);
  }
  return { pack, version: 1, file, rules };
}

function parseRule(raw: unknown, pack: string, file: string, index: number): PackRule {
  if (!isRecord(raw)) throw new PackError(file, `#${index + 1}`, 'must be a mapping');
  const id = typeof raw.id === 'string' ? raw.id : `#${index + 1}`;
  const fail = (problem: string): never => {
    throw new PackError(file, id, problem);
  };
  for (const key of Object.keys(raw)) if (!RULE_KEYS.has(key)) fail(`unknown field "${key}"`);
  for (const key of REQUIRED_RULE_KEYS) if (raw[key] === undefined) fail(`missing field "${key}"`);

  const [idPack, idName, ...rest] = id.split('/');
  if (idPack !== pack || idName === undefined || !KEBAB.test(idName) || rest.length > 0) {
    fail(`"id" must read "${pack}/<kebab-case-name>"`);
  }
  if (!isOneOf(raw.level, LEVELS)) fail(`"level" must be one of ${LEVELS.join(', ')} (got ${show(raw.level)})`);
  const text = (key: string): string => {
    const value = raw[key];
    return typeof value === 'string' && value.trim().length > 0 ? value : fail(`"${key}" must be a non-empty string`);
  };
  const strings = (key: string): string[] => {
    const value = raw[key];
    return Array.isArray(value) && value.every((item) => typeof item === 'string')
      ? value
      : fail(`"${key}" must be a list of strings`);
  };

  const references = Array.isArray(raw.references) ? raw.references : fail('"references" must be a list');
  const parsedReferences: RuleReference[] = references.map((reference: unknown) =>
    isRecord(reference) && typeof reference.title === 'string' && typeof reference.url === 'string' && /^https:\/\//.test(reference.url)
      ? { title: reference.title, url: reference.url }
      : fail(`each reference needs "title" and an https "url" (got ${show(reference)})`),
  );

  const tags = strings('tags');
  if (tags.length > MAX_TAGS) fail(`has ${tags.length} tags; GitHub shows at most ${MAX_TAGS}`);
  const facts = strings('facts');
  if (facts.length === 0 || !facts.every((fact) => isOneOf(fact, FACTS))) {
    fail(`"facts" must list some of ${FACTS.join(', ')} (got ${show(facts)})`);
  }

  const severity = raw.securitySeverity;
  const severityNumber = typeof severity === 'string' && /^\d{1,2}(?:\.\d)?$/.test(severity) ? Number(severity) : NaN;
  if (!(severityNumber > 0 && severityNumber <= 10)) {
    fail(`"securitySeverity" must be a string score in (0.0, 10.0], e.g. "8.1" (got ${show(severity)})`);
  }
  if (!isOneOf(raw.precision, PRECISIONS)) fail(`"precision" must be one of ${PRECISIONS.join(', ')}`);

  const messages = isRecord(raw.messages) ? raw.messages : fail('"messages" must map message ids to templates');
  if (Object.keys(messages).length === 0) fail('"messages" is empty');
  for (const [messageId, template] of Object.entries(messages)) {
    if (!CAMEL.test(messageId)) fail(`message id "${messageId}" must be camelCase`);
    if (typeof template !== 'string' || template.trim() === '') fail(`message "${messageId}" must be a non-empty string`);
  }

  let examples: RuleMeta['examples'];
  if (raw.examples !== undefined) {
    const value = isRecord(raw.examples) ? raw.examples : fail('"examples" must have "bad" and/or "good"');
    for (const key of Object.keys(value)) {
      if ((key !== 'bad' && key !== 'good') || typeof value[key] !== 'string') fail(`"examples.${key}" is not allowed`);
    }
    examples = { ...(typeof value.bad === 'string' ? { bad: value.bad } : {}), ...(typeof value.good === 'string' ? { good: value.good } : {}) };
  }
  if (raw.options !== undefined && !isRecord(raw.options)) fail('"options" must be a mapping');

  const rule: PackRule = {
    id,
    pack,
    level: raw.level as Level,
    title: text('title'),
    rationale: text('rationale'),
    fix: text('fix'),
    references: parsedReferences,
    tags,
    facts: facts as FactKind[],
    securitySeverity: severity as string,
    precision: raw.precision as RuleMeta['precision'],
    messages: messages as Record<string, string>,
    check: text('check'),
  };
  if (examples !== undefined) rule.examples = examples;
  if (isRecord(raw.options)) rule.options = raw.options;
  return rule;
}

export function loadPackFile(file: string): RulePack {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PackError(file, undefined, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  return parsePack(text, file);
}

/** Every `*.yaml` pack in `dir` (default: the built-in `rules/`), in file-name order. */
export function loadPacks(dir: string = builtinRulesDir()): RulePack[] {
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

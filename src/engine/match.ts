import { isRecord, joinPath, schemaTypes } from '../checks/json-schema.js';
import { packRegExp, type PackRegExp } from '../util/ascii-twin.js';
import { ALL_ROLES, modelVisibleText } from '../checks/model-visible-text.js';
import { splitWords } from '../checks/words.js';
import type { CapabilityKind, CapabilityRef, Inventory } from '../inventory/model.js';
import { formatTemplate, templatePlaceholders } from './format.js';
import type { Condition, Match, MatchSpec, SchemaTest, TextTest } from './match-spec.js';
import type { CheckContext, CheckFunction, RuleMeta } from './types.js';

export type { Condition, Match, MatchSpec, SchemaTest, TextTest } from './match-spec.js';

/**
 * Declarative rules: a pack's `match` compiled into a CheckFunction. A match names capability kinds
 * and a list of conditions that must all hold; the last condition names what each finding points at
 * (one finding per hit: a field, a matched substring, a parameter, a prompt argument). A rule with
 * several messages gives a list of patterns, one per message. The format is documented in
 * schemas/pack.schema.json and docs/custom-packs.md.
 */

/** A match that cannot be compiled; `path` is relative to the rule's `match`. */
export class MatchError extends Error {
  constructor(
    readonly path: Array<string | number>,
    message: string,
  ) {
    super(message);
    this.name = 'MatchError';
  }
}

const DEFAULT_KINDS: readonly CapabilityKind[] = ['tool', 'resource', 'resourceTemplate', 'prompt'];
const MAX_TEXT = 100_000;
const MAX_PARAMETER_DEPTH = 8;

interface Subject {
  ref: CapabilityRef;
  value: Record<string, unknown>;
}

interface Hit {
  field: string;
  evidence?: string;
  data: Record<string, string>;
  /** Data of `as:` conditions, carried to the findings of the whole pattern. */
  named?: Record<string, string>;
}

interface Scope {
  inventory: Inventory;
  /** Lazily built: every model-visible text, keyed by `kind name`. */
  texts?: Map<string, Array<{ field: string; text: string }>>;
}

type Evaluator = (subject: Subject, scope: Scope) => Hit[] | null;
type TextMatcher = (text: string) => string | undefined;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function globRegex(glob: string): RegExp {
  const body = [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : escapeRegex(char))).join('');
  return new RegExp(`^${body}$`, 'isu');
}

function compileText(test: TextTest, rule: RuleMeta, path: Array<string | number>): TextMatcher[] {
  const matchers: TextMatcher[] = [];
  if (test.regex !== undefined) {
    let regex: PackRegExp;
    try {
      regex = packRegExp(test.regex, test.flags ?? 'iu');
    } catch (error) {
      throw new MatchError([...path, 'regex'], `"regex" is not a valid regular expression (${(error as Error).message})`);
    }
    matchers.push((text) => regex.exec(text.slice(0, MAX_TEXT))?.[0]);
  }
  if (test.rivals !== undefined && test.tokens === undefined) throw new MatchError([...path, 'rivals'], '"rivals" needs "tokens" beside it');
  if (test.tokens !== undefined) {
    const wanted = new Set(wordList(test.tokens, 'tokens', rule, path));
    const rivals = new Set(test.rivals === undefined ? [] : wordList(test.rivals, 'rivals', rule, path));
    // The first word of either list decides: `get_roots_list` is a get when `get` is a rival of `list`.
    matchers.push((text) => {
      const word = splitWords(text.slice(0, MAX_TEXT)).find((candidate) => wanted.has(candidate) || rivals.has(candidate));
      return word !== undefined && wanted.has(word) ? word : undefined;
    });
  }
  if (test.contains !== undefined) {
    const needles = test.contains.map((needle) => needle.toLowerCase());
    matchers.push((text) => {
      const lower = text.slice(0, MAX_TEXT).toLowerCase();
      const index = needles.findIndex((needle) => needle !== '' && lower.includes(needle));
      const needle = needles[index];
      if (needle === undefined) return undefined;
      const at = lower.indexOf(needle);
      return text.slice(at, at + needle.length);
    });
  }
  if (test.below !== undefined) {
    const named = optionsOf(rule)[test.below];
    if (Object.hasOwn(optionsOf(rule), test.below) && typeof named !== 'string') {
      throw new MatchError([...path, 'below'], `"below" names option "${test.below}", which is not a string`);
    }
    const bound = typeof named === 'string' ? named : test.below;
    matchers.push((text) => (text < bound ? text : undefined));
  }
  if (test.glob !== undefined) {
    const regex = globRegex(test.glob);
    matchers.push((text) => (regex.test(text) ? text : undefined));
  }
  return matchers;
}

/** A list of words, given inline or as the name of a string list in the rule's options; lower-cased. */
function wordList(value: string[] | string, key: string, rule: RuleMeta, path: Array<string | number>): string[] {
  let words: unknown = value;
  if (typeof words === 'string') {
    const fromOptions = optionsOf(rule)[words];
    if (!Array.isArray(fromOptions) || !fromOptions.every((item) => typeof item === 'string')) {
      throw new MatchError([...path, key], `"${key}" names option "${words}", which is not a list of strings under the rule's "options"`);
    }
    words = fromOptions;
  }
  return (words as string[]).map((word) => word.toLowerCase());
}

function optionsOf(rule: RuleMeta): Record<string, unknown> {
  return isRecord(rule.options) ? rule.options : {};
}

/** All matchers must accept; the evidence is the first matcher's. */
function runMatchers(matchers: readonly TextMatcher[], text: string): string | undefined {
  let evidence: string | undefined;
  for (const matcher of matchers) {
    const found = matcher(text);
    if (found === undefined) return undefined;
    evidence ??= found;
  }
  return evidence;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function compileSchemaTest(test: SchemaTest): (schema: unknown) => boolean {
  const types = test.type === undefined ? undefined : Array.isArray(test.type) ? test.type : [test.type];
  return (schema) => {
    const anything = schema === true || (isRecord(schema) && Object.keys(schema).filter((key) => key !== 'description' && key !== 'title').length === 0);
    if (test.anything !== undefined && anything !== test.anything) return false;
    if (types !== undefined) {
      const actual = schemaTypes(schema) ?? [];
      if (!actual.some((type) => types.includes(type))) return false;
    }
    const record = isRecord(schema) ? schema : {};
    if (test.lacks !== undefined && test.lacks.some((keyword) => record[keyword] !== undefined)) return false;
    if (test.has !== undefined && !test.has.every((keyword) => record[keyword] !== undefined)) return false;
    if (test.blank !== undefined) {
      if (!isRecord(schema)) return false;
      if (test.blank.some((keyword) => typeof schema[keyword] === 'string' && schema[keyword].trim() !== '')) return false;
    }
    if (test.additionalProperties !== undefined) {
      if (!isRecord(schema)) return false;
      const closed = schema.additionalProperties === false || schema.unevaluatedProperties === false;
      if ((test.additionalProperties === 'closed') !== closed) return false;
    }
    return true;
  };
}

function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const segment of path.split('.')) {
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function textsOf(subject: Subject, scope: Scope): Array<{ field: string; text: string }> {
  if (scope.texts === undefined) {
    scope.texts = new Map();
    for (const entry of modelVisibleText(
      scope.inventory,
      ALL_ROLES.filter((role) => role !== 'log'),
    )) {
      const key = `${entry.capability.kind} ${entry.capability.name ?? ''}`;
      const list = scope.texts.get(key) ?? [];
      list.push({ field: entry.field, text: entry.text });
      scope.texts.set(key, list);
    }
  }
  return scope.texts.get(`${subject.ref.kind} ${subject.ref.name ?? ''}`) ?? [];
}

function* parameters(schema: unknown, base: string, nested: boolean, depth = 0): Generator<{ name: string; field: string; schema: unknown }> {
  if (!isRecord(schema) || depth > MAX_PARAMETER_DEPTH) return;
  if (isRecord(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) {
      const field = joinPath(joinPath(base, 'properties'), name);
      yield { name, field, schema: child };
      if (nested) yield* parameters(child, field, nested, depth + 1);
    }
  }
  if (nested && isRecord(schema.items)) yield* parameters(schema.items, joinPath(base, 'items'), nested, depth + 1);
}

function* promptArguments(value: unknown): Generator<{ name: string; field: string; argument: Record<string, unknown> }> {
  if (!Array.isArray(value)) return;
  for (const argument of value) {
    if (isRecord(argument) && typeof argument.name === 'string') yield { name: argument.name, field: joinPath('arguments', argument.name), argument };
  }
}

function fieldOf(condition: Condition): string {
  if (condition.field !== undefined) return condition.field;
  if (condition.parameter !== undefined) return 'inputSchema';
  if (condition.argument !== undefined) return 'arguments';
  if (condition.not !== undefined) return fieldOf(condition.not);
  const last = condition.all?.at(-1) ?? condition.any?.[0];
  return last === undefined ? '' : fieldOf(last);
}

const COMBINATORS = ['field', 'parameter', 'argument', 'not', 'any', 'all'] as const;
const TEXT_KEYS = ['regex', 'glob', 'tokens', 'rivals', 'contains', 'equals', 'below'] as const;
const NAME = /^[A-Za-z_]\w*$/;

/** Every hit also keeps its evidence under the condition's `as` name. */
function compileCondition(condition: Condition, rule: RuleMeta, path: Array<string | number>): Evaluator {
  const evaluate = compileHead(condition, rule, path);
  const as = condition.as;
  if (as === undefined) return evaluate;
  if (!NAME.test(as)) throw new MatchError([...path, 'as'], `"as" must be a placeholder name (letters, digits, _), got "${as}"`);
  if (condition.not !== undefined) throw new MatchError([...path, 'as'], '"as" names what a condition matched; a "not" matches nothing');
  return (subject, scope) => {
    const hits = evaluate(subject, scope);
    return hits?.map((hit) => ({ ...hit, named: { ...hit.named, [as]: hit.evidence ?? '' } })) ?? null;
  };
}

function compileHead(condition: Condition, rule: RuleMeta, path: Array<string | number>): Evaluator {
  const heads = COMBINATORS.filter((key) => condition[key] !== undefined);
  if (heads.length !== 1) {
    throw new MatchError(path, `a condition needs exactly one of ${COMBINATORS.join(', ')} (got ${heads.length === 0 ? 'none' : heads.join(' and ')})`);
  }
  const head = heads[0]!;
  if (head !== 'field') {
    const stray = [...TEXT_KEYS, 'exists', 'schema', 'flags'].filter((key) => (condition as Record<string, unknown>)[key] !== undefined);
    if (stray.length > 0) throw new MatchError(path, `"${stray[0]}" applies to a "field" condition, not to "${head}"`);
  }
  if (head === 'not') {
    const inner = compileCondition(condition.not!, rule, [...path, 'not']);
    const field = fieldOf(condition.not!);
    return (subject, scope) => (inner(subject, scope) === null ? [{ field, data: {} }] : null);
  }
  if (head === 'any' || head === 'all') {
    const parts = condition[head]!.map((part, index) => compileCondition(part, rule, [...path, head, index]));
    if (head === 'any') {
      return (subject, scope) => {
        const hits = parts.flatMap((part) => part(subject, scope) ?? []);
        return hits.length > 0 ? hits : null;
      };
    }
    return (subject, scope) => {
      let last: Hit[] | null = null;
      let named: Record<string, string> = {};
      for (const part of parts) {
        last = part(subject, scope);
        if (last === null) return null;
        named = { ...named, ...last[0]?.named };
      }
      return last === null ? null : last.map((hit) => ({ ...hit, named: { ...named, ...hit.named } }));
    };
  }
  if (head === 'parameter') {
    const spec = condition.parameter!;
    const nameMatchers = spec.name === undefined ? [] : compileText(spec.name, rule, [...path, 'parameter', 'name']);
    const nameEquals = spec.name?.equals;
    const schemaTest = spec.schema === undefined ? undefined : compileSchemaTest(spec.schema);
    const nested = spec.nested ?? true;
    return (subject) => {
      if (subject.ref.kind !== 'tool') return null;
      const hits: Hit[] = [];
      for (const parameter of parameters(subject.value.inputSchema, 'inputSchema', nested)) {
        if (nameEquals !== undefined && !sameValue(parameter.name, nameEquals)) continue;
        if (nameMatchers.length > 0 && runMatchers(nameMatchers, parameter.name) === undefined) continue;
        if (schemaTest && !schemaTest(parameter.schema)) continue;
        hits.push({ field: parameter.field, evidence: parameter.name, data: { parameter: parameter.name, match: parameter.name } });
      }
      if (hits.length === 0) return null;
      if (spec.group !== true) return hits;
      // One hit per tool: the parameters' common parent, and every name.
      const names = hits.map((hit) => hit.evidence!).join(', ');
      const topLevel = hits.every((hit) => hit.field === joinPath(joinPath('inputSchema', 'properties'), hit.evidence!));
      return [{ field: topLevel ? 'inputSchema.properties' : 'inputSchema', evidence: names, data: { parameters: names, match: names } }];
    };
  }
  if (head === 'argument') {
    const spec = condition.argument!;
    const nameMatchers = spec.name === undefined ? [] : compileText(spec.name, rule, [...path, 'argument', 'name']);
    const nameEquals = spec.name?.equals;
    const schemaTest = spec.schema === undefined ? undefined : compileSchemaTest(spec.schema);
    return (subject) => {
      if (subject.ref.kind !== 'prompt') return null;
      const hits: Hit[] = [];
      for (const argument of promptArguments(subject.value.arguments)) {
        if (nameEquals !== undefined && !sameValue(argument.name, nameEquals)) continue;
        if (nameMatchers.length > 0 && runMatchers(nameMatchers, argument.name) === undefined) continue;
        if (schemaTest && !schemaTest(argument.argument)) continue;
        hits.push({ field: argument.field, evidence: argument.name, data: { argument: argument.name, match: argument.name } });
      }
      return hits.length > 0 ? hits : null;
    };
  }

  const field = condition.field!;
  const matchers = compileText(condition, rule, path);
  const schemaTest = condition.schema === undefined ? undefined : compileSchemaTest(condition.schema);
  const hasEquals = Object.hasOwn(condition, 'equals');
  const exists = condition.exists ?? (matchers.length === 0 && !hasEquals && schemaTest === undefined ? true : undefined);
  return (subject, scope) => {
    const entries: Array<{ field: string; value: unknown }> =
      field === 'text'
        ? textsOf(subject, scope).map((entry) => ({ field: entry.field, value: entry.text }))
        : [{ field, value: readPath(subject.value, field) }];
    const hits: Hit[] = [];
    for (const entry of entries) {
      const present = entry.value !== undefined && entry.value !== null;
      if (exists !== undefined && present !== exists) continue;
      if (hasEquals && !sameValue(entry.value, condition.equals)) continue;
      if (schemaTest && !schemaTest(entry.value)) continue;
      let evidence: string | undefined;
      if (matchers.length > 0) {
        if (typeof entry.value !== 'string') continue;
        evidence = runMatchers(matchers, entry.value);
        if (evidence === undefined) continue;
      }
      hits.push({ field: entry.field, ...(evidence === undefined ? {} : { evidence }), data: evidence === undefined ? {} : { match: evidence } });
    }
    return hits.length > 0 ? hits : null;
  };
}

function subjects(inventory: Inventory, kinds: readonly CapabilityKind[]): Subject[] {
  const out: Subject[] = [];
  const add = (ref: CapabilityRef, value: object) => out.push({ ref, value: value as Record<string, unknown> });
  if (kinds.includes('server')) {
    const { info, instructions, capabilities, protocolVersion } = inventory.server;
    add({ kind: 'server' }, { ...info, info, instructions, capabilities, protocolVersion });
  }
  if (kinds.includes('tool')) for (const tool of inventory.tools) add({ kind: 'tool', name: tool.name }, tool);
  if (kinds.includes('resource')) for (const resource of inventory.resources) add({ kind: 'resource', name: resource.name }, resource);
  if (kinds.includes('resourceTemplate')) for (const template of inventory.resourceTemplates) add({ kind: 'resourceTemplate', name: template.name }, template);
  if (kinds.includes('prompt')) for (const prompt of inventory.prompts) add({ kind: 'prompt', name: prompt.name }, prompt);
  return out;
}

/** Placeholders every template of a pattern may use, besides the `as:` names and the rule's options. */
const STANDARD_PLACEHOLDERS = [
  'name',
  'kind',
  'tool',
  'resource',
  'resourceTemplate',
  'prompt',
  'server',
  'match',
  'parameter',
  'parameters',
  'argument',
  'field',
  'parameterNames',
];

function namesOf(condition: Condition): string[] {
  return [
    ...(condition.as === undefined ? [] : [condition.as]),
    ...(condition.not === undefined ? [] : namesOf(condition.not)),
    ...[...(condition.any ?? []), ...(condition.all ?? [])].flatMap(namesOf),
  ];
}

function checkTemplate(template: string, known: ReadonlySet<string>, path: Array<string | number>): void {
  const unknown = templatePlaceholders(template).find((name) => !known.has(name));
  if (unknown !== undefined) throw new MatchError(path, `"{{${unknown}}}" is not a placeholder a match fills (${[...known].join(', ')})`);
}

/** A tool's top-level parameter names, comma-separated (`{{parameterNames}}`). */
function parameterNames(subject: Subject): string {
  const schema = subject.value.inputSchema;
  return isRecord(schema) && isRecord(schema.properties) ? Object.keys(schema.properties).join(', ') : '';
}

function compileSpec(rule: RuleMeta, spec: MatchSpec, path: Array<string | number>): CheckFunction {
  if (!isRecord(spec) || !Array.isArray(spec.all)) throw new MatchError(path, 'a pattern needs "all", a list of conditions');
  const messageId = spec.message ?? Object.keys(rule.messages)[0];
  if (messageId === undefined || !Object.hasOwn(rule.messages, messageId)) {
    throw new MatchError(
      [...path, 'message'],
      `"message" names "${messageId}", which is not one of the rule's messages (${Object.keys(rule.messages).join(', ')})`,
    );
  }
  const evaluate = compileCondition({ all: spec.all }, rule, path);
  const kinds = spec.kinds ?? DEFAULT_KINDS;
  const options = optionsOf(rule);
  const known = new Set([...STANDARD_PLACEHOLDERS, ...spec.all.flatMap(namesOf), ...Object.keys(options)]);
  for (const key of ['field', 'evidence'] as const) if (spec[key] !== undefined) checkTemplate(spec[key], known, [...path, key]);
  for (const [key, template] of Object.entries(spec.data ?? {})) {
    if (!NAME.test(key)) throw new MatchError([...path, 'data', key], `"data" keys are placeholder names (letters, digits, _), got "${key}"`);
    checkTemplate(template, known, [...path, 'data', key]);
  }
  const used = templatePlaceholders(rule.messages[messageId]!);
  const optionData: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) optionData[key] = Array.isArray(value) ? value.join(', ') : String(value);
  return (context: CheckContext) => {
    const scope: Scope = { inventory: context.inventory };
    for (const subject of subjects(context.inventory, kinds)) {
      const hits = evaluate(subject, scope);
      if (hits === null) continue;
      const name = subject.ref.name ?? context.inventory.server.info.name ?? context.inventory.target.name;
      for (const hit of hits) {
        const data: Record<string, string> = { name, kind: subject.ref.kind, [subject.ref.kind]: name, ...hit.named, ...hit.data };
        const fill = (template: string) => formatTemplate(template, { ...optionData, parameterNames: parameterNames(subject), field: hit.field, ...data });
        for (const [key, template] of Object.entries(spec.data ?? {})) data[key] = fill(template);
        const field = spec.field === undefined ? hit.field : fill(spec.field);
        const evidence = spec.evidence === undefined ? hit.evidence : fill(spec.evidence);
        context.report({
          messageId,
          // A finding carries the data its message shows, as a TypeScript check's does.
          data: Object.fromEntries(used.filter((key) => data[key] !== undefined).map((key) => [key, data[key]!])),
          capability: subject.ref,
          ...(field === '' ? {} : { field }),
          ...(evidence === undefined ? {} : { evidence }),
        });
      }
    }
  };
}

/** Compiles a rule's `match` (one pattern or a list); throws MatchError (with a path inside `match`) when it cannot work. */
export function compileMatch(rule: RuleMeta & { match: Match }): CheckFunction {
  const specs = Array.isArray(rule.match) ? rule.match : [rule.match];
  if (specs.length === 0) throw new MatchError([], 'a list of patterns needs at least one');
  const checks = specs.map((spec, index) => compileSpec(rule, spec, Array.isArray(rule.match) ? [index] : []));
  return (context: CheckContext) => {
    for (const check of checks) check(context);
  };
}

const compiled = new WeakMap<object, CheckFunction>();

/** The check for a declarative rule, compiled once per loaded rule. */
export function matchCheck(rule: RuleMeta & { match: Match }): CheckFunction {
  let check = compiled.get(rule);
  if (check === undefined) {
    check = compileMatch(rule);
    compiled.set(rule, check);
  }
  return check;
}

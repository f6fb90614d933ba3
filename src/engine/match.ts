import { isRecord, joinPath, schemaTypes } from '../checks/json-schema.js';
import { ALL_ROLES, modelVisibleText } from '../checks/model-visible-text.js';
import { splitWords } from '../checks/words.js';
import type { CapabilityKind, CapabilityRef, Inventory } from '../inventory/model.js';
import type { CheckContext, CheckFunction, RuleMeta } from './types.js';

/**
 * Declarative rules: a pack's `match` compiled into a CheckFunction. A match names capability kinds
 * and a list of conditions that must all hold; the last condition names what each finding points at
 * (one finding per hit: a field, a matched substring, a parameter). The format is documented in
 * schemas/pack.schema.json and docs/custom-packs.md.
 */

export interface TextTest {
  regex?: string;
  flags?: string;
  glob?: string;
  /** Words of which one must occur, or the name of a string list in the rule's options. */
  tokens?: string[] | string;
  contains?: string[];
  equals?: unknown;
}

export interface SchemaTest {
  type?: string | string[];
  lacks?: string[];
  has?: string[];
  additionalProperties?: 'open' | 'closed';
  anything?: boolean;
}

export interface Condition extends TextTest {
  field?: string;
  exists?: boolean;
  schema?: SchemaTest;
  parameter?: { name?: TextTest; schema?: SchemaTest; nested?: boolean };
  not?: Condition;
  any?: Condition[];
  all?: Condition[];
}

export interface MatchSpec {
  kinds?: CapabilityKind[];
  all: Condition[];
  message?: string;
}

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
    let regex: RegExp;
    try {
      regex = new RegExp(test.regex, test.flags ?? 'iu');
    } catch (error) {
      throw new MatchError([...path, 'regex'], `"regex" is not a valid regular expression (${(error as Error).message})`);
    }
    matchers.push((text) => regex.exec(text.slice(0, MAX_TEXT))?.[0]);
  }
  if (test.tokens !== undefined) {
    let tokens: unknown = test.tokens;
    if (typeof tokens === 'string') {
      const fromOptions = optionsOf(rule)[tokens];
      if (!Array.isArray(fromOptions) || !fromOptions.every((item) => typeof item === 'string')) {
        throw new MatchError([...path, 'tokens'], `"tokens" names option "${tokens}", which is not a list of strings under the rule's "options"`);
      }
      tokens = fromOptions;
    }
    const wanted = new Set((tokens as string[]).map((token) => token.toLowerCase()));
    matchers.push((text) => splitWords(text.slice(0, MAX_TEXT)).find((word) => wanted.has(word)));
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
  if (test.glob !== undefined) {
    const regex = globRegex(test.glob);
    matchers.push((text) => (regex.test(text) ? text : undefined));
  }
  return matchers;
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
    for (const entry of modelVisibleText(scope.inventory, ALL_ROLES.filter((role) => role !== 'log'))) {
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

function fieldOf(condition: Condition): string {
  if (condition.field !== undefined) return condition.field;
  if (condition.parameter !== undefined) return 'inputSchema';
  if (condition.not !== undefined) return fieldOf(condition.not);
  const last = condition.all?.at(-1) ?? condition.any?.[0];
  return last === undefined ? '' : fieldOf(last);
}

const COMBINATORS = ['field', 'parameter', 'not', 'any', 'all'] as const;
const TEXT_KEYS = ['regex', 'glob', 'tokens', 'contains', 'equals'] as const;

function compileCondition(condition: Condition, rule: RuleMeta, path: Array<string | number>): Evaluator {
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
      for (const part of parts) {
        last = part(subject, scope);
        if (last === null) return null;
      }
      return last;
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
      field === 'text' ? textsOf(subject, scope).map((entry) => ({ field: entry.field, value: entry.text })) : [{ field, value: readPath(subject.value, field) }];
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

/** Compiles a rule's `match`; throws MatchError (with a path inside `match`) when it cannot work. */
export function compileMatch(rule: RuleMeta & { match: MatchSpec }): CheckFunction {
  const spec = rule.match;
  const messageId = spec.message ?? Object.keys(rule.messages)[0];
  if (messageId === undefined || !Object.hasOwn(rule.messages, messageId)) {
    throw new MatchError(['message'], `"message" names "${messageId}", which is not one of the rule's messages (${Object.keys(rule.messages).join(', ')})`);
  }
  const evaluate = compileCondition({ all: spec.all }, rule, []);
  const kinds = spec.kinds ?? DEFAULT_KINDS;
  return (context: CheckContext) => {
    const scope: Scope = { inventory: context.inventory };
    for (const subject of subjects(context.inventory, kinds)) {
      const hits = evaluate(subject, scope);
      if (hits === null) continue;
      const name = subject.ref.name ?? context.inventory.server.info.name ?? context.inventory.target.name;
      for (const hit of hits) {
        context.report({
          messageId,
          data: { name, kind: subject.ref.kind, [subject.ref.kind]: name, ...hit.data },
          capability: subject.ref,
          ...(hit.field === '' ? {} : { field: hit.field }),
          ...(hit.evidence === undefined ? {} : { evidence: hit.evidence }),
        });
      }
    }
  };
}

const compiled = new WeakMap<object, CheckFunction>();

/** The check for a declarative rule, compiled once per loaded rule. */
export function matchCheck(rule: RuleMeta & { match: MatchSpec }): CheckFunction {
  let check = compiled.get(rule);
  if (check === undefined) {
    check = compileMatch(rule);
    compiled.set(rule, check);
  }
  return check;
}

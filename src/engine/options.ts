import type { ValidateFunction } from 'ajv';
import { compileSchema } from '../util/yaml-schema.js';
import type { RuleMeta } from './types.js';

/**
 * Typed access to a rule's pack `options`. RuleMeta has no `options` field, so the engine passes the
 * loaded PackRule as `context.rule` and checks read the options through here. A missing or
 * ill-typed option is a pack error, reported with the rule id.
 */

function optionsOf(rule: RuleMeta): Record<string, unknown> {
  const options = 'options' in rule ? rule.options : undefined;
  return typeof options === 'object' && options !== null && !Array.isArray(options) ? options : {};
}

function optionError(rule: RuleMeta, key: string, expected: string): Error {
  return new Error(`rule "${rule.id}": option "${key}" must be ${expected} (set it under "options" in the pack)`);
}

export function stringListOption(rule: RuleMeta, key: string): string[] {
  const value = optionsOf(rule)[key];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw optionError(rule, key, 'a list of strings');
}

export function numberOption(rule: RuleMeta, key: string): number {
  const value = optionsOf(rule)[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw optionError(rule, key, 'a number');
}

/** A list of mappings, each checked by `parse` (which throws a plain message on bad items). */
export function recordListOption<T>(rule: RuleMeta, key: string, parse: (item: Record<string, unknown>) => T): T[] {
  const value = optionsOf(rule)[key];
  if (!Array.isArray(value)) throw optionError(rule, key, 'a list');
  return value.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw optionError(rule, `${key}[${index}]`, 'a mapping');
    try {
      return parse(item as Record<string, unknown>);
    } catch (error) {
      throw optionError(rule, `${key}[${index}]`, error instanceof Error ? error.message : String(error));
    }
  });
}

const validators = new WeakMap<object, ValidateFunction>();

/**
 * The compiled validator of a rule's `optionsSchema` (a rule without one takes no options), cached
 * by the schema object, which copies of the rule share. An invalid schema throws.
 */
export function optionsValidator(rule: RuleMeta & { optionsSchema?: Record<string, unknown> }): ValidateFunction {
  const schema = rule.optionsSchema ?? NO_OPTIONS;
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = compileSchema(schema);
    validators.set(schema, validate);
  }
  return validate;
}

const NO_OPTIONS: Record<string, unknown> = { type: 'object', additionalProperties: false, properties: {} };

import type { CheckRules, RuleTypes } from './generated/rule-types.js';
import type { CheckContext, CheckFunction, FindingInput } from './types.js';

/**
 * A built-in check, typed by the pack it serves: `defineCheck('design/shell-like-tool', (context) => …)`
 * gives `context.report` the rule's message ids and `context.options` the type of its options, both
 * generated from rules/*.yaml (src/engine/compile-packs.ts), so a misspelt message id or a misread
 * option fails tsc. The name is also how the generated registry finds the check.
 */

export type RuleId = keyof RuleTypes;
export type CheckName = keyof CheckRules;
export type MessageIdOf<R extends RuleId> = RuleTypes[R]['messageId'];
export type OptionsOf<R extends RuleId> = RuleTypes[R]['options'];

export type TypedFindingInput<M extends string> = FindingInput<M>;

export interface TypedCheckContext<R extends RuleId> extends Omit<CheckContext, 'report' | 'options'> {
  /** The rule's options: the pack's defaults merged with the config's, validated against `optionsSchema`. */
  options: OptionsOf<R>;
  report(finding: TypedFindingInput<MessageIdOf<R>>): void;
}

export function defineCheck<C extends CheckName>(name: C, check: (context: TypedCheckContext<CheckRules[C]>) => void): CheckFunction {
  void name;
  return check as unknown as CheckFunction;
}

import { loadBuiltinRules, type PackRule } from '../../src/engine/packs.js';
import { findRule, runRules } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import type { Inventory } from '../../src/inventory/model.js';

let cached: PackRule[] | undefined;

export function builtinRule(id: string): PackRule {
  cached ??= loadBuiltinRules();
  return findRule(cached, id);
}

/** Runs one built-in rule over an inventory and returns its findings. */
export function runRule(id: string, inventory: Inventory): Finding[] {
  return runRules(inventory, [builtinRule(id)], { targetId: 'test-server' }).findings;
}

/** The parts of a finding the rule tests assert on: structure, not prose. */
export function shape(finding: Finding): Pick<Finding, 'ruleId' | 'messageId' | 'capability' | 'field'> {
  return { ruleId: finding.ruleId, messageId: finding.messageId, capability: finding.capability, field: finding.field };
}

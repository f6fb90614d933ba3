import { defineCheck } from '../../engine/define-check.js';
import { describeCapability } from '../../engine/format.js';
import { changesOf } from './changes.js';

/**
 * drift/*-added: a capability the lockfile does not have. Three rules share this check, one level
 * each; the pack's `riskClasses` option says which computed risk classes a rule takes.
 */
export const capabilityAdded = defineCheck('drift/capability-added', ({ inventory, rule, report }) => {
  const classes = new Set((rule.options?.riskClasses as string[] | undefined) ?? []);
  for (const change of changesOf(inventory, 'added')) {
    if (!classes.has(change.risk)) continue;
    report({
      messageId: 'added',
      data: { capability: describeCapability(change.capability), risk: change.risk },
      capability: change.capability,
      evidence: change.risk,
    });
  }
});

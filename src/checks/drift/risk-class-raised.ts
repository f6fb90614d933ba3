import { defineCheck } from '../../engine/define-check.js';
import { describeCapability } from '../../engine/format.js';
import { changesOf } from './changes.js';

/** drift/risk-class-raised: a capability's computed risk class is higher than when it was locked. */
export const riskClassRaised = defineCheck('drift/risk-class-raised', ({ inventory, report }) => {
  for (const change of changesOf(inventory, 'risk')) {
    report({
      messageId: 'raised',
      data: { capability: describeCapability(change.capability), before: change.before, after: change.after },
      capability: change.capability,
      field: 'risk.class',
      evidence: `${change.before}->${change.after}`,
    });
  }
});

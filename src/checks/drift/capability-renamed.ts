import { defineCheck } from '../../engine/define-check.js';
import { describeCapability } from '../../engine/format.js';
import { changesOf } from './changes.js';

/** drift/capability-renamed: same description and schema under a new name (not a removal plus an addition). */
export const capabilityRenamed = defineCheck('drift/capability-renamed', ({ inventory, report }) => {
  for (const change of changesOf(inventory, 'renamed')) {
    report({
      messageId: 'renamed',
      data: { capability: describeCapability(change.capability), from: change.from },
      capability: change.capability,
      field: 'name',
      evidence: `${change.from}->${change.capability.name}`,
    });
  }
});

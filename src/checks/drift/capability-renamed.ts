import { describeCapability } from '../../engine/format.js';
import type { CheckFunction } from '../../engine/types.js';
import { changesOf } from './changes.js';

/** drift/capability-renamed: same description and schema under a new name (not a removal plus an addition). */
export const capabilityRenamed: CheckFunction = ({ inventory, report }) => {
  for (const change of changesOf(inventory, 'renamed')) {
    report({ messageId: 'renamed', data: { capability: describeCapability(change.capability), from: change.from }, capability: change.capability, field: 'name', evidence: `${change.from}->${change.capability.name}` });
  }
};

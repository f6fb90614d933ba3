import { describeCapability } from '../../engine/format.js';
import type { CheckFunction } from '../../engine/types.js';
import { changesOf } from './changes.js';

/** drift/capability-removed: a locked capability the server no longer lists (never judged on a listing cut short). */
export const capabilityRemoved: CheckFunction = ({ inventory, report }) => {
  for (const change of changesOf(inventory, 'removed')) {
    report({ messageId: 'removed', data: { capability: describeCapability(change.capability), risk: change.risk }, capability: change.capability });
  }
};

import { defineCheck } from '../../engine/define-check.js';
import { describeCapability } from '../../engine/format.js';
import { changesOf } from './changes.js';

/** drift/capability-removed: a locked capability the server no longer lists (never judged on a listing cut short). */
export const capabilityRemoved = defineCheck('drift/capability-removed', ({ inventory, report }) => {
  for (const change of changesOf(inventory, 'removed')) {
    report({ messageId: 'removed', data: { capability: describeCapability(change.capability), risk: change.risk }, capability: change.capability });
  }
});

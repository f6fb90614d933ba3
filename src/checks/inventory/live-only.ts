import { defineCheck } from '../../engine/define-check.js';
import { sourceFacts } from '../source-facts.js';

/**
 * inventory/live-only: served live, but registered nowhere in the analysed source (a registration
 * with a computed name may explain it; the message says so). Often a capability added by a library
 * or a wrapper outside the source root.
 */
export const liveOnly = defineCheck('inventory/live-only', ({ inventory, report }) => {
  const merge = sourceFacts(inventory)?.merge;
  if (merge === undefined) return;
  for (const item of merge.liveOnly) {
    const dynamic = merge.dynamicNames[item.kind] ?? 0;
    report({
      messageId: dynamic > 0 ? 'liveOnlyMaybeDynamic' : 'liveOnly',
      data: { name: item.name, kind: item.kind, dynamic },
      capability: { kind: item.kind, name: item.name },
      evidence: item.name,
    });
  }
});

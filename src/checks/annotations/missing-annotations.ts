import { defineCheck } from '../../engine/define-check.js';
import { truncateSafely } from '../../secrets/truncate.js';
import { capabilityRef } from '../../inventory/model.js';

/**
 * annotations/missing-annotations: a tool that sets none of `readOnlyHint`, `destructiveHint`,
 * `idempotentHint`, `openWorldHint`. The defaults then apply: not read-only, destructive, open
 * world, so careful clients ask before every call and others cannot tell a lookup from a delete.
 * Annotations exist since revision 2025-03-26; older servers are not judged.
 */
const ANNOTATIONS_SINCE = '2025-03-26';
const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

export const missingAnnotations = defineCheck('annotations/missing-annotations', ({ inventory, report }) => {
  const revision = inventory.server.protocolVersion;
  if (revision !== undefined && revision < ANNOTATIONS_SINCE) return;
  for (const tool of inventory.tools) {
    const annotations = tool.annotations ?? {};
    if (HINTS.some((hint) => typeof annotations[hint] === 'boolean')) continue;
    report({
      messageId: tool.annotations === undefined ? 'noAnnotations' : 'noHints',
      data: { tool: tool.name },
      capability: capabilityRef(tool),
      field: 'annotations',
      evidence: tool.annotations === undefined ? 'annotations: (absent)' : `annotations: ${truncateSafely(JSON.stringify(tool.annotations), 120, '')}`,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

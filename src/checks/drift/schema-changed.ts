import { defineCheck } from '../../engine/define-check.js';
import { describeCapability } from '../../engine/format.js';
import { bounded, changesOf } from './changes.js';

/**
 * drift/schema-loosened and drift/schema-tightened share this check: the pack's `direction` option
 * (`loosened` or `tightened`) says which changes a rule takes.
 */
export const schemaChanged = defineCheck('drift/schema-changed', ({ inventory, rule, report }) => {
  const direction = rule.options?.direction;
  for (const change of changesOf(inventory, 'schema')) {
    if (change.direction !== direction) continue;
    report({
      messageId: change.direction,
      data: { capability: describeCapability(change.capability), changes: bounded(change.changes.join('; '), 300) },
      capability: change.capability,
      field: 'inputSchema',
      evidence: change.changes.join('\n'),
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { describeCapability } from '../../engine/format.js';
import { changesOf } from './changes.js';

/**
 * drift/annotation-riskier and drift/annotation-safer share this check: the pack's `direction`
 * option (`riskier` or `safer`) says which hint changes a rule takes. Unset hints count as the
 * specification's defaults (readOnlyHint false, destructiveHint true, openWorldHint true).
 */
export const annotationChanged = defineCheck('drift/annotation-changed', ({ inventory, rule, report }) => {
  const direction = rule.options?.direction;
  for (const change of changesOf(inventory, 'annotation')) {
    if (change.direction !== direction) continue;
    report({
      messageId: change.direction,
      data: { capability: describeCapability(change.capability), hint: change.hint, before: String(change.before), after: String(change.after) },
      capability: change.capability,
      field: `annotations.${change.hint}`,
      evidence: `${change.before}->${change.after}`,
    });
  }
});

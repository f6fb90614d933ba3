import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';

/** design/too-many-tools: more tools (after every page) than the pack's `maxTools`. */
export const tooManyTools = defineCheck('design/too-many-tools', ({ inventory, rule, report }) => {
  const max = numberOption(rule, 'maxTools');
  const count = inventory.tools.length;
  if (count <= max) return;
  report({ messageId: 'tooMany', data: { count, max }, capability: { kind: 'server' }, field: 'tools', evidence: `${count} tools` });
});

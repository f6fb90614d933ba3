import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';
import { probedCalls, nothingProbed } from '../probe/probe-facts.js';

/**
 * output/unbounded-output-probed (probe part of output/unbounded-output): a probed result (tool
 * call with minimal arguments, resource read, prompt) was larger than `maxBytes` (default 100 KB):
 * with real arguments it will be larger still, and all of it lands in the model's context.
 */
export const unboundedOutputProbed = defineCheck('output/unbounded-output-probed', (context) => {
  const { inventory, rule, report } = context;
  if (nothingProbed(context)) return;
  const maxBytes = numberOption(rule, 'maxBytes');
  // One finding per capability: the invalid and the valid call usually say the same.
  const reported = new Set<string>();
  for (const { capability, field, record } of probedCalls(inventory)) {
    const key = `${capability.kind}\u0000${capability.name ?? ''}`;
    if (reported.has(key)) continue;
    if (record.outcome !== 'result' || record.bytes <= maxBytes) continue;
    reported.add(key);
    report({
      messageId: 'tooLarge',
      data: { bytes: record.bytes, maxBytes, method: record.method },
      capability,
      field,
      evidence: `${record.bytes} bytes`,
    });
  }
});

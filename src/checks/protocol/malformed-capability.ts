import { defineCheck } from '../../engine/define-check.js';
import { LIST_FACTS } from './lists.js';

/**
 * protocol/malformed-capability: every entry of `inventory.malformed` (an item, or a whole page, that
 * does not have the shape the specification requires) is a finding. Discovery reads pages as raw
 * JSON so one bad item does not hide its page; this rule is where such items surface.
 */
export const malformedCapability = defineCheck('protocol/malformed-capability', ({ inventory, report }) => {
  for (const item of inventory.malformed) {
    const { method, kind } = LIST_FACTS[item.list];
    const problems = item.problems.join('; ');
    const capability = item.name === undefined ? { kind } : { kind, name: item.name };
    if (item.index < 0) {
      report({
        messageId: 'malformedPage',
        data: { page: item.page, method, problems },
        capability: { kind: 'server' },
        field: `${item.list}.page[${item.page}]`,
        evidence: item.excerpt,
      });
      continue;
    }
    report({
      messageId: 'malformedItem',
      data: {
        position: `${item.index + 1} on page ${item.page}`,
        method,
        label: item.name === undefined ? 'no usable name' : `"${item.name}"`,
        problems,
      },
      capability,
      // Page and index, not only the name: an unnamed item has nothing else to tell it apart.
      field: `${item.list}.page[${item.page}][${item.index}]`,
      evidence: item.excerpt,
    });
  }
});

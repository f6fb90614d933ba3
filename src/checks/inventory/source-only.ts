import { defineCheck } from '../../engine/define-check.js';
import { relativeFile, sourceFacts } from '../source-facts.js';

/**
 * inventory/source-only: registered in source but not served live. Conditional registration is
 * often a kill switch working as meant, so this is a note that names the condition when there is one.
 */
export const sourceOnly = defineCheck('inventory/source-only', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  const merge = facts?.merge;
  if (facts === undefined || merge === undefined) return;
  for (const item of merge.sourceOnly) {
    report({
      messageId: item.conditional ? 'sourceOnlyConditional' : 'sourceOnly',
      data: { name: item.name, kind: item.kind, file: relativeFile(facts, item.location.file), line: item.location.line },
      capability: { kind: item.kind, name: item.name },
      evidence: item.name,
      location: item.location,
    });
  }
});

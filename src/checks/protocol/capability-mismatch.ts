import { defineCheck } from '../../engine/define-check.js';
import { LIST_FACTS } from './lists.js';

const METHOD_NOT_FOUND = -32601;

/**
 * protocol/capability-mismatch: a declared capability whose list method answers -32601, or a list
 * method that answers although its capability was not declared (discovery asks undeclared lists
 * once, bounded, and records `undeclaredAnswered`). `resources/templates/list` answering -32601 under
 * a declared `resources` capability is tolerated: many servers have no templates and clients cope.
 */
export const capabilityMismatch = defineCheck('protocol/capability-mismatch', ({ inventory, report }) => {
  for (const listing of inventory.listings) {
    const { method, capability } = LIST_FACTS[listing.list];
    if (listing.requested && listing.error?.code === METHOD_NOT_FOUND && listing.list !== 'resourceTemplates') {
      report({
        messageId: 'declaredNotServed',
        data: { capability, method, code: METHOD_NOT_FOUND, message: listing.error.message },
        capability: { kind: 'server' },
        field: `capabilities.${capability}`,
        evidence: `${method} → ${METHOD_NOT_FOUND} ${listing.error.message}`,
      });
    }
    if (!listing.requested && listing.undeclaredAnswered === true) {
      report({
        messageId: 'servedNotDeclared',
        data: { capability, method },
        capability: { kind: 'server' },
        field: `capabilities.${capability}`,
        evidence: `${method} answered; capabilities: ${Object.keys(inventory.server.capabilities).sort().join(', ') || '(none)'}`,
      });
    }
  }
});

import { numberOption } from '../../engine/options.js';
import type { CheckFunction } from '../../engine/types.js';
import { LIST_FACTS } from './lists.js';

/**
 * protocol/pagination-abuse: a list whose paging discovery had to cut short (repeated cursor, page,
 * item or byte bound), or that returned more empty pages carrying a `nextCursor` than the pack allows.
 */
export const paginationAbuse: CheckFunction = ({ inventory, rule, report }) => {
  const maxEmpty = numberOption(rule, 'maxEmptyPagesWithCursor');
  for (const listing of inventory.listings) {
    if (!listing.requested) continue;
    const { method } = LIST_FACTS[listing.list];
    if (listing.stoppedEarly !== undefined) {
      report({
        messageId: 'stoppedEarly',
        data: { method, reason: listing.stoppedEarly },
        capability: { kind: 'server' },
        field: `listings.${listing.list}`,
        evidence: `${listing.pages} page(s), ${listing.items} item(s); last cursors: ${listing.cursors.slice(-3).join(', ')}`,
      });
    }
    if (listing.emptyPagesWithCursor > maxEmpty) {
      report({
        messageId: 'emptyPages',
        data: { method, count: listing.emptyPagesWithCursor },
        capability: { kind: 'server' },
        field: `listings.${listing.list}.emptyPagesWithCursor`,
        evidence: `${listing.emptyPagesWithCursor} empty page(s) with nextCursor out of ${listing.pages}`,
      });
    }
  }
};

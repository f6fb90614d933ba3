import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';
import { LIST_FACTS } from './lists.js';

/**
 * protocol/pagination-abuse: the server's paging misbehaves: a cursor it had already sent (a loop),
 * or more empty pages carrying a `nextCursor` than the pack allows. Reaching one of our own bounds
 * (pages, items, bytes) is not abuse by itself: a large server is legitimate, and the cut-short
 * listing is protocol/incomplete-discovery's (and the gate's, exit 3).
 */
export const paginationAbuse = defineCheck('protocol/pagination-abuse', ({ inventory, rule, report }) => {
  const maxEmpty = numberOption(rule, 'maxEmptyPagesWithCursor');
  for (const listing of inventory.listings) {
    if (!listing.requested) continue;
    const { method } = LIST_FACTS[listing.list];
    if (listing.stop?.reason === 'repeated-cursor') {
      report({
        messageId: 'repeatedCursor',
        data: { method, page: listing.pages },
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
});

import { defineCheck } from '../../engine/define-check.js';
import { describeListing, incompleteListings } from '../../discovery/completeness.js';
import { LIST_FACTS } from './lists.js';

/**
 * protocol/incomplete-discovery: an advertised list that discovery did not see to its end (a page,
 * item or byte bound, a repeated cursor, endless empty pages, a malformed page, an error). Every
 * rule judged only what was seen, so what came after was never checked. Without --allow-incomplete
 * the gate already exits 3 for this fact; with it, this error is what fails the gate.
 */
export const incompleteDiscovery = defineCheck('protocol/incomplete-discovery', ({ inventory, report }) => {
  for (const listing of incompleteListings(inventory)) {
    report({
      messageId: listing.stop?.reason === 'error' ? 'failed' : 'stopped',
      data: { method: LIST_FACTS[listing.list].method, what: describeListing(listing) },
      capability: { kind: 'server' },
      field: `listings.${listing.list}`,
      evidence: `${listing.pages} page(s), ${listing.items} item(s), ${listing.bytes} bytes; stop: ${listing.stop?.reason ?? 'unknown'}${listing.stop?.limit !== undefined ? ` (limit ${listing.stop.limit})` : ''}`,
    });
  }
});

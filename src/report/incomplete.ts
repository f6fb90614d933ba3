import { BOUND, describeListing, incompleteListings } from '../discovery/completeness.js';
import type { Inventory } from '../inventory/model.js';

export const CHECK_ALTERNATIVE = 'or pass --allow-incomplete to fail the gate with an error finding instead';

/**
 * The one line for a target whose lists were not all seen: which list, which bound, what was seen,
 * and what to do. Empty when discovery was complete. Shared by stderr, SARIF and the text reports.
 */
export function incompleteLine(
  targetName: string,
  inventory: Inventory | undefined,
  next: { alternative?: string; note?: string } = { alternative: CHECK_ALTERNATIVE },
): string | undefined {
  const listings = incompleteListings(inventory);
  if (listings.length === 0) return undefined;
  const parts = listings.map(describeListing);
  const bounded = listings.map((listing) => (listing.stop ? BOUND[listing.stop.reason]?.flag : undefined)).filter((flag): flag is string => flag !== undefined);
  const raise = [...new Set(bounded)].map((flag) => `raise ${flag}`);
  const todo = [...(raise.length > 0 ? raise : ["fix the server's listing"]), ...(next.alternative ? [next.alternative] : [])].join(', ');
  return `target ${targetName}: incompletely discovered: ${parts.join('; ')} — ${todo}${next.note ? ` (${next.note})` : ''}`;
}

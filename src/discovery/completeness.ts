import type { Inventory, ListingStats, ListKind } from '../inventory/model.js';
import { truncateSafely } from '../secrets/truncate.js';

const MAX_ERROR_CHARS = 200;

const METHOD: Record<ListKind, string> = {
  tools: 'tools/list',
  resources: 'resources/list',
  resourceTemplates: 'resources/templates/list',
  prompts: 'prompts/list',
};

/**
 * The lists that were advertised but not seen to their end (a bound, a repeated cursor, endless
 * empty pages, a malformed page or an error). Any one makes the target incompletely discovered: the
 * gate cannot pass what it has not seen. `complete` absent (an inventory from before the field) is
 * not read as incomplete.
 */
export function incompleteListings(inventory: Pick<Inventory, 'listings'> | undefined): ListingStats[] {
  return (inventory?.listings ?? []).filter((listing) => listing.requested && listing.complete === false);
}

export function isIncompletelyDiscovered(inventory: Pick<Inventory, 'listings'> | undefined): boolean {
  return incompleteListings(inventory).length > 0;
}

/** The option that raises each bound (flag, and its key under `limits:` in the config). */
export const BOUND: Partial<Record<NonNullable<ListingStats['stop']>['reason'], { what: string; flag: string }>> = {
  pages: { what: 'page bound', flag: '--max-pages' },
  items: { what: 'item bound', flag: '--max-items' },
  bytes: { what: 'byte bound', flag: '--max-list-bytes' },
};

/** One list that was cut short, in words: which list, where it stopped and why, what was seen. */
export function describeListing(listing: ListingStats): string {
  const method = METHOD[listing.list];
  const seen = `${listing.pages} page${listing.pages === 1 ? '' : 's'}, ${listing.items} item${listing.items === 1 ? '' : 's'}, ${mebibytes(listing.bytes)} seen`;
  const stop = listing.stop;
  const bound = stop ? BOUND[stop.reason] : undefined;
  if (stop && bound) {
    const limit = stop.reason === 'bytes' ? `${stop.limit} bytes` : String(stop.limit);
    return `${method} stopped at the ${bound.what} (${bound.flag} ${limit}) after ${seen}`;
  }
  switch (stop?.reason) {
    case 'repeated-cursor':
      return `${method} stopped at page ${listing.pages}: the server repeated a cursor it had already sent (${seen})`;
    case 'empty-pages':
      return `${method} stopped after ${stop.limit ?? 'many'} empty pages in a row, each with a nextCursor (${seen})`;
    case 'malformed-page':
      return `${method} stopped at page ${listing.pages}: the page was malformed (${seen})`;
    default: {
      const error = listing.error;
      // The server's words, on one line and bounded: this goes into a one-line stderr message.
      const message = error ? truncateSafely(error.message.replace(/\s+/g, ' ').trim(), MAX_ERROR_CHARS) : '';
      const answer = error ? `${error.code !== undefined ? `error ${error.code}: ` : ''}"${message}"` : 'an error';
      return `${method} failed with ${answer} (${seen})`;
    }
  }
}

function mebibytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

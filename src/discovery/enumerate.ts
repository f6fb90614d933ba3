import type { Client } from '@modelcontextprotocol/client';
import type { ListKind, ListingStats, ListingStop, MalformedItem } from '../inventory/model.js';
import type { Deadline } from './deadline.js';
import type { DiscoveryLimits } from './target.js';
import { truncateSafely } from '../secrets/truncate.js';

/** A raw item as served, with where it came from. Validation happens in normalise.ts. */
export interface RawItem {
  raw: unknown;
  page: number;
  index: number;
}

export interface ListOutcome {
  items: RawItem[];
  stats: ListingStats;
  /** Set when the list failed in a way that makes the whole scan incomplete (timeout, closed). */
  fatal?: unknown;
  malformedPages: MalformedItem[];
}

const METHODS: Record<ListKind, { method: string; field: string }> = {
  tools: { method: 'tools/list', field: 'tools' },
  resources: { method: 'resources/list', field: 'resources' },
  resourceTemplates: { method: 'resources/templates/list', field: 'resourceTemplates' },
  prompts: { method: 'prompts/list', field: 'prompts' },
};

const MAX_RECORDED_CURSORS = 50;
const METHOD_NOT_FOUND = -32601;

/**
 * Empty pages carrying a nextCursor, in a row, after which listing stops: a server that keeps
 * sending them is stalling, and each one costs a round trip of the time budget for nothing.
 */
export const MAX_EMPTY_PAGES_IN_A_ROW = 10;

/**
 * Accepts any result: the SDK's typed list calls reject a whole page for one malformed item, and a
 * linter must see the malformed item to report it (MCP-GROUND-TRUTH.md §0.3).
 */
const anyResult = {
  '~standard': {
    version: 1 as const,
    vendor: 'mcp-preflight',
    validate: (value: unknown) => ({ value }),
  },
};

export async function listAll(
  client: Client,
  list: ListKind,
  limits: DiscoveryLimits,
  deadline: Deadline,
  onPage?: (stats: Readonly<ListingStats>) => void,
): Promise<ListOutcome> {
  const { method, field } = METHODS[list];
  const started = performance.now();
  const stats: ListingStats = { list, requested: true, complete: false, pages: 0, items: 0, bytes: 0, durationMs: 0, cursors: [], emptyPagesWithCursor: 0 };
  const items: RawItem[] = [];
  const malformedPages: MalformedItem[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  let fatal: unknown;
  let emptyInARow = 0;
  const stop = (reason: ListingStop['reason'], text: string, limit?: number) => {
    stats.stop = { reason, ...(limit !== undefined ? { limit } : {}) };
    stats.stoppedEarly = text;
  };

  for (;;) {
    if (stats.pages >= limits.maxPagesPerList) {
      stop('pages', `stopped after ${limits.maxPagesPerList} pages (the server kept returning a nextCursor)`, limits.maxPagesPerList);
      break;
    }
    let result: unknown;
    try {
      result = await client.request({ method, params: cursor === undefined ? {} : { cursor } }, anyResult, {
        timeout: deadline.remainingMs(),
        signal: deadline.signal,
      });
    } catch (error) {
      if (isFatal(error, deadline)) fatal = error;
      else {
        stats.error = describeRpcError(error);
        // No capability of its own advertises templates: a `resources` server without any answers
        // the first request with -32601, which means "none", not a list left unseen.
        if (list === 'resourceTemplates' && stats.pages === 0 && stats.error.code === METHOD_NOT_FOUND) stats.complete = true;
        else stop('error', `failed at page ${stats.pages + 1}: the server answered with an error`);
      }
      break;
    }
    stats.pages += 1;
    const page = stats.pages;
    stats.bytes += jsonSize(result);

    const record = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : undefined;
    const pageItems = record?.[field];
    if (!Array.isArray(pageItems)) {
      malformedPages.push({
        list,
        page,
        index: -1,
        problems: [`the ${method} result has no "${field}" array`],
        excerpt: excerpt(result),
      });
      stop('malformed-page', `stopped at page ${page}: the result has no "${field}" array`);
      break;
    }
    // One push per item: a 10,000-item list must stay linear (no spread or concat of the whole array).
    for (let index = 0; index < pageItems.length; index++) items.push({ raw: pageItems[index], page, index });
    stats.items += pageItems.length;
    onPage?.(stats);

    const next = record?.nextCursor;
    if (next === undefined || next === null) {
      stats.complete = true;
      break;
    }
    if (typeof next !== 'string') {
      malformedPages.push({ list, page, index: -1, problems: ['nextCursor is not a string'], excerpt: excerpt(next) });
      stop('malformed-page', `stopped at page ${page}: nextCursor is not a string`);
      break;
    }
    if (pageItems.length === 0) stats.emptyPagesWithCursor += 1;
    emptyInARow = pageItems.length === 0 ? emptyInARow + 1 : 0;
    if (stats.cursors.length < MAX_RECORDED_CURSORS) stats.cursors.push(next);
    if (seenCursors.has(next)) {
      stop('repeated-cursor', `stopped at page ${page}: the server repeated a cursor it had already sent`);
      break;
    }
    seenCursors.add(next);
    if (emptyInARow >= MAX_EMPTY_PAGES_IN_A_ROW) {
      stop('empty-pages', `stopped at page ${page}: ${emptyInARow} empty pages in a row, each with a nextCursor`, MAX_EMPTY_PAGES_IN_A_ROW);
      break;
    }
    if (stats.items >= limits.maxItemsPerList) {
      stop('items', `stopped after ${stats.items} items (limit ${limits.maxItemsPerList})`, limits.maxItemsPerList);
      break;
    }
    if (stats.bytes >= limits.maxBytesPerList) {
      stop('bytes', `stopped after ${stats.bytes} bytes (limit ${limits.maxBytesPerList})`, limits.maxBytesPerList);
      break;
    }
    cursor = next;
  }
  stats.durationMs = Math.round(performance.now() - started);
  return { items, stats, fatal, malformedPages };
}

/** How long one request to an undeclared list may take: a probe, never the bulk of the budget. */
export const UNDECLARED_PROBE_MS = 2_000;

/**
 * One bounded request for a list whose capability was not declared: does the server answer it
 * anyway (protocol/capability-mismatch)? Any error, refusal or timeout counts as "no"; the listing
 * stays `requested: false` and its items are not collected.
 */
export async function probeUndeclared(client: Client, list: ListKind, deadline: Deadline): Promise<boolean> {
  const { method, field } = METHODS[list];
  const timeout = Math.min(UNDECLARED_PROBE_MS, deadline.remainingMs());
  if (timeout <= 0) return false;
  try {
    const result = await client.request({ method, params: {} }, anyResult, { timeout, signal: deadline.signal });
    return typeof result === 'object' && result !== null && Array.isArray((result as Record<string, unknown>)[field]);
  } catch {
    return false;
  }
}

export function notRequested(list: ListKind): ListingStats {
  // Nothing was advertised, so nothing is missing: a list that was never promised is complete.
  return { list, requested: false, complete: true, pages: 0, items: 0, bytes: 0, durationMs: 0, cursors: [], emptyPagesWithCursor: 0 };
}

/** A timeout or a dead connection means the scan is incomplete; a JSON-RPC error is a fact. */
function isFatal(error: unknown, deadline: Deadline): boolean {
  if (deadline.expired()) return true;
  const code = (error as { code?: unknown })?.code;
  if (code === 'REQUEST_TIMEOUT' || code === 'CONNECTION_CLOSED' || code === 'NOT_CONNECTED' || code === 'SEND_FAILED') return true;
  return typeof code !== 'number';
}

function describeRpcError(error: unknown): { code?: number; message: string } {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return { ...(typeof code === 'number' ? { code } : {}), message: message.replace(/^(MCP error -?\d+: )+/, '') };
}

function jsonSize(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return 0;
  }
}

export const EXCERPT_CHARS = 500;

export function excerpt(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  // Never cut inside a token: half a secret is still a leak, and masking cannot recognise it.
  return truncateSafely(text, EXCERPT_CHARS + 1);
}

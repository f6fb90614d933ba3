import path from 'node:path';
import type { Inventory } from '../inventory/model.js';
import { analyzeSource, type AnalyzeOptions } from './analyze.js';
import { inventoryFromSource, mergeSource } from './merge.js';

/**
 * The source collector's public face. Load it only with `await import('../source/index.js')`:
 * it pulls in ts-morph and the TypeScript compiler, which a live-only check must never load.
 */

export { analyzeSource, DEFAULT_CALL_DEPTH, SourceAnalysisError } from './analyze.js';
export { inventoryFromSource, mergeSource } from './merge.js';

/** Analyses `root` and merges the result into a live inventory (in place; also returned). */
export async function addSourceFacts(inventory: Inventory, root: string, options: AnalyzeOptions = {}): Promise<Inventory> {
  return mergeSource(inventory, await analyzeSource(root, options));
}

/** Source-only mode: the inventory of the server whose code is under `root`, with no server running. */
export async function sourceOnlyInventory(root: string, options: AnalyzeOptions & { toolVersion?: string; name?: string } = {}): Promise<Inventory> {
  const facts = await analyzeSource(root, options);
  return inventoryFromSource(facts, options.toolVersion ?? '0.0.0', options.name ?? (path.basename(facts.root) || 'source'));
}

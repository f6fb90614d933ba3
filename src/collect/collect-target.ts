import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeTarget, discover } from '../discovery/discover.js';
import { DiscoveryError } from '../discovery/errors.js';
import { collectHttpFacts } from '../http/collect.js';
import type { DiscoveryLimits, TargetSpec } from '../discovery/target.js';
import { anchorFor } from '../inventory/anchor.js';
import { collectRepoFacts } from '../repo/collect.js';
import type { Inventory, TargetDescription } from '../inventory/model.js';
import { maskSecrets } from '../secrets/index.js';
import type { LocationAnchor, TargetFailure } from '../report/types.js';

export interface CollectOptions {
  limits: DiscoveryLimits;
  /** Where the CLI runs: anchors fall back to its package.json. */
  workingDirectory: string;
  /** The target's line in the config file, when it came from one (preferred SARIF anchor). */
  configLocation?: { file: string; line: number };
  /** Source root of the server (--source or the target's `source` in config): runs source analysis too. */
  sourceRoot?: string;
  /** Call hops followed from each handler by source analysis (default 2). */
  sourceCallDepth?: number;
  /** The project whose repository facts (owners, server.json, committed secrets) are read. */
  repo?: { directory: string; why: 'flag' | 'source' | 'config' };
}

export interface CollectedTarget {
  target: TargetDescription;
  inventory?: Inventory;
  failure?: TargetFailure;
  anchor: LocationAnchor;
}

/**
 * Runs every collector for one target and returns the facts, never a verdict. Live discovery today;
 * HTTP surface probes and source analysis plug in here, each adding to the inventory and to
 * `inventory.facts`, so rules that need them stop being skipped.
 */
export async function collectTarget(spec: TargetSpec, options: CollectOptions): Promise<CollectedTarget> {
  const anchor = anchorFor(spec, options.workingDirectory, options.configLocation);
  const started = performance.now();
  try {
    const inventory = await discover(spec, options.limits);
    // HTTP surface probes (src/http): http targets only, within what is left of the same time budget.
    if (spec.kind === 'http') await collectHttpFacts(spec, inventory, options.limits.timeoutMs - (performance.now() - started));
    // Source analysis (src/source): loaded only when a source root is given, because it brings in
    // ts-morph and the TypeScript compiler. Adds `inventory.source`, `origin.source` on every
    // capability registered in source, and 'source' to `inventory.facts`.
    if (options.sourceRoot !== undefined) {
      const { addSourceFacts } = await import('../source/index.js');
      await addSourceFacts(inventory, options.sourceRoot, sourceOptions(options));
    }
    await addRepoFacts(inventory, options.repo);
    return { target: inventory.target, inventory, anchor };
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    return { target: describeTarget(spec), failure: failureOf(error, spec.name), anchor };
  }
}

/** Repository facts (src/repo): only for a project the user named, never for wherever the CLI happens to run. */
async function addRepoFacts(inventory: Inventory, repo: CollectOptions['repo']): Promise<void> {
  if (repo === undefined) return;
  inventory.repo = await collectRepoFacts(repo.directory, { why: repo.why });
  if (!inventory.facts.includes('repo')) inventory.facts.push('repo');
}

function sourceOptions(options: Pick<CollectOptions, 'sourceCallDepth'>): { callDepth?: number } {
  return options.sourceCallDepth === undefined ? {} : { callDepth: options.sourceCallDepth };
}

/**
 * Source-only mode (`check --source DIR` with no live target): the inventory comes from source
 * analysis alone. Findings without a location of their own are anchored to the project's package.json.
 */
export async function collectSourceOnly(
  root: string,
  options: Pick<CollectOptions, 'sourceCallDepth' | 'repo'> & { name?: string; toolVersion: string },
): Promise<CollectedTarget> {
  const { sourceOnlyInventory } = await import('../source/index.js');
  const inventory = await sourceOnlyInventory(root, { ...sourceOptions(options), toolVersion: options.toolVersion, ...(options.name ? { name: options.name } : {}) });
  await addRepoFacts(inventory, options.repo);
  const manifest = path.join(inventory.source!.root, 'package.json');
  const anchor: LocationAnchor = existsSync(manifest)
    ? { location: { file: manifest, line: 1, column: 1 }, why: 'package-json' }
    : { location: { file: manifest, line: 1, column: 1 }, why: 'fallback' };
  return { target: inventory.target, inventory, anchor };
}

/** The one line (plus the server's stderr tail, when it helps) for a target we could not scan. */
export function failureOf(error: DiscoveryError, targetName: string): TargetFailure {
  const message = maskSecrets(`target ${targetName}: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
  const tail = error.stderrTail?.trimEnd();
  return { message, ...(tail ? { stderrTail: maskSecrets(tail) } : {}) };
}


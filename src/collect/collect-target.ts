import { describeTarget, discover } from '../discovery/discover.js';
import { DiscoveryError } from '../discovery/errors.js';
import type { DiscoveryLimits, TargetSpec } from '../discovery/target.js';
import { anchorFor } from '../inventory/anchor.js';
import type { Inventory, TargetDescription } from '../inventory/model.js';
import { maskSecrets } from '../secrets/index.js';
import type { LocationAnchor, TargetFailure } from '../report/types.js';

export interface CollectOptions {
  limits: DiscoveryLimits;
  /** Where the CLI runs: anchors fall back to its package.json. */
  workingDirectory: string;
  /** The target's line in the config file, when it came from one (preferred SARIF anchor). */
  configLocation?: { file: string; line: number };
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
  try {
    const inventory = await discover(spec, options.limits);
    return { target: inventory.target, inventory, anchor };
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    return { target: describeTarget(spec), failure: failureOf(error, spec.name), anchor };
  }
}

/** The one line (plus the server's stderr tail, when it helps) for a target we could not scan. */
export function failureOf(error: DiscoveryError, targetName: string): TargetFailure {
  const message = maskSecrets(`target ${targetName}: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
  const tail = error.stderrTail?.trimEnd();
  return { message, ...(tail ? { stderrTail: maskSecrets(tail) } : {}) };
}


import path from 'node:path';
import { UsageError } from '../cli/errors.js';
import type { LoadedConfig } from '../config/load.js';
import type { Inventory } from '../inventory/model.js';
import { displayPath } from '../util/yaml-schema.js';
import { compareWithLock } from './drift.js';
import { LockfileError, readLockfile, type Lockfile } from './lockfile.js';

/** The lockfile `check` compares with: --lockfile, else the config's `lockfile:`, else none. */
export function lockForCheck(
  flag: string | undefined,
  config: LoadedConfig | undefined,
  workingDirectory: string,
): { lock: Lockfile; display: string } | undefined {
  const file = flag !== undefined ? path.resolve(workingDirectory, flag) : config?.lockfile;
  if (file === undefined) return undefined;
  const display = displayPath(file);
  try {
    return { lock: readLockfile(file, display), display };
  } catch (error) {
    if (error instanceof LockfileError) throw new UsageError(error.message);
    throw error;
  }
}

/** Adds `inventory.drift` (and the `lock` fact) for one target: the drift/* rules judge it. */
export function addDriftFacts(inventory: Inventory, targetName: string, loaded: { lock: Lockfile; display: string }): void {
  const locked = Object.hasOwn(loaded.lock.targets, targetName) ? loaded.lock.targets[targetName] : undefined;
  inventory.drift = compareWithLock(inventory, locked, loaded.display);
  if (!inventory.facts.includes('lock')) inventory.facts.push('lock');
}

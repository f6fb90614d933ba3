import path from 'node:path';
import { UsageError } from '../cli/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { displayPath } from '../util/yaml-schema.js';
import { BaselineError, readBaseline, type Baseline } from './baseline.js';

/**
 * The baseline `check` gates against: --baseline FILE, else the config's `baseline:`, else none.
 * Read before anything is scanned, so a missing or damaged file fails fast (exit 2, one line).
 */
export function baselineForCheck(
  flag: string | undefined,
  failOnStale: boolean,
  config: LoadedConfig | undefined,
  workingDirectory: string,
): { baseline: Baseline; display: string } | undefined {
  const file = flag !== undefined ? path.resolve(workingDirectory, flag) : config?.baseline;
  if (file === undefined) {
    if (failOnStale) throw new UsageError('--fail-on-stale needs a baseline: give --baseline FILE or set "baseline" in the config');
    return undefined;
  }
  const display = displayPath(file);
  try {
    return { baseline: readBaseline(file, display), display };
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}

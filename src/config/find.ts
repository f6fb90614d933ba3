import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a config is looked for. Kept apart from load.ts (the YAML reader and its validators) so a
 * command that only needs to know whether there is a config (`rules`) does not load them.
 */
export const CONFIG_FILE_NAMES = ['mcp-preflight.yaml', '.mcp-preflight.yaml'] as const;

/** `mcp-preflight.yaml` or `.mcp-preflight.yaml` in `directory`, if there is one. */
export function findConfig(directory: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(directory, name);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

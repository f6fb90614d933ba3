import path from 'node:path';
import { findConfig, loadConfig, type LoadedConfig } from '../config/load.js';

/** The config named by --config, else mcp-preflight.yaml or .mcp-preflight.yaml in `directory`, if any. */
export function resolveConfig(flag: string | undefined, directory: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig | undefined {
  if (flag !== undefined) return loadConfig(path.resolve(directory, flag), env);
  const found = findConfig(directory);
  return found === undefined ? undefined : loadConfig(found, env);
}

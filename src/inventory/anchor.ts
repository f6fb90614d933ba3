import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TargetSpec } from '../discovery/target.js';
import type { LocationAnchor } from '../report/types.js';

function isFile(file: string): boolean {
  try {
    return existsSync(file) && statSync(file).isFile();
  } catch {
    return false;
  }
}

const SCRIPT_EXTENSIONS = /\.(c|m)?(j|t)sx?$/i;

/**
 * Where a finding with no source line of its own is anchored (CONVENTIONS.md §1.3): the target's
 * line in the config file (once configs exist), else the server's entry script, else package.json.
 * GitHub rejects an upload in which one result has no file location, so there is always an answer.
 */
export function anchorFor(spec: TargetSpec, workingDirectory: string, configLocation?: { file: string; line: number }): LocationAnchor {
  if (configLocation) {
    return { location: { file: configLocation.file, line: configLocation.line, column: 1 }, why: 'config' };
  }
  if (spec.kind === 'stdio') {
    for (const arg of [spec.command, ...spec.args]) {
      if (arg.startsWith('-') || !SCRIPT_EXTENSIONS.test(arg)) continue;
      const candidate = path.resolve(spec.cwd, arg);
      if (isFile(candidate)) return { location: { file: candidate, line: 1, column: 1 }, why: 'entry-script' };
    }
  }
  const directories = spec.kind === 'stdio' ? [spec.cwd, workingDirectory] : [workingDirectory];
  for (const directory of directories) {
    const manifest = path.join(directory, 'package.json');
    if (isFile(manifest)) return { location: { file: manifest, line: 1, column: 1 }, why: 'package-json' };
  }
  return { location: { file: path.join(workingDirectory, 'package.json'), line: 1, column: 1 }, why: 'fallback' };
}

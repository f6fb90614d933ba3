import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** SARIF URIs are relative to the repository root (GitHub reads them so), not to where we run. */
export function resolveSarifRoot(flag: string | undefined, workingDirectory: string): string {
  if (flag !== undefined) return path.resolve(flag);
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: workingDirectory,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }).trim();
    if (top) return top;
  } catch {
    // Not a git checkout (or no git): the working directory is the best root we have.
  }
  return workingDirectory;
}

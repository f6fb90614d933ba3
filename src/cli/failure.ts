import { DiscoveryError } from '../discovery/errors.js';
import { maskSecrets } from '../secrets/index.js';
import type { TargetFailure } from '../report/types.js';

const STDERR_LINES_SHOWN = 15;

/** The one line (plus the server's stderr tail, when it helps) for a target we could not scan. */
export function failureOf(error: DiscoveryError, targetName: string): TargetFailure {
  const message = maskSecrets(`target ${targetName}: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
  const tail = error.stderrTail?.trimEnd();
  return { message, ...(tail ? { stderrTail: maskSecrets(tail) } : {}) };
}

export function printFailure(failure: TargetFailure): void {
  process.stderr.write(`mcp-preflight: ${failure.message}\n`);
  if (failure.stderrTail) {
    const lines = failure.stderrTail.split('\n').slice(-STDERR_LINES_SHOWN);
    process.stderr.write(`  server stderr (last ${lines.length} line${lines.length === 1 ? '' : 's'}):\n`);
    for (const line of lines) process.stderr.write(`  | ${line.slice(0, 300)}\n`);
  }
}

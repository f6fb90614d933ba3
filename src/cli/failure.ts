import type { TargetFailure } from '../report/types.js';

const STDERR_LINES_SHOWN = 15;

/** The one line for a target we could not scan, then the server's stderr tail when there is one. */

export function printFailure(failure: TargetFailure): void {
  process.stderr.write(`mcp-preflight: ${failure.message}\n`);
  if (failure.stderrTail) {
    const lines = failure.stderrTail.split('\n').slice(-STDERR_LINES_SHOWN);
    process.stderr.write(`  server stderr (last ${lines.length} line${lines.length === 1 ? '' : 's'}):\n`);
    for (const line of lines) process.stderr.write(`  | ${line.slice(0, 300)}\n`);
  }
}

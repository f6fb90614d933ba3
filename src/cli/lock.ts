import { BOUND, describeListing, incompleteListings } from '../discovery/completeness.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { Inventory } from '../inventory/model.js';
import { DEFAULT_LOCKFILE, LOCKFILE_VERSION, LockfileError, lockTarget, readLockfile, renderLockfile, type Lockfile } from '../lock/lockfile.js';
import { displayPath } from '../util/yaml-schema.js';
import type { CheckReport } from '../report/types.js';
import { EXIT, UsageError } from './errors.js';
import { writeOutput } from './output.js';
import { resolveConfig, runCheck } from './check.js';
import { addTargetOptions, type TargetFlags } from './target-options.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function lockCommand(): Command {
  const command = new Command('lock').description('write the capability lockfile: the AI-facing surface of each target, for check --lockfile to compare with');
  addTargetOptions(command);
  command
    .option('-c, --config <file>', 'configuration file (default: mcp-preflight.yaml or .mcp-preflight.yaml in the current directory)')
    .option('--target <name>', 'lock only this target of the config (repeatable); the others keep their entries', collect, [])
    .option('--source [dir]', "the server's source root (risk classes then see what handlers reach); alone, without --stdio/--url, locks the source surface")
    .option('--source-depth <n>', 'call hops followed from each handler in source analysis (default: 2)')
    .option('--concurrency <n>', 'how many targets to scan at once (default: 4)')
    .option('-o, --output <file>', `the lockfile to write (default: the config's "lockfile", else ${DEFAULT_LOCKFILE})`)
    .addHelpText(
      'after',
      `
The lockfile records, per target: server name and version, protocol revision and era, the client
capabilities the scan advertised, the instructions (text and sha256), and every tool, resource,
template and prompt with its description, normalised schemas, annotations and computed risk
class. Sorted and stable: commit it, and a change to the server's surface shows in git diff.
"check --lockfile FILE" (or config "lockfile:") reports what changed as drift/* findings. A
target that cannot be scanned whole (unreachable, a listing cut at a bound) is not locked (exit 3).
See docs/lockfile.md.

Exit codes:
  0  written
  2  usage or configuration error
  3  a target could not be reached, or its listing was incomplete (nothing written)

Examples:
  $ mcp-preflight lock --stdio "node dist/server.js"
  $ mcp-preflight lock --config mcp-preflight.yaml --target api
  $ mcp-preflight check --config mcp-preflight.yaml --lockfile mcp-capabilities.lock.json`,
    );
  return command;
}

/** A target whose surface was not seen whole must not be locked: that lock would vouch for what no one saw. */
/** The first advertised list not seen to its end, in words (the same facts the gate reads). */
function incomplete(inventory: Inventory): string | undefined {
  const listing = incompleteListings(inventory)[0];
  if (listing === undefined) return undefined;
  const bound = listing.stop ? BOUND[listing.stop.reason] : undefined;
  return `${describeListing(listing)}${bound ? ` (raise ${bound.flag})` : ''}`;
}

function summary(name: string, inventory: Inventory): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const parts = [
    count(inventory.tools.length, 'tool'),
    count(inventory.resources.length, 'resource'),
    count(inventory.resourceTemplates.length, 'template'),
    count(inventory.prompts.length, 'prompt'),
  ];
  return `${name} (${parts.join(', ')})`;
}

/**
 * Writes the lockfile from a finished scan (`runCheck` with this as its report hook). Targets not
 * scanned this time (--target) keep the entries they had; a damaged lockfile is rewritten whole.
 */
export function writeLockFromReport(report: CheckReport, file: string, partial: boolean): number {
  if (report.targets.some((target) => target.failure !== undefined)) return EXIT.unreachable;
  const display = displayPath(file);
  for (const target of report.targets) {
    const reason = target.inventory ? incomplete(target.inventory) : 'nothing was discovered';
    if (reason !== undefined) {
      process.stderr.write(`mcp-preflight: target ${target.target.name}: not locked, ${reason}; nothing written to ${display}\n`);
      return EXIT.unreachable;
    }
  }
  let previous: Lockfile | undefined;
  if (partial && existsSync(file)) {
    try {
      previous = readLockfile(file, display);
    } catch (error) {
      if (error instanceof LockfileError)
        throw new UsageError(`${error.message.replace(/; write it again.*$/, '')}; lock every target (without --target) to rewrite it`);
      throw error;
    }
  }
  const lock: Lockfile = { lockfileVersion: LOCKFILE_VERSION, generatedBy: 'mcp-preflight', targets: { ...previous?.targets } };
  for (const target of report.targets) lock.targets[target.target.name] = lockTarget(target.inventory!);
  writeOutput(file, renderLockfile(lock));
  process.stdout.write(`wrote ${display}: ${report.targets.map((target) => summary(target.target.name, target.inventory!)).join('; ')}\n`);
  return EXIT.passed;
}

interface LockFlags extends TargetFlags {
  config?: string;
  target: string[];
  source?: string | boolean;
  sourceDepth?: string;
  concurrency?: string;
  output?: string;
}

export async function runLock(flags: LockFlags): Promise<number> {
  const config = resolveConfig(flags.config, process.cwd());
  const file = path.resolve(flags.output ?? config?.lockfile ?? DEFAULT_LOCKFILE);
  // Locking some targets (--target, or one --stdio/--url server) keeps the others' entries.
  const partial = flags.target.length > 0 || flags.stdio !== undefined || flags.url !== undefined;
  return runCheck(
    { ...flags, format: [], output: [], pack: [], rule: [] },
    { skipLockfile: true, onReport: (report) => writeLockFromReport(report, file, partial) },
  );
}

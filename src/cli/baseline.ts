import { incompleteLine } from '../report/incomplete.js';
import { maskSecrets } from '../secrets/index.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { BaselineError, DEFAULT_BASELINE, buildBaseline, mergeBaseline, readBaseline, renderBaseline, type Baseline } from '../baseline/baseline.js';
import type { CheckReport } from '../report/types.js';
import { displayPath } from '../util/yaml-schema.js';
import { resolveConfig, runCheck } from './check.js';
import { EXIT, UsageError } from './errors.js';
import { writeOutput } from './output.js';
import { addTargetOptions, type TargetFlags } from './target-options.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function baselineCommand(): Command {
  const command = new Command('baseline').description('accept the current findings: write the baseline that check --baseline gates against');
  addTargetOptions(command);
  command
    .option('-c, --config <file>', 'configuration file (default: mcp-preflight.yaml or .mcp-preflight.yaml in the current directory)')
    .option('--target <name>', 'baseline only this target of the config (repeatable); the others keep their entries', collect, [])
    .option('--pack <file>', 'also load this custom rule pack (repeatable)', collect, [])
    .option('--rule <id=level>', 'set a rule to off, note, warning or error (repeatable), as for check', collect, [])
    .option('--source [dir]', "the server's source root, as for check")
    .option('--source-depth <n>', 'call hops followed from each handler in source analysis (default: 2)')
    .option('--repo [dir]', "the server's repository, as for check")
    .option('--probe', 'call read-only tools, as for check --probe')
    .option('--lockfile <file>', 'compare with this capability lockfile, as for check')
    .option('--concurrency <n>', 'how many targets to scan at once (default: 4)')
    .option('-o, --output <file>', `the baseline to write (default: the config's "baseline", else ${DEFAULT_BASELINE})`)
    .addHelpText(
      'after',
      `
Runs the same scan as check (same flags, same config) and writes every finding to the baseline:
per finding its fingerprint (line-free: it survives moved lines, reformatting and unrelated
description edits), target, rule, capability and message, sorted. Commit it; then
"check --baseline FILE" (or config "baseline:") gates only on findings not in it, reports the
baselined ones as such, and lists entries that match nothing as stale (--fail-on-stale fails on
them). See docs/baseline.md.

Exit codes:
  0  written
  2  usage or configuration error
  3  a target could not be reached or discovered (nothing written)

Examples:
  $ mcp-preflight baseline --config mcp-preflight.yaml
  $ mcp-preflight baseline --stdio "node dist/server.js" --output .mcp-preflight-baseline.json
  $ mcp-preflight check --config mcp-preflight.yaml --baseline .mcp-preflight-baseline.json --fail-on-stale`,
    );
  return command;
}

interface BaselineFlags extends TargetFlags {
  config?: string;
  target: string[];
  pack: string[];
  rule: string[];
  output?: string;
}

/** Writes the baseline from a finished scan; a target that could not be scanned writes nothing (its findings are unknown). */
function writeBaselineFromReport(report: CheckReport, file: string, partial: boolean): number {
  if (report.targets.some((target) => target.failure !== undefined)) return EXIT.unreachable;
  const display = displayPath(file);
  // A baseline accepts what was seen; from a scan that did not see everything it would be a partial record.
  for (const target of report.targets) {
    const line = incompleteLine(target.target.name, target.inventory, { alternative: `nothing written to ${display}` });
    if (line !== undefined) {
      process.stderr.write(`mcp-preflight: ${maskSecrets(line)}\n`);
      return EXIT.unreachable;
    }
  }
  let previous: Baseline | undefined;
  if (partial && existsSync(file)) {
    try {
      previous = readBaseline(file, display);
    } catch (error) {
      if (error instanceof BaselineError)
        throw new UsageError(`${error.message.replace(/; write it again.*$/, '')}; baseline every target (without --target) to rewrite it`);
      throw error;
    }
  }
  const scanned = new Set(report.targets.map((target) => target.target.name));
  const fresh = buildBaseline(report.targets);
  const merged = mergeBaseline(previous, fresh, scanned);
  const kept = merged.findings.length - fresh.findings.length;
  writeOutput(file, renderBaseline(merged));
  process.stdout.write(
    `wrote ${display}: ${fresh.findings.length} finding${fresh.findings.length === 1 ? '' : 's'} of ${report.targets.map((target) => target.target.name).join(', ')}${kept > 0 ? ` (and ${kept} kept for other targets)` : ''}\n`,
  );
  return EXIT.passed;
}

export async function runBaseline(flags: BaselineFlags): Promise<number> {
  const config = resolveConfig(flags.config, process.cwd());
  const file = path.resolve(flags.output ?? config?.baseline ?? DEFAULT_BASELINE);
  const partial = flags.target.length > 0 || flags.stdio !== undefined || flags.url !== undefined;
  return runCheck({ ...flags, format: [], output: [] }, { skipBaseline: true, onReport: (report) => writeBaselineFromReport(report, file, partial) });
}

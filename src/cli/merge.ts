import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Chalk } from 'chalk';
import { Command, Option } from 'commander';
import type * as Sarif from 'sarif';
import type { Level } from '../engine/types.js';
import { decideGate } from '../gate/gate.js';
import { TOOL_NAME } from '../report/common.js';
import { MAX_SARIF_RUNS, SARIF_SCHEMA_URI } from '../report/sarif.js';
import { renderGate } from '../report/text.js';
import type { GateResult } from '../report/types.js';
import { maskSecrets } from '../secrets/index.js';
import { parseMaxWarnings, resolveConfig } from './check.js';
import { UsageError } from './errors.js';
import { useColor, writeOutput } from './output.js';

interface MergeFlags {
  output?: string;
  gate?: boolean;
  config?: string;
  failOn?: Level;
  maxWarnings?: string;
  exitZero?: boolean;
  color?: boolean;
}

export function mergeCommand(): Command {
  return new Command('merge')
    .description('combine per-target SARIF files (one run per target) into one upload, and with --gate decide the gate over all of them')
    .argument('<files...>', 'SARIF files written by mcp-preflight check')
    .option('-o, --output <file>', 'write the merged SARIF here (default: standard output, unless --gate)')
    .option('--gate', 'recompute the gate over the merged results and exit as check would (0, 1 or 3)')
    .option('-c, --config <file>', 'take the gate (failOn, maxWarnings) from this config')
    .addOption(
      new Option('--fail-on <level>', "lowest finding level that fails the gate (default: the config's, else error)").choices(['error', 'warning', 'note']),
    )
    .option('--max-warnings <n>', 'fail the gate when there are more than n warnings over all files')
    .option('--exit-zero', 'report only: exit 0 when the gate fails (exit 2 and 3 still stand)')
    .option('--no-color', 'no colours in the gate line')
    .addHelpText(
      'after',
      `
Fan-out: run "check --target NAME --format sarif --output NAME.sarif" in parallel jobs (see
"mcp-preflight targets --format github-matrix"), then "merge *.sarif --output mcp.sarif --gate" in
one job: one upload, one verdict. A run whose target could not be scanned makes the gate exit 3, as
in a single run. GitHub accepts at most ${MAX_SARIF_RUNS} runs per SARIF file: merge bigger fleets in groups
(--gate alone, without --output, decides over any number).

Exit codes: 0 passed (or no --gate), 1 gate failed, 2 unreadable or foreign SARIF, 3 a target was not scanned.

Examples:
  $ mcp-preflight merge clean.sarif api.sarif --output mcp.sarif
  $ mcp-preflight merge sarif/*.sarif --output mcp.sarif --gate --config mcp-preflight.yaml`,
    );
}

interface LoadedRun {
  file: string;
  run: Sarif.Run;
}

function readRuns(files: readonly string[]): LoadedRun[] {
  const runs: LoadedRun[] = [];
  for (const file of files) {
    let log: Sarif.Log;
    try {
      log = JSON.parse(readFileSync(file, 'utf8')) as Sarif.Log;
    } catch (error) {
      throw new UsageError(`${file}: not a readable SARIF file (${(error as Error).message})`);
    }
    if (log?.version !== '2.1.0' || !Array.isArray(log.runs)) throw new UsageError(`${file}: not SARIF 2.1.0 (no "version": "2.1.0" with "runs")`);
    for (const run of log.runs) {
      if (run?.tool?.driver?.name !== TOOL_NAME) {
        throw new UsageError(
          `${file}: a run from "${run?.tool?.driver?.name ?? 'an unknown tool'}"; merge combines ${TOOL_NAME} runs only (upload other tools' SARIF separately)`,
        );
      }
      runs.push({ file, run });
    }
  }
  // Two runs of one category make GitHub reject the upload, and would count a target twice.
  const seen = new Map<string, string>();
  for (const { file, run } of runs) {
    const id = run.automationDetails?.id ?? '';
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new UsageError(`${file}: its run "${id}" is also in ${earlier}; each target must be merged once`);
    seen.set(id, file);
  }
  return runs;
}

/** GitHub shows at most 5,000 results a run; check says so in a notification when it had to cut. */
function wasCut(run: Sarif.Run): boolean {
  return (run.invocations ?? []).some((invocation) =>
    (invocation.toolExecutionNotifications ?? []).some((note) => /\bresults? left out\b/.test(note.message.text ?? '')),
  );
}

/** The gate over merged runs: the same decision check makes over the same targets in one run. */
export function gateOfRuns(runs: readonly Sarif.Run[], options: { failOn: Level; maxWarnings?: number }): GateResult {
  // SARIF's default level is "warning" (§3.27.10); check always writes one. "none" is not a finding.
  const levels = runs.flatMap((run) => (run.results ?? []).map((result) => result.level ?? 'warning'));
  const findings = levels.filter((level): level is Level => level === 'error' || level === 'warning' || level === 'note').map((level) => ({ level }));
  const unscanned = runs.filter((run) => (run.invocations ?? []).some((invocation) => invocation.executionSuccessful === false)).length;
  const gate = decideGate(findings, unscanned, options);
  const cut = runs.filter(wasCut).length;
  if (cut === 0) return gate;
  // Fail closed: results left out of a file are findings the gate cannot see.
  return {
    ...gate,
    passed: false,
    exitCode: gate.exitCode === 0 ? 1 : gate.exitCode,
    reasons: [...gate.reasons, `${cut} run${cut === 1 ? ' has' : 's have'} results cut at GitHub's limit; gate on the JSON reports instead`],
  };
}

export function runMerge(files: string[], flags: MergeFlags): number {
  const runs = readRuns(files.map((file) => path.resolve(file)));
  const toStdout = flags.output === undefined && !flags.gate;
  if ((flags.output !== undefined || toStdout) && runs.length > MAX_SARIF_RUNS) {
    throw new UsageError(
      `${runs.length} runs: GitHub accepts at most ${MAX_SARIF_RUNS} per SARIF file; merge in groups of at most ${MAX_SARIF_RUNS} (merge --gate without --output decides over all)`,
    );
  }
  if (flags.output !== undefined || toStdout) {
    const merged: Sarif.Log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: runs.map((entry) => entry.run) };
    writeOutput(flags.output === '-' ? undefined : flags.output, JSON.stringify(merged, null, 2));
  }
  if (!flags.gate) return 0;
  const config = flags.config === undefined ? undefined : resolveConfig(flags.config, process.cwd());
  const maxWarnings = parseMaxWarnings(flags.maxWarnings) ?? config?.gate.maxWarnings;
  const gate = gateOfRuns(
    runs.map((entry) => entry.run),
    { failOn: flags.failOn ?? config?.gate.failOn ?? 'error', ...(maxWarnings !== undefined ? { maxWarnings } : {}) },
  );
  const line = renderGate({ gate }, new Chalk({ level: useColor(flags.color) && flags.output !== '-' ? 1 : 0 })).join('\n');
  // The SARIF may have gone to stdout (--output -): the verdict then goes to stderr.
  (flags.output === '-' ? process.stderr : process.stdout).write(`${maskSecrets(line)}\n`);
  return flags.exitZero && gate.exitCode === 1 ? 0 : gate.exitCode;
}

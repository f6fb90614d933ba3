import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { checkRuleIds, checkRuleOptions, type LoadedConfig } from '../config/load.js';
import { resolveConfig } from './config-file.js';
import { renderEffectiveConfig, type EffectiveConfig } from '../config/effective.js';
import { DEFAULT_LIMITS, type LimitOverrides, type TargetSpec } from '../discovery/target.js';
import { isIncompletelyDiscovered } from '../discovery/completeness.js';
import { incompleteLine } from '../report/incomplete.js';
import { maskSecrets } from '../secrets/index.js';
import { closest } from '../engine/levenshtein.js';
import { loadAllRules, type PackRule } from '../engine/packs.js';
import { runRules } from '../engine/run.js';
import { protocolTraceEnabled, traceTiming } from '../discovery/trace.js';
import type { Level, LevelSetting } from '../engine/types.js';
import { decideGate } from '../gate/gate.js';
import { riskInventory } from '../inventory/risk.js';
import type { DeclaredKillSwitches } from '../killswitch/types.js';
import type { CheckReport, TargetResult } from '../report/types.js';
import { buildReview } from '../collect/review.js';
import { collectSourceOnly, collectTarget, failedScanFacts, type CollectedTarget } from '../collect/collect-target.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT, UsageError } from './errors.js';
import { printFailure } from './failure.js';
import { checkOutputs, planOutputs, useColor, writeOutput } from './output.js';
import { resolveSarifRoot } from './sarif-root.js';
import { addTargetOptions, limitsFromFlags, parseTimeoutMs, targetFromFlags, type TargetFlags } from './target-options.js';
import { mapLimit } from './concurrency.js';
import { DEFAULT_PROBE_OPTIONS } from '../probe/collect.js';
import type { ProbeOptions } from '../probe/types.js';
import { FORMATS, REPORTERS, type CheckFormat } from './reporters.js';
import { parseRuleLevels } from './rule-flags.js';
import { addDriftFacts, lockForCheck } from '../lock/for-check.js';
import { baselineForCheck } from '../baseline/for-check.js';
import { applyBaseline } from '../baseline/baseline.js';
import { suppressFindings } from '../suppress/for-check.js';
import { startProgress } from './progress.js';
import { settleLocations, fallbackLines } from '../inventory/anchor.js';
import { stableRunName } from '../collect/run-category.js';
import { findMcpConfig, loadMcpConfig } from '../config/mcp-config.js';

interface CheckFlags extends TargetFlags {
  format: string[];
  output: string[];
  failOn?: Level;
  maxWarnings?: string;
  config?: string;
  pack: string[];
  target: string[];
  printConfig?: boolean;
  /** --source [dir]: the server's source root (true: the current directory). */
  source?: string | boolean;
  sourceDepth?: string;
  /** --repo [dir]: the repository whose files give ownership, server.json and committed-secret facts. */
  repo?: string | boolean;
  concurrency?: string;
  rule: string[];
  sarifRoot?: string;
  color?: boolean;
  quiet?: boolean;
  exitZero?: boolean;
  verifyKillSwitches?: boolean;
  /** --probe: call read-only (and config-allow-listed, never destructive) tools, read resources, get prompts. */
  probe?: boolean;
  /** --lockfile FILE: compare each target's surface with the capability lockfile (drift/* rules). */
  lockfile?: string;
  /** --baseline FILE: gate only on findings not in it; --fail-on-stale: entries that match nothing fail too. */
  baseline?: string;
  failOnStale?: boolean;
  /** --category NAME: the SARIF runs' code-scanning category (default: mcp-preflight/<stable target name>). */
  category?: string;
  /** --verbose: the text report lists every skipped rule (else one summary line). */
  verbose?: boolean;
  /** --mcp-config FILE: check the servers of a client config (.mcp.json, .vscode/mcp.json, claude_desktop_config.json). */
  mcpConfig?: string;
}

/** For commands built on the scan (lock, baseline): given the finished report, they decide the exit code instead of the reporters. */
export interface ScanHooks {
  onReport(report: CheckReport): number;
  /** `lock` writes the lockfile the config names: it must not need it to exist already. */
  skipLockfile?: boolean;
  /** `baseline` writes the baseline the config names: every finding, none filtered by an old baseline. */
  skipBaseline?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const CHECK_HELP_FOOTER = `
Configuration: mcp-preflight.yaml (or .mcp-preflight.yaml) in the current directory, or --config FILE,
gives the targets, rule levels and options, custom packs and the gate; flags override it. Without a
config, --stdio or --url names one target. See docs/config.md.

Kill switches: declare them in the config (killSwitches: server and per-capability switches, each an
env variable or an extra argument). --verify-kill-switches relaunches each stdio server once per
switch with it engaged (same timeout, process group killed after); without the flag nothing is
relaunched. HTTP targets cannot be relaunched and are reported as skipped.

Probing (--probe, off by default): after listing, on the same connection and within --timeout,
each tool marked readOnlyHint: true, and each tool named in the config's probe.allow, is called
twice: once with invalid arguments, once with minimal valid arguments made from its input schema
(skipped, with the reason, when a required path, URL, id or query cannot be made up safely). A
tool marked destructiveHint: true is never called, even when allow-listed. Listed resources are
read (first 20), prompts are got (first 20; required arguments made up the same way). Each call has a timeout
(probe.timeout, default 10 s); every output is masked. Without --probe no tool is ever called.

Repository facts (ownership rules, committed secrets, server.json) come from --repo, else the
--source root, else the config file's directory; config "owners" stands in for CODEOWNERS, SECURITY.md
and Dependabot/Renovate. The text report ends each target with its five riskiest capabilities (all
of them: discover --risk); config "risk" asserts classes and adds approval/tenant notes.

Exit codes:
  0  passed: no finding at or above --fail-on, and warnings within --max-warnings
  1  gate failed
  2  usage or configuration error (bad flag, invalid config or pack, unknown rule id, unwritable output)
  3  a target could not be reached or discovered, or a list was cut short at a bound or failed:
     incompletely discovered (one line on stderr each; --allow-incomplete makes it exit 1 instead)
  --exit-zero turns 1 into 0 (report only); 2 and 3 stay, and so does the 1 of --allow-incomplete.

Examples:
  $ mcp-preflight check --stdio "node dist/server.js"
  $ mcp-preflight check --stdio "node dist/server.js" --env API_KEY --format sarif --output mcp.sarif
  $ mcp-preflight check --url http://127.0.0.1:3000/mcp --header "Authorization: Bearer $TOKEN"
  $ mcp-preflight check --stdio "npx -y my-mcp-server" --fail-on warning --rule schema/open-input-schema=off
  $ mcp-preflight check --config mcp-preflight.yaml --target api --pack ./security/our-pack.yaml
  $ mcp-preflight check --config mcp-preflight.yaml --format sarif,markdown --output mcp.sarif,"$GITHUB_STEP_SUMMARY"
  $ mcp-preflight check --config mcp-preflight.yaml --source . --verify-kill-switches
  $ mcp-preflight check --stdio "node dist/server.js" --probe --debug   # call read-only tools, trace the traffic
  $ mcp-preflight check --config mcp-preflight.yaml --format github,junit --output -,junit.xml --exit-zero   # annotations, report only
  $ mcp-preflight check --stdio "node dist/server.js" --rule '*=off' --rule 'schema/*=warn' --quiet
  $ mcp-preflight check --print-config`;

export const DEFAULT_CONCURRENCY = 4;

export function checkCommand(): Command {
  const command = new Command('check').description('discover the targets, run every rule, report, and pass or fail the gate');
  addTargetOptions(command);
  command
    .option('-c, --config <file>', 'configuration file (default: mcp-preflight.yaml or .mcp-preflight.yaml in the current directory)')
    .option('--target <name>', 'scan only this target of the config (repeatable)', collect, [])
    .option(
      '--mcp-config <file>',
      'check the servers of an MCP client config (.mcp.json, .vscode/mcp.json, claude_desktop_config.json); default without mcp-preflight.yaml and --stdio/--url: .mcp.json, .vscode/mcp.json or .cursor/mcp.json if present',
    )
    .option('--pack <file>', 'also load this custom rule pack (repeatable)', collect, [])
    .option('--concurrency <n>', `how many targets to scan at once (default: ${DEFAULT_CONCURRENCY})`)
    .option(
      '--source [dir]',
      "the server's source root: registrations and code facts for the source rules (default: the current directory); alone, without --stdio/--url, checks the source only",
    )
    .option(
      '--repo [dir]',
      "the server's repository, for the repository rules (owners, SECURITY.md, server.json, committed secrets); default: the --source root or the config file's directory, else none (--repo alone: the current directory)",
    )
    .option('--source-depth <n>', 'call hops followed from each handler in source analysis (default: 2)')
    .option(
      '--verify-kill-switches',
      'relaunch each stdio server once per kill switch declared in the config (killSwitches), with the switch engaged, and check that it turns the server or capability off',
    )
    .option(
      '--probe',
      "call tools marked readOnlyHint: true (and those in the config's probe.allow; never one marked destructiveHint: true), read resources, get prompts; see below",
    )
    .option(
      '--allow-incomplete',
      'a list cut short (at --max-pages/--max-items/--max-list-bytes, a repeated cursor, endless empty pages, an error) fails the gate with an error finding (exit 1) instead of exit 3; never a pass',
    )
    .option(
      '--lockfile <file>',
      'compare each target with this capability lockfile (written by "mcp-preflight lock") and report drift/* findings; default: the config\'s "lockfile"',
    )
    .option('--baseline <file>', 'gate only on findings not in this baseline (written by "mcp-preflight baseline"); default: the config\'s "baseline"')
    .option('--fail-on-stale', 'with a baseline: fail the gate when some of its entries match no finding (fixed or changed)')
    .option('--print-config', 'print the effective configuration (secrets masked) and exit')
    .option('-f, --format <formats>', `output formats, comma-separated or repeated: ${FORMATS.join(', ')} (default: text)`, collect, [])
    .option('-o, --output <files>', 'write the formats to these files, in order (the text report still goes to stdout)', collect, [])
    .addOption(new Option('--fail-on <level>', 'lowest finding level that fails the gate (default: error)').choices(['error', 'warning', 'note']))
    .option('--max-warnings <n>', 'fail the gate when there are more than n warnings (over all targets)')
    .option('--rule <id=level>', 'set a rule, a pack (pack/*) or every rule (*) to off, note, warning (or warn) or error (repeatable, later wins)', collect, [])
    .option('--verbose', 'list every skipped rule in the text report (default: one line saying which flag enables each group)')
    .option('-q, --quiet', 'the text report is only the gate line (errors still go to stderr)')
    .option('--exit-zero', 'report only: exit 0 when the gate fails (exit 2 and 3 still stand)')
    .option(
      '--category <name>',
      "code-scanning category of the SARIF runs (default: mcp-preflight/<target>/, from the config target name, --name or the server's package name)",
    )
    .option('--sarif-root <dir>', 'directory SARIF paths are relative to (default: the git repository root, else the current directory)')
    .option('--no-color', 'no colours in the text report (also NO_COLOR, or when stdout is not a terminal)')
    .addHelpText('after', CHECK_HELP_FOOTER);
  return command;
}

/** `--category`: GitHub takes everything up to the last `/` as the category; we add the slash ourselves. */
function categoryFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const category = value.trim().replace(/\/+$/, '');
  if (category === '' || /[\s]/.test(category))
    throw new UsageError(`--category must be a non-empty name without spaces, e.g. --category mcp/my-server (got "${value}")`);
  return category;
}

export function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new UsageError(`--max-warnings must be a whole number of 0 or more, got "${value}"`);
  return count;
}

/** `--source DIR` → its absolute path; `--source` alone → the current directory. Must be a directory. */
function sourceRootFlag(value: string | boolean | undefined): string | undefined {
  if (value === undefined || value === false) return undefined;
  const root = path.resolve(value === true ? '.' : value);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--source ${value === true ? '.' : value}: no such directory`);
  if (value === true && !existsSync(path.join(root, 'package.json')))
    throw new UsageError('--source: the current directory has no package.json; give the source root, e.g. --source src');
  return root;
}

function parseSourceDepth(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const depth = Number(value);
  if (!Number.isInteger(depth) || depth < 0 || depth > 10) throw new UsageError(`--source-depth must be a whole number from 0 to 10, got "${value}"`);
  return depth;
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 32) throw new UsageError(`--concurrency must be a whole number from 1 to 32, got "${value}"`);
  return count;
}

/** `--repo DIR` → its absolute path; `--repo` alone → the current directory. Must be a directory. */
function repoDirectoryFlag(value: string | boolean | undefined): string | undefined {
  if (value === undefined || value === false) return undefined;
  const directory = path.resolve(value === true ? '.' : value);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`--repo ${value === true ? '.' : value}: no such directory`);
  return directory;
}

/**
 * Which project's repository facts a target gets: --repo, else its source root, else the directory
 * of the config file that declared it. An ad-hoc --stdio/--url scan gets none: the directory the
 * CLI runs in is not necessarily the server's.
 */
export function repoFor(
  flag: string | undefined,
  source: string | undefined,
  configFile: string | undefined,
): { directory: string; why: 'flag' | 'source' | 'config' } | undefined {
  if (flag !== undefined) return { directory: flag, why: 'flag' };
  if (source !== undefined) return { directory: source, why: 'source' };
  if (configFile !== undefined) return { directory: path.dirname(configFile), why: 'config' };
  return undefined;
}

interface PlannedTarget {
  spec: TargetSpec;
  source?: string;
  timeoutMs: number;
  /** Listing bounds: the flags over the target's `limits:` over the top-level ones (defaults fill the rest). */
  limits: LimitOverrides;
  killSwitches?: DeclaredKillSwitches;
  /** The target's line in the config file, when it came from one. */
  configLocation?: { file: string; line: number };
  /** Named by the user (config target, --name): the name is its SARIF category as is. */
  explicitName?: boolean;
}

/** The config to use: --config, else one found in the current directory, else none. */
export { resolveConfig };

/**
 * The servers of a client config as the targets: --mcp-config FILE, else (no mcp-preflight.yaml, no
 * --stdio/--url/--source) a .mcp.json, .vscode/mcp.json or .cursor/mcp.json in the current directory.
 * The rest of an mcp-preflight.yaml (rules, gate, packs) still applies.
 */
function withClientConfig(config: LoadedConfig | undefined, flags: CheckFlags, directory: string): LoadedConfig | undefined {
  const adHoc = flags.stdio !== undefined || flags.url !== undefined;
  if (flags.mcpConfig !== undefined && adHoc) throw new UsageError('--mcp-config names the targets; it cannot be combined with --stdio or --url');
  const file =
    flags.mcpConfig !== undefined
      ? path.resolve(directory, flags.mcpConfig)
      : config === undefined && !adHoc && flags.source === undefined
        ? findMcpConfig(directory)
        : undefined;
  if (file === undefined) return config;
  const client = loadMcpConfig(file);
  if (flags.mcpConfig === undefined && !flags.quiet) {
    process.stderr.write(
      `mcp-preflight: no mcp-preflight.yaml; checking the ${client.targets.length === 1 ? 'server' : `${client.targets.length} servers`} of ${client.displayFile} (--mcp-config)\n`,
    );
  }
  return config === undefined ? client : { ...config, targets: client.targets };
}

/** Rules with the config's options merged over each pack's (key by key). */
function withConfigOptions(rules: PackRule[], config: LoadedConfig | undefined): PackRule[] {
  if (config === undefined) return rules;
  return rules.map((rule) => {
    const options = config.rules[rule.id]?.options;
    return options === undefined ? rule : { ...rule, options: { ...rule.options, ...options } };
  });
}

function planTargets(flags: CheckFlags, config: LoadedConfig | undefined, timeoutFlag: number | undefined, limitFlags: LimitOverrides): PlannedTarget[] {
  const adHoc = flags.stdio !== undefined || flags.url !== undefined;
  if (adHoc) {
    if (flags.target.length > 0) throw new UsageError('--target picks targets of the config; it cannot be combined with --stdio or --url');
    const source = sourceRootFlag(flags.source);
    return [
      {
        spec: targetFromFlags(flags),
        explicitName: flags.name !== undefined,
        ...(source ? { source } : {}),
        ...(config?.killSwitches ? { killSwitches: config.killSwitches } : {}),
        timeoutMs: timeoutFlag ?? config?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
        limits: { ...config?.limits, ...limitFlags },
      },
    ];
  }
  if (config === undefined || config.targets.length === 0) {
    throw new UsageError(
      config === undefined
        ? 'no target: give --stdio "<command line>" or --url <url>, or write a config with "mcp-preflight init"'
        : `${config.displayFile}: no targets; add some under "targets", or give --stdio or --url`,
    );
  }
  const names = config.targets.map((target) => target.name);
  for (const wanted of flags.target) {
    if (!names.includes(wanted)) {
      const suggestion = closest(wanted, names);
      throw new UsageError(
        `--target ${wanted}: no such target in ${config.displayFile}${suggestion ? `; did you mean "${suggestion}"?` : ` (targets: ${names.join(', ')})`}`,
      );
    }
  }
  return config.targets
    .filter((target) => flags.target.length === 0 || flags.target.includes(target.name))
    .map((target) => ({
      spec: target.spec,
      ...(target.source ? { source: target.source } : {}),
      ...(target.killSwitches ? { killSwitches: target.killSwitches } : {}),
      timeoutMs: timeoutFlag ?? target.timeoutMs ?? config.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
      limits: { ...(target.limits ?? config.limits), ...limitFlags },
      configLocation: { file: target.file ?? config.file, line: target.line },
      explicitName: true,
    }));
}

/** `--probe` with the config's `probe:` section (allow list, per-call timeout). */
export function probeOptionsOf(config: LoadedConfig | undefined): ProbeOptions {
  return {
    ...DEFAULT_PROBE_OPTIONS,
    allow: [...(config?.probe?.allow ?? [])],
    ...(config?.probe?.timeoutMs !== undefined ? { callTimeoutMs: config.probe.timeoutMs } : {}),
    ...(config?.probe?.roots !== undefined ? { roots: config.probe.roots.map((root) => ({ path: root, from: 'probe.roots' as const })) } : {}),
  };
}

export async function runCheck(flags: CheckFlags, hooks?: ScanHooks): Promise<number> {
  const workingDirectory = process.cwd();
  const config = withClientConfig(resolveConfig(flags.config, workingDirectory), flags, workingDirectory);
  const timeoutFlag = flags.timeout === undefined ? undefined : parseTimeoutMs(flags.timeout);
  // Source-only mode: --source with no live target (no --stdio/--url, no config targets).
  const sourceOnly =
    flags.source !== undefined && flags.stdio === undefined && flags.url === undefined && (config === undefined || config.targets.length === 0);
  const sourceDepth = parseSourceDepth(flags.sourceDepth);
  const repoFlag = repoDirectoryFlag(flags.repo);
  const targets = sourceOnly ? [] : planTargets(flags, config, timeoutFlag, limitsFromFlags(flags));
  const outputs = planOutputs<CheckFormat>(flags.format, flags.output, FORMATS, 'text');
  if (!flags.printConfig) checkOutputs(outputs);
  const maxWarnings = parseMaxWarnings(flags.maxWarnings) ?? config?.gate.maxWarnings;
  const category = categoryFlag(flags.category);
  const failOn: Level = flags.failOn ?? config?.gate.failOn ?? 'error';
  const concurrency = parseConcurrency(flags.concurrency) ?? config?.concurrency ?? DEFAULT_CONCURRENCY;
  const packs = [...(config?.packs ?? []), ...flags.pack.map((file) => path.resolve(workingDirectory, file))];
  const allRules = withConfigOptions(loadAllRules(packs), config);
  if (config) checkRuleIds(config, allRules);
  if (config) checkRuleOptions(config, allRules);
  const levels: Record<string, LevelSetting> = {};
  for (const [id, setting] of Object.entries(config?.rules ?? {})) if (setting.level !== undefined) levels[id] = setting.level;
  const flagLevels = parseRuleLevels(flags.rule, allRules);
  Object.assign(levels, flagLevels);
  const enabledRules = allRules.filter((rule) => levels[rule.id] !== 'off');
  const sarifRoot = resolveSarifRoot(flags.sarifRoot ?? config?.sarifRoot, workingDirectory);
  const probeOptions = flags.probe ? probeOptionsOf(config) : undefined;
  const lock = hooks?.skipLockfile ? undefined : lockForCheck(flags.lockfile, config, workingDirectory);
  const baselineFile = hooks?.skipBaseline ? undefined : baselineForCheck(flags.baseline, flags.failOnStale === true, config, workingDirectory);

  if (flags.printConfig) {
    const effective: EffectiveConfig = {
      ...(config ? { configFile: config.file } : {}),
      targets: targets.map((target) => ({
        spec: target.spec,
        ...(target.source ? { source: target.source } : {}),
        timeoutMs: target.timeoutMs,
        limits: { ...DEFAULT_LIMITS, ...target.limits, timeoutMs: target.timeoutMs },
      })),
      rules: config?.rules ?? {},
      levels: flagLevels,
      packs,
      gate: { failOn, ...(maxWarnings !== undefined ? { maxWarnings } : {}) },
      concurrency,
      sarifRoot,
      reserved: { ...config?.reserved, ...(config?.killSwitches ? { killSwitches: config.killSwitches } : {}) },
      ...(config?.owners ? { owners: config.owners.owners } : {}),
      ...(config?.risk ? { risk: config.risk } : {}),
      ...(config?.probe ? { probe: config.probe } : {}),
    };
    writeOutput(undefined, renderEffectiveConfig(effective));
    return 0;
  }

  // The config file and its secrets.allow go along: committed secrets are looked for in the config too.
  const secretOptions = { ...(config ? { configFile: config.file } : {}), ...(config?.secrets ? { secretsAllow: config.secrets.allow } : {}) };
  const withRepo = (repo: ReturnType<typeof repoFor>) =>
    repo ? { repo: { ...repo, ...(config?.owners ? { owners: config.owners } : {}), ...secretOptions } } : {};
  const collectSourceOnlyTarget = (root: string) =>
    collectSourceOnly(root, {
      toolVersion: TOOL_VERSION,
      ...(flags.name ? { name: flags.name } : {}),
      ...(sourceDepth !== undefined ? { sourceCallDepth: sourceDepth } : {}),
      ...withRepo(repoFor(repoFlag, root, config?.file)),
      ...(config?.killSwitches ? { killSwitches: config.killSwitches } : {}),
    });
  // Progress on a terminal's stderr only (nothing on a pipe, in CI or with --quiet).
  const progress = startProgress(sourceOnly ? 1 : targets.length, { quiet: flags.quiet === true });
  let collected: CollectedTarget[];
  try {
    collected = sourceOnly
      ? [await collectSourceOnlyTarget(sourceRootFlag(flags.source)!)]
      : await mapLimit(targets, concurrency, (target): Promise<CollectedTarget> =>
          collectTarget(target.spec, {
            progress: progress.target(target.spec.name),
            ...(target.source ? { sourceRoot: target.source } : {}),
            ...(sourceDepth !== undefined ? { sourceCallDepth: sourceDepth } : {}),
            limits: { ...DEFAULT_LIMITS, ...target.limits, timeoutMs: target.timeoutMs },
            workingDirectory,
            ...(target.configLocation ? { configLocation: target.configLocation } : {}),
            ...withRepo(repoFor(repoFlag, target.source, target.configLocation?.file)),
            ...(target.killSwitches ? { killSwitches: target.killSwitches } : {}),
            ...(flags.verifyKillSwitches ? { verifyKillSwitches: true } : {}),
            ...(probeOptions ? { probe: probeOptions } : {}),
          }),
        );
  } catch (error) {
    progress.stop();
    throw error;
  }
  const results: TargetResult[] = collected.map((entry, index) => {
    const targetId = targets[index]?.spec.name ?? entry.target.name;
    progress.target(targetId)('rules');
    // The ranked risk inventory, with the config's `risk` declarations: reporters show it, risk/class-mismatch judges it.
    const debug = protocolTraceEnabled();
    const riskStarted = performance.now();
    if (entry.inventory) entry.inventory.risk = riskInventory(entry.inventory, config?.risk);
    const riskMs = performance.now() - riskStarted;
    const failedScan = entry.inventory ? undefined : failedScanFacts(entry, allRules);
    if (entry.inventory && lock) addDriftFacts(entry.inventory, targetId, lock);
    const timings: Array<[string, number]> = [];
    const timed = debug ? (ruleId: string, ms: number) => void timings.push([ruleId, ms]) : undefined;
    const rulesStarted = performance.now();
    const run = entry.inventory
      ? runRules(entry.inventory, allRules, { levels, targetId, ...(timed ? { timed } : {}) })
      : failedScan
        ? runRules(failedScan.inventory, failedScan.rules, { levels, targetId, ...(timed ? { timed } : {}) })
        : { findings: [], outcomes: [] };
    if (debug) {
      const slowest = timings
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([ruleId, ms]) => `${ruleId} ${Math.round(ms)} ms`);
      traceTiming(
        targetId,
        `timing: risk ${Math.round(riskMs)} ms; ${timings.length} rules ${Math.round(performance.now() - rulesStarted)} ms${slowest.length > 0 ? `, slowest: ${slowest.join(', ')}` : ''}`,
      );
    }
    const planned = targets[index];
    const category = planned ? stableRunName(planned.spec, planned.explicitName === true, entry.inventory) : entry.target.name;
    progress.done(targetId);
    return { ...entry, findings: run.findings, outcomes: run.outcomes, category };
  });
  progress.stop();
  suppressFindings(results, allRules, levels, config);
  const fallbacks = settleLocations(
    results.map((result) => ({ ...result, findings: [...result.findings, ...(result.suppressed ?? []), ...(result.baselined ?? [])] })),
    sarifRoot,
  );
  const failed = results.filter((result) => result.failure !== undefined);
  const baseline = baselineFile ? applyBaseline(results, baselineFile.baseline, baselineFile.display, flags.failOnStale === true) : undefined;
  // The review dossier reads the gated findings (after suppressions and the baseline).
  if (outputs.some((output) => output.format === 'review' || output.format === 'json')) {
    for (const result of results) {
      const review = buildReview(result);
      if (review) result.review = review;
    }
  }
  const incomplete = results.filter((result) => isIncompletelyDiscovered(result.inventory));
  const gate = decideGate(
    results.flatMap((result) => result.findings),
    failed.length,
    {
      failOn,
      ...(maxWarnings !== undefined ? { maxWarnings } : {}),
      ...(baseline?.failOnStale ? { staleBaselineEntries: baseline.stale.length } : {}),
      incompleteTargets: incomplete.length,
      allowIncomplete: flags.allowIncomplete === true,
    },
  );
  const report: CheckReport = {
    toolVersion: TOOL_VERSION,
    rules: enabledRules,
    targets: results,
    gate,
    sarifRoot,
    ...(baseline ? { baseline } : {}),
    ...(category ? { category } : {}),
  };
  if (outputs.some((output) => output.format === 'sarif' || output.format === 'github')) {
    for (const line of fallbackLines(fallbacks, sarifRoot)) process.stderr.write(`mcp-preflight: warning: ${maskSecrets(line)}\n`);
  }

  for (const result of failed) printFailure(result.failure!);
  // A command that takes the report over (lock, baseline) says itself what it refuses and why.
  for (const result of hooks ? [] : incomplete) {
    const line = incompleteLine(
      result.target.name,
      result.inventory,
      flags.allowIncomplete ? { note: '--allow-incomplete: reported as an error finding, the gate fails' } : undefined,
    );
    process.stderr.write(`mcp-preflight: ${maskSecrets(line!)}\n`);
  }
  if (hooks) return hooks.onReport(report);
  const color = useColor(flags.color);
  const unwritten: string[] = [];
  for (const output of outputs) {
    const render = await REPORTERS[output.format]();
    const renderStarted = performance.now();
    const content = render(report, {
      color: color && output.file === undefined,
      quiet: flags.quiet === true,
      verbose: flags.verbose === true,
    });
    const renderMs = performance.now() - renderStarted;
    try {
      writeOutput(output.file, content);
      if (protocolTraceEnabled())
        traceTiming(
          'report',
          `timing: ${output.format} report rendered in ${Math.round(renderMs)} ms (${content.length} characters), written in ${Math.round(performance.now() - renderStarted - renderMs)} ms`,
        );
    } catch (error) {
      // One output that cannot be written must not hide the others, the text report or the verdict.
      if (!(error instanceof UsageError)) throw error;
      unwritten.push(error.message);
    }
  }
  for (const message of unwritten) process.stderr.write(`mcp-preflight: ${maskSecrets(message)}\n`);
  if (unwritten.length > 0) return EXIT.usage;
  // --exit-zero is for report-only runs over scans that saw everything: an incompletely discovered
  // target (even under --allow-incomplete) never becomes a 0.
  return flags.exitZero && gate.exitCode === 1 && incomplete.length === 0 ? 0 : gate.exitCode;
}

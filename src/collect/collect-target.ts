import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeTarget, discover, type DiscoverHooks } from '../discovery/discover.js';
import { DiscoveryError } from '../discovery/errors.js';
import { launchHttpServer, type LaunchedServer } from '../discovery/launch.js';
import { collectHttpFacts } from '../http/collect.js';
import type { DiscoveryLimits, TargetSpec } from '../discovery/target.js';
import { anchorFor } from '../inventory/anchor.js';
import type { DeclaredKillSwitches } from '../killswitch/types.js';
import { verifyKillSwitches } from '../killswitch/verify.js';
import { collectRepoFacts, type RepoOptions } from '../repo/collect.js';
import { installedPackageOf } from '../repo/installed-package.js';
import type { DeclaredOwners } from '../repo/ownership.js';
import { INVENTORY_SCHEMA_VERSION, type Inventory, type TargetDescription } from '../inventory/model.js';
import { TOOL_VERSION } from '../version.js';
import type { ProbeOptions } from '../probe/types.js';
import { maskSecrets } from '../secrets/index.js';
import type { LocationAnchor, TargetFailure } from '../report/types.js';
import type { ProgressSink } from '../cli/progress.js';

export interface CollectOptions {
  limits: DiscoveryLimits;
  /** Where the CLI runs: anchors fall back to its package.json. */
  workingDirectory: string;
  /** The target's line in the config file, when it came from one (preferred SARIF anchor). */
  configLocation?: { file: string; line: number };
  /** Source root of the server (--source or the target's `source` in config): runs source analysis too. */
  sourceRoot?: string;
  /** Call hops followed from each handler by source analysis (default 2). */
  sourceCallDepth?: number;
  /** The project whose repository facts (owners, server.json, committed secrets) are read. */
  repo?: { directory: string; why: 'flag' | 'source' | 'config'; owners?: DeclaredOwners } & Pick<RepoOptions, 'configFile' | 'secretsAllow'>;
  /** Kill switches declared in the config for this target (recorded in `inventory.killSwitches`). */
  killSwitches?: DeclaredKillSwitches;
  /** --verify-kill-switches: relaunch the server once per declared switch, with the switch engaged. */
  verifyKillSwitches?: boolean;
  /** `check --probe`: call read-only (or allow-listed, never destructive) tools inside the discovery connection. */
  probe?: ProbeOptions;
  /** Where the scan is, for the terminal's progress line (src/cli/progress.ts). */
  progress?: ProgressSink;
}

export interface CollectedTarget {
  target: TargetDescription;
  inventory?: Inventory;
  failure?: TargetFailure;
  anchor: LocationAnchor;
}

/**
 * Runs every collector for one target and returns the facts, never a verdict. Live discovery today;
 * HTTP surface probes and source analysis plug in here, each adding to the inventory and to
 * `inventory.facts`, so rules that need them stop being skipped.
 */
export async function collectTarget(spec: TargetSpec, options: CollectOptions): Promise<CollectedTarget> {
  const anchor = anchorFor(spec, options.workingDirectory, options.configLocation);
  const started = performance.now();
  let launched: LaunchedServer | undefined;
  try {
    // A launched HTTP target: start the command, wait for its port, read its listen sockets; stopped in `finally`.
    if (spec.kind === 'http' && spec.launch !== undefined) {
      options.progress?.('connect', 'starting the server');
      launched = await launchHttpServer(spec.launch, spec.url, options.limits.timeoutMs);
    }
    const inventory = await discover(spec, options.limits, {
      ...probeHooks(spec, options.probe, options.progress),
      ...(options.progress ? { onProgress: options.progress } : {}),
    });
    // HTTP surface probes (src/http): http targets only, within what is left of the same time budget.
    // Probing (--probe) has its own per-call bounds; it does not eat into the HTTP probes' share.
    if (spec.kind === 'http') options.progress?.('probes', 'HTTP surface');
    if (spec.kind === 'http')
      await collectHttpFacts(spec, inventory, options.limits.timeoutMs - (performance.now() - started - (inventory.probe?.durationMs ?? 0)));
    // Source analysis (src/source): loaded only when a source root is given, because it brings in
    // ts-morph and the TypeScript compiler. Adds `inventory.source`, `origin.source` on every
    // capability registered in source, and 'source' to `inventory.facts`.
    if (options.sourceRoot !== undefined) {
      options.progress?.('source');
      const { addSourceFacts } = await import('../source/index.js');
      await addSourceFacts(inventory, options.sourceRoot, sourceOptions(options));
    }
    if (launched !== undefined && spec.kind === 'http' && spec.launch !== undefined)
      inventory.launch = { command: spec.launch.command, args: spec.launch.args, listen: launched.listen };
    // The installed package behind the command line (node_modules/<pkg>/, npx): ownership facts from its own metadata.
    const launchedBy = spec.kind === 'stdio' ? spec : spec.launch;
    const installed = launchedBy === undefined ? undefined : installedPackageOf(launchedBy.command, launchedBy.args, launchedBy.cwd);
    if (installed !== undefined) inventory.installedPackage = installed;
    await addRepoFacts(inventory, options.repo);
    // Kill switches (src/killswitch): what the config declares, and with --verify-kill-switches
    // what relaunching the server with each engaged shows (never without the flag).
    if (options.killSwitches !== undefined || options.verifyKillSwitches) {
      const declared = options.killSwitches ?? { capabilities: {} };
      inventory.killSwitches = { declared };
      if (options.verifyKillSwitches) inventory.killSwitches.verification = await verifyKillSwitches(spec, declared, inventory, options.limits, options.probe);
    }
    return { target: inventory.target, inventory, anchor };
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    return { target: describeTarget(spec), failure: failureOf(error, spec.name), anchor };
  } finally {
    await launched?.stop();
  }
}

/** Opt-in probing (src/probe) runs on the discovery connection before it closes; adds `inventory.probe` and 'probe'. */
function probeHooks(spec: TargetSpec, probe: ProbeOptions | undefined, progress?: ProgressSink): DiscoverHooks {
  if (probe === undefined) return {};
  return {
    beforeClose: async (session) => {
      progress?.('probes');
      const { collectProbeFacts, containmentRoots, failedProbeFacts, probeEnvironment } = await import('../probe/index.js');
      try {
        session.inventory.probe = await collectProbeFacts(session, { ...probe, roots: containmentRoots(probe, spec) }, probeEnvironment(spec));
      } catch (error) {
        // A probing bug must not cost the scan: the facts say probing stopped, and why.
        session.inventory.probe = failedProbeFacts(probe, maskSecrets(error instanceof Error ? error.message : String(error)));
      }
      if (!session.inventory.facts.includes('probe')) session.inventory.facts.push('probe');
    },
  };
}

/** Repository facts (src/repo): only for a project the user named, never for wherever the CLI happens to run. */
async function addRepoFacts(inventory: Inventory, repo: CollectOptions['repo']): Promise<void> {
  if (repo === undefined) return;
  inventory.repo = await collectRepoFacts(repo.directory, {
    why: repo.why,
    ...(repo.owners ? { owners: repo.owners } : {}),
    ...(repo.configFile ? { configFile: repo.configFile } : {}),
    ...(repo.secretsAllow ? { secretsAllow: repo.secretsAllow } : {}),
    ...(inventory.source ? { serverRoot: inventory.source.root } : {}),
  });
  if (!inventory.facts.includes('repo')) inventory.facts.push('repo');
}

function sourceOptions(options: Pick<CollectOptions, 'sourceCallDepth'>): { callDepth?: number } {
  return options.sourceCallDepth === undefined ? {} : { callDepth: options.sourceCallDepth };
}

/**
 * Source-only mode (`check --source DIR` with no live target): the inventory comes from source
 * analysis alone. Findings without a location of their own are anchored to the project's package.json.
 */
export async function collectSourceOnly(
  root: string,
  options: Pick<CollectOptions, 'sourceCallDepth' | 'repo' | 'killSwitches'> & { name?: string; toolVersion: string },
): Promise<CollectedTarget> {
  const { sourceOnlyInventory } = await import('../source/index.js');
  const inventory = await sourceOnlyInventory(root, {
    ...sourceOptions(options),
    toolVersion: options.toolVersion,
    ...(options.name ? { name: options.name } : {}),
  });
  await addRepoFacts(inventory, options.repo);
  if (options.killSwitches !== undefined) inventory.killSwitches = { declared: options.killSwitches };
  const manifest = path.join(inventory.source!.root, 'package.json');
  const anchor: LocationAnchor = existsSync(manifest)
    ? { location: { file: manifest, line: 1, column: 1 }, why: 'package-json' }
    : { location: { file: manifest, line: 1, column: 1 }, why: 'fallback' };
  return { target: inventory.target, inventory, anchor };
}

/** The one line (plus the server's stderr tail, when it helps) for a target we could not scan. */
export function failureOf(error: DiscoveryError, targetName: string): TargetFailure {
  const message = maskSecrets(`target ${targetName}: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
  const tail = error.stderrTail?.trimEnd();
  const noise = error.stdoutNoise;
  return {
    message,
    ...(tail ? { stderrTail: maskSecrets(tail) } : {}),
    ...(noise ? { stdoutNoise: { lines: noise.lines, samples: noise.samples.map((sample) => maskSecrets(sample)) } } : {}),
  };
}

/** Rules that judge facts a failed scan still gathered (what the server wrote before it failed). */
const FAILED_SCAN_RULES: ReadonlySet<string> = new Set(['transport/stdout-pollution']);

/**
 * What a failed stdio scan still saw, as an inventory with no capabilities, and the rules that may
 * judge it; undefined when it saw nothing to judge. The target stays failed (exit 3) either way.
 */
export function failedScanFacts<R extends { id: string }>(entry: CollectedTarget, rules: readonly R[]): { inventory: Inventory; rules: R[] } | undefined {
  const noise = entry.failure?.stdoutNoise;
  if (noise === undefined || entry.target.kind !== 'stdio') return undefined;
  const inventory: Inventory = {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: 'mcp-preflight', version: TOOL_VERSION },
    target: entry.target,
    facts: ['live'],
    server: { info: {}, capabilities: {}, era: 'legacy', transport: 'stdio' },
    tools: [],
    resources: [],
    resourceTemplates: [],
    prompts: [],
    malformed: [],
    listings: [],
    stdoutNoise: noise,
    logNotifications: [],
    timings: { connectMs: 0, listMs: 0, totalMs: 0 },
  };
  return { inventory, rules: rules.filter((rule) => FAILED_SCAN_RULES.has(rule.id)) };
}

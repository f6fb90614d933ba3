import { discover, type DiscoverHooks } from '../discovery/discover.js';
import { DiscoveryError } from '../discovery/errors.js';
import type { DiscoveryLimits, TargetSpec } from '../discovery/target.js';
import type { Inventory } from '../inventory/model.js';
import type { ProbeOptions } from '../probe/types.js';
import { maskSecrets } from '../secrets/index.js';
import type { DeclaredKillSwitches, KillSwitch, KillSwitchVerification, SwitchCall, SwitchOutcome, SwitchRun } from './types.js';

/**
 * `check --verify-kill-switches`: relaunches a stdio server once per declared switch (identical
 * engagements share one relaunch) with the switch engaged, through the normal discovery code (same
 * bounds, same timeout, the whole process group killed at the end), and records what each relaunch
 * exposed or how the server ended. One relaunch at a time. Facts only: the killswitch rules judge.
 *
 * A capability still listed with its switch engaged is called only with `--probe`, and only when
 * probing's safety rule allows it (src/probe `callToolSafely`: read-only or allow-listed, never
 * destructive), on the relaunch's own connection; otherwise only removal from discovery counts.
 */

const MESSAGE_LIMIT = 400;
const CLOSE_RESERVE_MS = 250;

export function exposedNames(inventory: Pick<Inventory, 'tools' | 'resources' | 'resourceTemplates' | 'prompts'>): KillSwitchVerification['baseline'] {
  return {
    tools: inventory.tools.map((item) => item.name),
    resources: inventory.resources.map((item) => item.name),
    resourceTemplates: inventory.resourceTemplates.map((item) => item.name),
    prompts: inventory.prompts.map((item) => item.name),
  };
}

interface Engagement {
  engaged: KillSwitch;
  server: boolean;
  capabilities: string[];
}

function keyOf(engaged: KillSwitch): string {
  const env = Object.entries(engaged.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([env, engaged.args]);
}

/** One relaunch per distinct engagement, server switch first, then capabilities in declaration order. */
export function plannedEngagements(declared: DeclaredKillSwitches): Engagement[] {
  const byKey = new Map<string, Engagement>();
  const add = (engaged: KillSwitch, capability?: string): void => {
    const key = keyOf(engaged);
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { engaged, server: false, capabilities: [] };
      byKey.set(key, entry);
    }
    if (capability === undefined) entry.server = true;
    else entry.capabilities.push(capability);
  };
  if (declared.server !== undefined) add(declared.server);
  for (const [name, engaged] of Object.entries(declared.capabilities)) add(engaged, name);
  return [...byKey.values()];
}

function engagedSpec(spec: TargetSpec & { kind: 'stdio' }, engaged: KillSwitch): TargetSpec & { kind: 'stdio' } {
  return { ...spec, env: { ...spec.env, ...engaged.env }, args: [...spec.args, ...engaged.args] };
}

function bounded(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const short = trimmed.length > MESSAGE_LIMIT ? `…${trimmed.slice(-MESSAGE_LIMIT)}` : trimmed;
  return maskSecrets(short.replace(/\s*\n\s*/g, ' | '));
}

/** With --probe: calls each still-listed tool of the engagement once, if probing's safety rule allows it. */
function probeHooks(
  engagement: Engagement,
  baseline: Inventory,
  spec: TargetSpec & { kind: 'stdio' },
  probe: ProbeOptions | undefined,
  calls: SwitchCall[],
): DiscoverHooks {
  if (probe === undefined || engagement.capabilities.length === 0) return {};
  return {
    beforeClose: async ({ client, inventory, deadline }) => {
      try {
        const { callToolSafely, probeEligibility } = await import('../probe/index.js');
        const { synthesiseArguments } = await import('../probe/synthesise.js');
        for (const name of engagement.capabilities) {
          const listed = inventory.tools.find((tool) => tool.name === name);
          if (listed === undefined) continue;
          // What the normal launch said about the tool counts too: destructive there, never called here.
          const before = baseline.tools.find((tool) => tool.name === name);
          const refusal = before === undefined ? undefined : probeEligibility(before, probe.allow);
          if (refusal !== undefined && !refusal.callable) {
            calls.push({ name, called: false, reason: refusal.reason });
            continue;
          }
          const args = synthesiseArguments(listed.inputSchema);
          if (!args.ok) {
            calls.push({ name, called: false, reason: `no safe arguments: ${args.reason}` });
            continue;
          }
          const timeoutMs = Math.min(probe.callTimeoutMs, deadline.remainingMs() - CLOSE_RESERVE_MS);
          if (timeoutMs <= 0) {
            calls.push({ name, called: false, reason: 'the time budget ran out' });
            continue;
          }
          const result = await callToolSafely(client, listed, args.value as Record<string, unknown>, {
            allow: probe.allow,
            timeoutMs,
            maxTextBytes: 4096,
            knownValues: Object.values(spec.env),
          });
          if (!result.called) {
            calls.push({ name, called: false, reason: result.reason });
            continue;
          }
          const { record } = result;
          const text = bounded(record.error?.message ?? record.text);
          calls.push({
            name,
            called: true,
            outcome: record.outcome,
            ...(record.isError !== undefined ? { isError: record.isError } : {}),
            ...(text ? { text } : {}),
          });
        }
      } catch (error) {
        calls.push({
          name: engagement.capabilities.join(','),
          called: false,
          reason: `probing failed: ${maskSecrets(error instanceof Error ? error.message : String(error))}`,
        });
      }
    },
  };
}

async function relaunch(spec: TargetSpec & { kind: 'stdio' }, engaged: KillSwitch, limits: DiscoveryLimits, hooks: DiscoverHooks): Promise<SwitchOutcome> {
  try {
    const inventory = await discover(engagedSpec(spec, engaged), limits, { ...hooks, singleLaunch: true });
    return { kind: 'started', exposed: exposedNames(inventory) };
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    if (error.timedOut) return { kind: 'timed-out', seconds: Math.round(limits.timeoutMs / 100) / 10 };
    if (error.exit !== undefined) {
      const message = bounded(error.stderrTail);
      return { kind: 'exited', code: error.exit.code, signal: error.exit.signal, ...(message ? { message } : {}) };
    }
    return { kind: 'failed', message: maskSecrets(error.message) };
  }
}

export async function verifyKillSwitches(
  spec: TargetSpec,
  declared: DeclaredKillSwitches,
  baseline: Inventory,
  limits: DiscoveryLimits,
  probe?: ProbeOptions,
): Promise<KillSwitchVerification> {
  const started = performance.now();
  const verification: KillSwitchVerification = { runs: [], baseline: exposedNames(baseline), probing: probe === undefined ? 'off' : 'on', durationMs: 0 };
  if (spec.kind !== 'stdio') {
    verification.skipped =
      'an HTTP target is a server mcp-preflight did not start, so it cannot relaunch it with a switch engaged; verify the switches on a stdio target (or a staging deployment started with the switch)';
    return verification;
  }
  for (const engagement of plannedEngagements(declared)) {
    const runStarted = performance.now();
    const calls: SwitchCall[] = [];
    const outcome = await relaunch(spec, engagement.engaged, limits, probeHooks(engagement, baseline, spec, probe, calls));
    const run: SwitchRun = { ...engagement, outcome, ...(calls.length > 0 ? { calls } : {}), durationMs: Math.round(performance.now() - runStarted) };
    verification.runs.push(run);
  }
  verification.durationMs = Math.round(performance.now() - started);
  return verification;
}

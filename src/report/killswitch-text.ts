import type { Inventory } from '../inventory/model.js';
import { describeSwitch, type SwitchOutcome, type SwitchRun } from '../killswitch/types.js';

/**
 * The kill-switch summary of the text report (only with --verify-kill-switches): each relaunch, the
 * switch it engaged, and what the server did. The killswitch rules judge; this only tells what was
 * seen, so a failing verdict can be checked by hand. Bounded; the caller masks and escapes it.
 */

const MAX_LINES = 30;

function exposed(outcome: Extract<SwitchOutcome, { kind: 'started' }>): string {
  const { tools, resources, resourceTemplates, prompts } = outcome.exposed;
  const total = tools.length + resources.length + resourceTemplates.length + prompts.length;
  if (total === 0) return 'started, exposing nothing';
  const named = [...tools, ...prompts, ...resources, ...resourceTemplates];
  return `started, exposing ${total} (${named.slice(0, 6).join(', ')}${named.length > 6 ? ', …' : ''})`;
}

function outcomeText(run: SwitchRun): string {
  const outcome = run.outcome;
  switch (outcome.kind) {
    case 'started':
      return exposed(outcome);
    case 'exited': {
      const status = outcome.signal ? `signal ${outcome.signal}` : `exit ${outcome.code ?? '?'}`;
      const message = outcome.message?.trim().split('\n').at(-1);
      return `refused to start (${status}${message ? `: ${message.slice(0, 120)}` : ', no message'})`;
    }
    case 'timed-out':
      return `no answer within ${outcome.seconds} s`;
    case 'failed':
      return `failed: ${outcome.message}`;
  }
}

export function killSwitchSummaryLines(inventory: Inventory | undefined): string[] {
  const verification = inventory?.killSwitches?.verification;
  if (verification === undefined) return [];
  if (verification.skipped !== undefined) return [`kill switches: not verified (${verification.skipped})`];
  const lines = [`kill switches: ${verification.runs.length} relaunch${verification.runs.length === 1 ? '' : 'es'} in ${verification.durationMs} ms`];
  const body = verification.runs.map((run) => {
    const which = [...(run.server ? ['server'] : []), ...run.capabilities].join(', ');
    const calls = (run.calls ?? []).map((call) =>
      call.called
        ? `${call.name} answered ${call.outcome === 'result' ? (call.isError ? 'a tool error' : 'a result') : call.outcome}`
        : `${call.name} not called (${call.reason ?? ''})`,
    );
    return `  ${which} with ${describeSwitch(run.engaged)}: ${outcomeText(run)}${calls.length > 0 ? `; ${calls.join('; ')}` : ''}`;
  });
  lines.push(...body.slice(0, MAX_LINES));
  if (body.length > MAX_LINES) lines.push(`  … ${body.length - MAX_LINES} more (see the JSON report)`);
  return lines;
}

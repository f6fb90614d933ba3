import { defineCheck, type MessageIdOf } from '../../engine/define-check.js';
import type { FindingInput as AnyFindingInput } from '../../engine/types.js';
import { allCapabilities, capabilityRef, type CapabilityRef, type Inventory } from '../../inventory/model.js';
import { describeSwitch, type KillSwitchVerification, type SwitchRun } from '../../killswitch/types.js';

type FindingInput = AnyFindingInput<MessageIdOf<'killswitch/ineffective-switch'>>;

/**
 * killswitch/ineffective-switch: a switch declared in the config (`killSwitches`) that, engaged on a
 * relaunch (`check --verify-kill-switches`), does not turn its server or capability off. A server
 * switch must leave nothing exposed, or make the server refuse to start with a message on stderr; a
 * capability switch must remove the capability from discovery, or (with `--probe`, for a tool
 * probing may call: read-only or allow-listed, never destructive) answer with a clear "disabled" error.
 */

const DISABLED = /\b(disabled|kill[ -]?switch|switched off|turned off|not (currently )?(available|enabled)|unavailable|maintenance|read[ -]?only mode)\b/i;

type Exposed = KillSwitchVerification['baseline'];

function exposedCount(exposed: Exposed): number {
  return exposed.tools.length + exposed.resources.length + exposed.resourceTemplates.length + exposed.prompts.length;
}

function sample(exposed: Exposed): string {
  const names = [...exposed.tools, ...exposed.prompts, ...exposed.resources, ...exposed.resourceTemplates];
  return names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', ');
}

function isExposed(exposed: Exposed, name: string): boolean {
  return exposed.tools.includes(name) || exposed.resources.includes(name) || exposed.resourceTemplates.includes(name) || exposed.prompts.includes(name);
}

function refOf(inventory: Inventory, name: string): CapabilityRef {
  const capability = allCapabilities(inventory).find((candidate) => candidate.name === name);
  return capability === undefined ? { kind: 'tool', name } : capabilityRef(capability);
}

function exitText(outcome: Extract<SwitchRun['outcome'], { kind: 'exited' }>): string {
  return outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code ?? 'unknown'}`;
}

function judgeServer(run: SwitchRun, engaged: string): FindingInput | undefined {
  const base = { capability: { kind: 'server' } as CapabilityRef, field: 'killSwitches.server', evidence: engaged };
  const outcome = run.outcome;
  if (outcome.kind === 'started') {
    const count = exposedCount(outcome.exposed);
    return count === 0 ? undefined : { ...base, messageId: 'serverStillExposes', data: { switch: engaged, count, names: sample(outcome.exposed) } };
  }
  if (outcome.kind === 'exited')
    return outcome.message ? undefined : { ...base, messageId: 'serverExitedSilently', data: { switch: engaged, exit: exitText(outcome) } };
  if (outcome.kind === 'timed-out') return { ...base, messageId: 'serverHung', data: { switch: engaged, seconds: outcome.seconds } };
  return { ...base, messageId: 'relaunchFailed', data: { switch: engaged, message: outcome.message } };
}

function judgeCapability(inventory: Inventory, verification: KillSwitchVerification, run: SwitchRun, name: string, engaged: string): FindingInput | undefined {
  const baseline = verification.baseline;
  const base = { capability: refOf(inventory, name), field: `killSwitches.capabilities.${name}`, evidence: engaged };
  if (!isExposed(baseline, name)) return { ...base, messageId: 'unknownCapability', data: { name, switch: engaged } };
  const outcome = run.outcome;
  if (outcome.kind === 'started') {
    if (!isExposed(outcome.exposed, name)) return undefined;
    const call = run.calls?.find((candidate) => candidate.name === name);
    if (call?.called) {
      const failed = call.outcome === 'rpc-error' || call.isError === true;
      if (failed && DISABLED.test(call.text ?? '')) return undefined;
      if (!failed && call.outcome === 'result') return { ...base, messageId: 'capabilityStillAnswers', data: { name, switch: engaged } };
      return { ...base, messageId: 'capabilityUnclearError', data: { name, switch: engaged, text: call.text ?? call.outcome ?? 'no answer' } };
    }
    const why =
      verification.probing === 'off'
        ? 'probing is off (--probe), so it was not called to look for a "disabled" answer'
        : `it was not called to look for a "disabled" answer (${call?.reason ?? 'not a tool'})`;
    return { ...base, messageId: 'capabilityStillListed', data: { name, switch: engaged, why } };
  }
  // The same engagement is also the server switch: the server going away is what was asked for.
  if (run.server && outcome.kind === 'exited' && outcome.message) return undefined;
  if (outcome.kind === 'exited')
    return {
      ...base,
      messageId: 'capabilityStopsServer',
      data: { name, switch: engaged, exit: exitText(outcome), message: outcome.message ?? 'no message on stderr' },
    };
  if (outcome.kind === 'timed-out') return { ...base, messageId: 'capabilityHung', data: { name, switch: engaged, seconds: outcome.seconds } };
  return { ...base, messageId: 'relaunchFailed', data: { switch: engaged, message: outcome.message } };
}

export const ineffectiveSwitch = defineCheck('killswitch/ineffective-switch', ({ inventory, report, skip }) => {
  const killSwitches = inventory.killSwitches;
  const declared = killSwitches?.declared;
  if (declared === undefined || (declared.server === undefined && Object.keys(declared.capabilities).length === 0)) {
    skip?.('no kill switch is declared in the config (killSwitches)');
    return;
  }
  const verification = killSwitches!.verification;
  if (verification === undefined) {
    skip?.('the declared kill switches were not verified: run check with --verify-kill-switches (it relaunches a stdio server once per switch)');
    return;
  }
  if (verification.skipped !== undefined) {
    skip?.(verification.skipped);
    return;
  }
  for (const run of verification.runs) {
    const engaged = describeSwitch(run.engaged);
    if (run.server) {
      const finding = judgeServer(run, engaged);
      if (finding) report(finding);
    }
    for (const name of run.capabilities) {
      const finding = judgeCapability(inventory, verification, run, name, engaged);
      if (finding) report(finding);
    }
  }
});

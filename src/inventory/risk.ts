import { splitWords } from '../checks/words.js';
import type { CodeSite, SourceRegistration } from '../source/types.js';
import { capabilityRef, type Capability, type CapabilityRef, type Inventory, type ToolCapability } from './model.js';

/**
 * The risk class of each capability, from its annotations, its name, and (with source analysis)
 * what its handler reaches. Facts, not verdicts: rules (killswitch, audit, risk assertions) and
 * reporters (the ranked inventory) read it. Ordered from most to least risky.
 */
export const RISK_CLASSES = ['exec', 'destructive', 'write', 'open-world', 'read-only'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

export interface RiskAssessment {
  capability: CapabilityRef;
  class: RiskClass;
  /** Reaches systems outside the server (openWorldHint, outbound HTTP), whatever the class. */
  openWorld: boolean;
  /** Higher is riskier; sorts the ranked inventory. */
  score: number;
  /** Each signal that decided the class, in words, e.g. `name verb "delete"`, `handler spawns a process`. */
  reasons: string[];
}

const EXEC_WORDS = new Set(['exec', 'execute', 'shell', 'bash', 'sh', 'zsh', 'powershell', 'terminal', 'cmd', 'command', 'script', 'eval', 'spawn']);
const DESTRUCTIVE_VERBS = new Set(['delete', 'remove', 'drop', 'truncate', 'destroy', 'purge', 'wipe', 'erase', 'overwrite', 'reset', 'force', 'kill', 'terminate', 'revoke', 'uninstall', 'unlink', 'rm', 'rmdir', 'del', 'prune', 'rollback', 'revert', 'unpublish', 'deprovision']);
const WRITE_VERBS = new Set(['create', 'insert', 'append', 'write', 'update', 'edit', 'modify', 'patch', 'put', 'post', 'set', 'save', 'upload', 'send', 'publish', 'push', 'commit', 'merge', 'move', 'rename', 'install', 'deploy', 'approve', 'archive', 'assign', 'invite', 'transfer', 'restart', 'stop', 'enable', 'disable', 'toggle', 'replace', 'import', 'submit', 'grant', 'ban', 'block', 'pay', 'charge', 'refund', 'book', 'order', 'reply', 'comment', 'close', 'cancel', 'schedule', 'mkdir', 'chmod', 'chown']);
const READ_VERBS = new Set(['get', 'list', 'read', 'search', 'find', 'fetch', 'query', 'show', 'describe', 'view', 'count', 'check', 'lookup', 'inspect', 'preview', 'status', 'history', 'diff', 'validate', 'explain', 'summarize', 'analyze', 'browse', 'retrieve', 'download', 'export', 'ping', 'echo']);

const BASE_SCORE: Record<RiskClass, number> = { exec: 100, destructive: 80, write: 50, 'open-world': 30, 'read-only': 10 };

/** The source registration of a capability, when source analysis tied one to it by kind and name. */
export function registrationOf(capability: Capability, inventory: Inventory): SourceRegistration | undefined {
  return inventory.source?.registrations.find((registration) => registration.kind === capability.kind && registration.name === capability.name);
}

function reaches(registration: SourceRegistration | undefined, kind: CodeSite['kind']): CodeSite | undefined {
  return registration?.handler?.reaches.find((site) => site.kind === kind);
}

function assessTool(tool: ToolCapability, inventory: Inventory): Omit<RiskAssessment, 'capability' | 'score'> {
  const reasons: string[] = [];
  const words = splitWords(tool.name);
  const annotations = tool.annotations ?? {};
  const registration = registrationOf(tool, inventory);
  const outbound = reaches(registration, 'outbound-http');
  const openWorld = annotations.openWorldHint === true || outbound !== undefined;
  if (annotations.openWorldHint === true) reasons.push('openWorldHint: true');
  if (outbound) reasons.push(`handler calls ${outbound.what}`);

  const spawn = reaches(registration, 'process-spawn') ?? reaches(registration, 'eval');
  const execWord = words.find((word) => EXEC_WORDS.has(word));
  if (spawn || execWord) {
    if (spawn) reasons.unshift(`handler reaches ${spawn.what}`);
    if (execWord) reasons.unshift(`name word "${execWord}"`);
    return { class: 'exec', openWorld, reasons };
  }
  const destructiveVerb = words.find((word) => DESTRUCTIVE_VERBS.has(word));
  if (destructiveVerb || (annotations.destructiveHint === true && annotations.readOnlyHint !== true)) {
    reasons.unshift(destructiveVerb ? `name verb "${destructiveVerb}"` : 'destructiveHint: true');
    return { class: 'destructive', openWorld, reasons };
  }
  const writeVerb = words.find((word) => WRITE_VERBS.has(word));
  if (writeVerb || annotations.readOnlyHint === false) {
    reasons.unshift(writeVerb ? `name verb "${writeVerb}"` : 'readOnlyHint: false');
    return { class: 'write', openWorld, reasons };
  }
  const readVerb = words.find((word) => READ_VERBS.has(word));
  if (annotations.readOnlyHint === true || readVerb) {
    reasons.unshift(annotations.readOnlyHint === true ? 'readOnlyHint: true' : `name verb "${readVerb}"`);
    return { class: openWorld ? 'open-world' : 'read-only', openWorld, reasons };
  }
  // Neither the annotations nor the name say it only reads: assume it writes (the spec's default
  // for an unannotated tool is even destructive).
  reasons.unshift('no readOnlyHint and no read verb in the name: assumed to write');
  return { class: 'write', openWorld, reasons };
}

export function assessRisk(capability: Capability, inventory: Inventory): RiskAssessment {
  const assessed =
    capability.kind === 'tool'
      ? assessTool(capability, inventory)
      : { class: 'read-only' as const, openWorld: false, reasons: [`${capability.kind === 'prompt' ? 'a prompt' : 'a resource'}: read by the client, not an action`] };
  const score = BASE_SCORE[assessed.class] + (assessed.openWorld ? 10 : 0);
  return { capability: capabilityRef(capability), ...assessed, score };
}

/** Every capability, riskiest first (ties by kind, then name, so the order is stable). */
export function rankCapabilities(inventory: Inventory): RiskAssessment[] {
  const capabilities: Capability[] = [...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates, ...inventory.prompts];
  return capabilities
    .map((capability) => assessRisk(capability, inventory))
    .sort((a, b) => b.score - a.score || a.capability.kind.localeCompare(b.capability.kind) || (a.capability.name ?? '').localeCompare(b.capability.name ?? ''));
}

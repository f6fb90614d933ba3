import type { Client } from '@modelcontextprotocol/client';
import type { Deadline } from '../discovery/deadline.js';
import type { Inventory, PromptCapability } from '../inventory/model.js';
import { DEFAULT_CALL_TIMEOUT_MS, probeEligibility, sendProbeRequest, type CallBounds } from './call.js';
import { probeContainment } from './containment.js';
import { createSanitiser } from './sanitise.js';
import { invalidArguments, synthesiseArguments } from './synthesise.js';
import { validateAgainstSchema } from '../util/json-schema-validate.js';
import type { ProbeFacts, ProbeOptions, PromptProbe, ResourceProbe, ToolProbe } from './types.js';

/**
 * Opt-in probing (`check --probe`), inside the discovery connection and its time budget: for every
 * tool marked read-only (or allow-listed, never one marked destructive) one call with invalid
 * arguments and one with minimal valid ones; `resources/read` of the first listed resources;
 * `prompts/get` of the first prompts, their required arguments synthesised by the same rules as a
 * tool's (a path, URL, id, query or command is never made up: that prompt is skipped, with the
 * reason). Facts only; the probe rules judge.
 */

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = {
  allow: [],
  callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
  maxResources: 20,
  maxPrompts: 20,
  maxTextBytes: 32 * 1024,
};

/** What probing may use of a live connection (src/discovery keeps it open until this returns). */
export interface ProbeSession {
  client: Client;
  inventory: Inventory;
  deadline: Deadline;
}

export interface ProbeEnvironment {
  /** Names of the server's environment (never values). */
  names: string[];
  /** Values the user gave the server (env, headers), masked literally in everything kept. */
  knownValues: string[];
}

/** Left for closing the connection after the last call. */
const CLOSE_RESERVE_MS = 250;

export async function collectProbeFacts(session: ProbeSession, options: ProbeOptions, environment: ProbeEnvironment): Promise<ProbeFacts> {
  const started = performance.now();
  const { client, inventory, deadline } = session;
  const sanitiser = createSanitiser(environment.knownValues);
  const facts: ProbeFacts = {
    options: { ...options, allow: [...options.allow] },
    tools: [],
    resources: [],
    prompts: [],
    unknownAllowed: options.allow.filter((name) => !inventory.tools.some((tool) => tool.name === name)),
    environmentNames: [...environment.names].sort(),
    calls: 0,
    durationMs: 0,
  };
  const outOfTime = (): boolean => {
    if (deadline.remainingMs() > CLOSE_RESERVE_MS + 50 && !deadline.expired()) return false;
    facts.stoppedEarly ??= `the time budget (--timeout, ${Math.round(deadline.totalMs / 100) / 10} s) ran out while probing`;
    return true;
  };
  const bounds = (): CallBounds => ({
    timeoutMs: Math.min(options.callTimeoutMs, deadline.remainingMs() - CLOSE_RESERVE_MS),
    signal: deadline.signal,
    maxTextBytes: options.maxTextBytes,
    sanitiser,
  });

  // Every tool listed under each name, in listing order (grouped once: a filter per name was all pairs).
  const byName = new Map<string, (typeof inventory.tools)[number][]>();
  for (const tool of inventory.tools) {
    const group = byName.get(tool.name);
    if (group === undefined) byName.set(tool.name, [tool]);
    else group.push(tool);
  }
  for (const [, twins] of byName) {
    // A name listed twice is called only if every tool listed under it may be: the server decides
    // which one a call reaches, and a hostile one could pair a read-only twin with a destructive one.
    const tool = twins[0]!;
    const refused = twins.map((twin) => probeEligibility(twin, options.allow)).find((decision) => !decision.callable);
    const eligibility =
      refused !== undefined
        ? { callable: false as const, reason: twins.length > 1 ? `listed ${twins.length} times; one of them: ${refused.reason}` : refused.reason }
        : probeEligibility(tool, options.allow);
    const entry: ToolProbe = { name: tool.name, decision: eligibility.callable ? 'probed' : 'skipped', reason: eligibility.reason };
    facts.tools.push(entry);
    if (!eligibility.callable) continue;
    if (outOfTime()) {
      entry.decision = 'skipped';
      entry.reason = `${eligibility.reason}; not called: ${facts.stoppedEarly}`;
      continue;
    }
    const invalid = invalidArguments(tool.inputSchema);
    if (invalid.ok) {
      facts.calls += 1;
      entry.invalidKind = invalid.kind;
      entry.invalid = await sendProbeRequest(client, 'tools/call', { name: tool.name, arguments: invalid.value }, bounds());
    } else {
      entry.invalidSkipped = invalid.reason;
    }
    const valid = synthesiseArguments(tool.inputSchema);
    let validSkipped = valid.ok ? undefined : valid.reason;
    if (valid.ok && tool.inputSchema !== undefined) {
      const check = validateAgainstSchema(tool.inputSchema, valid.value);
      if ('compileError' in check) validSkipped = `the input schema does not compile (${check.compileError})`;
      else if (!check.valid) validSkipped = `the synthesised arguments do not validate (${check.problem})`;
    }
    if (validSkipped !== undefined) entry.validSkipped = validSkipped;
    else if (outOfTime()) entry.validSkipped = `not called: ${facts.stoppedEarly}`;
    else if (valid.ok) {
      facts.calls += 1;
      entry.valid = await sendProbeRequest(client, 'tools/call', { name: tool.name, arguments: valid.value }, bounds());
    }
  }

  // The containment probe (src/probe/containment.ts): path escapes on read-only tools that take a path.
  if (!outOfTime()) {
    const counted = (): void => {
      facts.calls += 1;
    };
    facts.containment = await probeContainment({ client, tools: inventory.tools, allow: options.allow, bounds, outOfTime, counted }, options.roots ?? []);
  }

  for (const resource of inventory.resources.slice(0, options.maxResources)) {
    if (outOfTime()) break;
    facts.calls += 1;
    const read = await sendProbeRequest(client, 'resources/read', { uri: resource.uri }, bounds());
    facts.resources.push({ uri: sanitiser.text(resource.uri), name: sanitiser.text(resource.name), read } satisfies ResourceProbe);
  }

  for (const prompt of inventory.prompts) {
    if (facts.prompts.filter((entry) => entry.decision === 'probed').length >= options.maxPrompts) break;
    const synthesised = promptArguments(prompt);
    if (!synthesised.ok) {
      facts.prompts.push({ name: prompt.name, decision: 'skipped', reason: synthesised.reason });
      continue;
    }
    if (outOfTime()) break;
    facts.calls += 1;
    const get = await sendProbeRequest(client, 'prompts/get', { name: prompt.name, arguments: synthesised.value }, bounds());
    facts.prompts.push({ name: prompt.name, decision: 'probed', get } satisfies PromptProbe);
  }

  facts.durationMs = Math.round(performance.now() - started);
  return facts;
}

/** The facts when probing itself failed (a bug, not the server): nothing judged, the reason kept. */
export function failedProbeFacts(options: ProbeOptions, reason: string): ProbeFacts {
  return {
    options: { ...options, allow: [...options.allow] },
    tools: [],
    resources: [],
    prompts: [],
    unknownAllowed: [],
    environmentNames: [],
    calls: 0,
    durationMs: 0,
    stoppedEarly: `probing failed: ${reason}`,
  };
}

/**
 * Arguments for `prompts/get`: prompt arguments are strings, so each required one is synthesised as
 * a required string property with its description, by the tools' rules (synthesise.ts); optional
 * ones are left out.
 */
export function promptArguments(prompt: PromptCapability): { ok: true; value: Record<string, string> } | { ok: false; reason: string } {
  const required = (prompt.arguments ?? []).filter((argument) => argument.required === true);
  if (required.length === 0) return { ok: true, value: {} };
  const properties = Object.fromEntries(
    required.map((argument) => [argument.name, { type: 'string', ...(typeof argument.description === 'string' ? { description: argument.description } : {}) }]),
  );
  const synthesis = synthesiseArguments({ type: 'object', properties, required: required.map((argument) => argument.name) });
  if (!synthesis.ok) return { ok: false, reason: `not got: ${synthesis.reason}` };
  const value: Record<string, string> = {};
  for (const [name, item] of Object.entries(synthesis.value as Record<string, unknown>)) {
    if (typeof item !== 'string') return { ok: false, reason: `not got: required argument "${name}" cannot be given as a string` };
    value[name] = item;
  }
  return { ok: true, value };
}

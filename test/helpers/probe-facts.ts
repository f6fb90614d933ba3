import type { Inventory } from '../../src/inventory/model.js';
import type { CallRecord, ProbeFacts, ToolProbe } from '../../src/probe/types.js';
import { inventory, tool } from './inventory.js';

/** Probe facts built by hand for rule tests: one call's record, the probe of a tool, the facts, an inventory carrying them. */

export function record(fields: Partial<CallRecord>): CallRecord {
  return {
    method: 'tools/call',
    sent: '{}',
    outcome: 'result',
    latencyMs: 3,
    bytes: 20,
    content: [],
    text: '',
    truncated: false,
    hasStructuredContent: false,
    ...fields,
  };
}

export function probed(tools: ToolProbe[], extra: Partial<ProbeFacts> = {}): ProbeFacts {
  return {
    options: { allow: [], callTimeoutMs: 10_000, maxResources: 20, maxPrompts: 20, maxTextBytes: 262_144 },
    tools,
    resources: [],
    prompts: [],
    unknownAllowed: [],
    environmentNames: [],
    calls: tools.length * 2,
    durationMs: 10,
    ...extra,
  };
}

export function withProbe(probe: ProbeFacts, tools = probe.tools.map((entry) => tool(entry.name))): Inventory {
  return inventory({ tools, facts: ['live', 'probe'], probe });
}

export const entry = (name: string, fields: Partial<ToolProbe>): ToolProbe => ({ name, decision: 'probed', reason: 'readOnlyHint: true', ...fields });

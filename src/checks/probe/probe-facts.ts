import type { CheckContext } from '../../engine/types.js';
import type { CapabilityRef, Inventory } from '../../inventory/model.js';
import type { CallRecord } from '../../probe/types.js';

/** One request made while probing, with what it was about (for the probe rules). */
export interface ProbedCall {
  capability: CapabilityRef;
  /** `probe.invalid`, `probe.valid` (tools), `probe.read` (resources), `probe.get` (prompts). */
  field: string;
  record: CallRecord;
}

/** Every probe request of the inventory, in inventory order; nothing without --probe. */
export function* probedCalls(inventory: Inventory): Generator<ProbedCall> {
  const probe = inventory.probe;
  if (probe === undefined) return;
  for (const tool of probe.tools) {
    const capability: CapabilityRef = { kind: 'tool', name: tool.name };
    if (tool.invalid !== undefined) yield { capability, field: 'probe.invalid', record: tool.invalid };
    if (tool.valid !== undefined) yield { capability, field: 'probe.valid', record: tool.valid };
  }
  for (const resource of probe.resources) yield { capability: { kind: 'resource', name: resource.name }, field: 'probe.read', record: resource.read };
  for (const prompt of probe.prompts)
    if (prompt.get !== undefined) yield { capability: { kind: 'prompt', name: prompt.name }, field: 'probe.get', record: prompt.get };
}

/** An answer that is an error: a tool result with `isError: true`, or a JSON-RPC error. */
export function isErrorAnswer(record: CallRecord): boolean {
  return record.outcome === 'rpc-error' || (record.outcome === 'result' && record.isError === true);
}

/** The error text of an error answer: the result's text, or the JSON-RPC message and data. */
export function errorText(record: CallRecord): string {
  if (record.outcome === 'rpc-error') return [record.error?.message ?? '', dataText(record.error?.data)].filter(Boolean).join('\n');
  return record.text;
}

/** JSON-RPC error `data` as text; JSON data as its strings, one per line, so a `stack` reads as lines. */
function dataText(data: string | undefined): string {
  if (data === undefined) return '';
  try {
    const strings: string[] = [];
    const walk = (node: unknown, depth: number): void => {
      if (typeof node === 'string') strings.push(node);
      else if (depth < 16 && typeof node === 'object' && node !== null) for (const value of Object.values(node)) walk(value, depth + 1);
    };
    walk(JSON.parse(data), 0);
    return strings.length > 0 ? strings.join('\n') : data;
  } catch {
    return data;
  }
}

/**
 * True (and the rule skipped, with the reason) when --probe ran but could call nothing: the time
 * budget ran out first, or probing failed. A rule that judged nothing must not read as passed.
 */
export function nothingProbed(context: CheckContext): boolean {
  const probe = context.inventory.probe;
  if (probe === undefined || probe.calls > 0 || probe.stoppedEarly === undefined) return false;
  context.skip?.(`nothing was probed: ${probe.stoppedEarly}`);
  return true;
}

import type { Inventory } from '../inventory/model.js';
import type { CallRecord } from '../probe/types.js';

/**
 * The probe summary of the text report (only with --probe): what was called, what was not and why,
 * each call's outcome and latency. Bounded; the caller masks and escapes it like every other line.
 */

const MAX_LINES = 60;

function call(label: string, record: CallRecord): string {
  const outcome = record.outcome === 'result' ? (record.isError ? 'tool error' : 'result') : record.outcome;
  return `${label} ${outcome} ${record.latencyMs} ms${record.outcome === 'result' ? `, ${record.bytes} B` : ''}`;
}

export function probeSummaryLines(inventory: Inventory | undefined): string[] {
  const probe = inventory?.probe;
  if (probe === undefined) return [];
  const called = probe.tools.filter((tool) => tool.decision === 'probed');
  const skipped = probe.tools.filter((tool) => tool.decision === 'skipped');
  const lines = [
    `probe: ${probe.calls} call${probe.calls === 1 ? '' : 's'} in ${probe.durationMs} ms; ${called.length} tool${called.length === 1 ? '' : 's'} called, ${skipped.length} not called, ${probe.resources.length} resource${probe.resources.length === 1 ? '' : 's'} read, ${probe.prompts.filter((prompt) => prompt.get).length} prompt(s) got`,
  ];
  if (probe.stoppedEarly) lines.push(`  stopped early: ${probe.stoppedEarly}`);
  const body: string[] = [];
  for (const tool of called) {
    const parts = [
      tool.invalid ? call('invalid args →', tool.invalid) : `invalid args: not sent (${tool.invalidSkipped ?? 'n/a'})`,
      tool.valid ? call('minimal args →', tool.valid) : `minimal args: not sent (${tool.validSkipped ?? 'n/a'})`,
    ];
    body.push(`  called ${tool.name} (${tool.reason}): ${parts.join('; ')}`);
  }
  for (const tool of skipped) body.push(`  not called ${tool.name}: ${tool.reason}`);
  for (const resource of probe.resources) body.push(`  read ${resource.uri}: ${call('→', resource.read)}`);
  for (const prompt of probe.prompts)
    body.push(prompt.get ? `  got prompt ${prompt.name}: ${call('→', prompt.get)}` : `  prompt ${prompt.name} not got: ${prompt.reason ?? ''}`);
  if (probe.unknownAllowed.length > 0) body.push(`  probe.allow names no served tool: ${probe.unknownAllowed.join(', ')}`);
  lines.push(...body.slice(0, MAX_LINES));
  if (body.length > MAX_LINES) lines.push(`  … ${body.length - MAX_LINES} more (see the JSON report)`);
  return lines;
}

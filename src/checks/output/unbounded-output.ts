import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';
import type { CheckContext } from '../../engine/types.js';
import { probedCalls, nothingProbed } from '../probe/probe-facts.js';
import { namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

/**
 * output/unbounded-output, on whichever evidence was collected:
 * - source: a handler returns whole files (`readFile`), whole response bodies (`response.text()`),
 *   or `SELECT`s without `LIMIT`, with nothing bounding the size;
 * - probe: a probed result (tool call with minimal arguments, resource read, prompt) was larger
 *   than `maxBytes` (default 100 KB): with real arguments it will be larger still, and all of it
 *   lands in the model's context.
 */
export const unboundedOutput = defineCheck('output/unbounded-output', (context) => {
  judgeSource(context);
  if (context.inventory.probe !== undefined) judgeProbe(context);
});

function judgeSource({ inventory, report }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const handler = registration.handler;
    if (handler === undefined || registration.kind === 'prompt') continue;
    const unbounded = handler.reaches.find(
      (site) =>
        site.kind === 'file-read-unbounded' ||
        // A body read on the failure path becomes an error message, not the tool's output.
        (site.kind === 'body-read-unbounded' && site.detail.errorPath !== true) ||
        (site.kind === 'sql-call' && site.detail.hasLimit !== true && site.detail.dynamic !== true),
    );
    if (unbounded === undefined) continue;
    report({
      messageId: 'unbounded',
      data: {
        name: registration.name,
        kind: registration.kind,
        what: unbounded.what,
        file: relativeFile(facts, unbounded.location.file),
        line: unbounded.location.line,
      },
      capability: { kind: registration.kind, name: registration.name },
      evidence: unbounded.what,
      evidenceKind: 'source',
      location: unbounded.location,
    });
  }
}

function judgeProbe(context: CheckContext): void {
  const { inventory, rule, report } = context;
  if (nothingProbed(context)) return;
  const maxBytes = numberOption(rule, 'maxBytes');
  // One finding per capability: the invalid and the valid call usually say the same.
  const reported = new Set<string>();
  for (const { capability, field, record } of probedCalls(inventory)) {
    const key = `${capability.kind}\u0000${capability.name ?? ''}`;
    if (reported.has(key)) continue;
    if (record.outcome !== 'result' || record.bytes <= maxBytes) continue;
    reported.add(key);
    report({
      messageId: 'tooLarge',
      data: { bytes: record.bytes, maxBytes, method: record.method },
      capability,
      field,
      evidence: `${record.bytes} bytes`,
      evidenceKind: 'probe',
    });
  }
}

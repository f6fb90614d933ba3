import { defineCheck } from '../../engine/define-check.js';
import { numberOption, stringListOption } from '../../engine/options.js';
import type { CheckContext } from '../../engine/types.js';
import type { CodeSite, SourceRegistration } from '../../source/types.js';
import { probedCalls, nothingProbed } from '../probe/probe-facts.js';
import { namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

/**
 * output/unbounded-output, on whichever evidence was collected:
 * - source: a handler returns whole files (`readFile`), whole response bodies (`response.text()`),
 *   or `SELECT`s without `LIMIT`, with nothing bounding the size. A read counts only when its
 *   value reaches the result (`detail.flow`, src/source/returned-flow.ts): one cut by `slice`,
 *   handed to a library (a CSV parser, an upload) or only tested is not returned. The answer to a
 *   write request (`acknowledgementMethods`) of a tool that declares it writes (`readOnlyHint:
 *   false` or `destructiveHint: true`) is the upstream's acknowledgement, not content;
 * - probe: a probed result (tool call with minimal arguments, resource read, prompt) was larger
 *   than `maxBytes` (default 100 KB): with real arguments it will be larger still, and all of it
 *   lands in the model's context.
 */
export const unboundedOutput = defineCheck('output/unbounded-output', (context) => {
  judgeSource(context);
  if (context.inventory.probe !== undefined) judgeProbe(context);
});

/** A whole read whose value reaches the result (facts recorded before `flow` existed count as returned). */
function returned(site: CodeSite): boolean {
  return site.detail.flow === undefined || site.detail.flow === 'returned';
}

/** Does the tool say it writes (`readOnlyHint: false` or `destructiveHint: true`, live or else in source)? Unknown is no. */
function declaresWrite(inventory: CheckContext['inventory'], registration: SourceRegistration): boolean {
  let firstByName = toolsByName.get(inventory.tools);
  if (firstByName === undefined) {
    firstByName = new Map();
    for (const tool of inventory.tools) if (!firstByName.has(tool.name)) firstByName.set(tool.name, tool);
    toolsByName.set(inventory.tools, firstByName);
  }
  const annotations = (registration.name === undefined ? undefined : firstByName.get(registration.name))?.annotations ?? registration.annotations;
  return annotations?.readOnlyHint === false || annotations?.destructiveHint === true;
}

/** The first live tool of each name, as a search of the list finds it (built once, not per registration). */
const toolsByName = new WeakMap<CheckContext['inventory']['tools'], Map<string, CheckContext['inventory']['tools'][number]>>();

function judgeSource({ inventory, rule, report }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const acknowledgements = new Set(stringListOption(rule, 'acknowledgementMethods').map((method) => method.toUpperCase()));
  for (const registration of namedRegistrations(facts)) {
    const handler = registration.handler;
    if (handler === undefined || registration.kind === 'prompt') continue;
    // The answer to a write (POST, PUT...) of a tool that declares it writes is the upstream's
    // acknowledgement of that write: its size follows what was sent. A POST of a tool that reads
    // (a search, a query) or says nothing is content.
    const acknowledges = (site: CodeSite) =>
      registration.kind === 'tool' &&
      typeof site.detail.requestMethod === 'string' &&
      acknowledgements.has(site.detail.requestMethod) &&
      declaresWrite(inventory, registration);
    const unbounded = handler.reaches.find(
      (site) =>
        (site.kind === 'file-read-unbounded' && returned(site)) ||
        // A body read on the failure path becomes an error message, not the tool's output.
        (site.kind === 'body-read-unbounded' && site.detail.errorPath !== true && returned(site) && !acknowledges(site)) ||
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

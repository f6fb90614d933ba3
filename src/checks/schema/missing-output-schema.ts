import { defineCheck } from '../../engine/define-check.js';
import { packRegExp, type PackRegExp } from '../../util/ascii-twin.js';
import { recordListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import { capabilityRef } from '../../inventory/model.js';

/**
 * schema/missing-output-schema (live part): a tool whose description says it returns JSON or
 * structured data but which declares no `outputSchema` (revision 2025-06-18 and later), so clients
 * cannot validate the result and models parse free text. Whether a tool actually returns
 * `structuredContent` needs source analysis or a probe call: with --probe, a tool that returned
 * `structuredContent` without declaring a schema is reported too (the probe part).
 */
const OUTPUT_SCHEMA_SINCE = '2025-06-18';

interface Claim {
  id: string;
  regex: PackRegExp;
}

const compiled = new WeakMap<RuleMeta, Claim[]>();

function claimsOf(rule: RuleMeta): Claim[] {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const claims = recordListOption(rule, 'structuredClaims', (item) => {
    if (typeof item.id !== 'string' || typeof item.pattern !== 'string') throw new Error('a mapping with string "id" and "pattern"');
    return { id: item.id, regex: packRegExp(item.pattern) };
  });
  compiled.set(rule, claims);
  return claims;
}

export const missingOutputSchema = defineCheck('schema/missing-output-schema', ({ inventory, rule, report }) => {
  const revision = inventory.server.protocolVersion;
  if (revision !== undefined && revision < OUTPUT_SCHEMA_SINCE) return;
  const claims = claimsOf(rule);
  for (const tool of inventory.tools) {
    if (tool.outputSchema !== undefined || typeof tool.description !== 'string') continue;
    for (const claim of claims) {
      const match = claim.regex.exec(tool.description);
      if (match === null) continue;
      report({
        messageId: 'structuredWithoutSchema',
        data: { tool: tool.name, claim: match[0] },
        capability: capabilityRef(tool),
        field: 'outputSchema',
        evidence: `description: ${JSON.stringify(match[0])}`,
        ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
      });
      break;
    }
  }
  // Probe part (only with --probe): a read-only tool actually returned structuredContent.
  const tools = new Map(inventory.tools.map((tool) => [tool.name, tool]));
  for (const probed of inventory.probe?.tools ?? []) {
    const tool = tools.get(probed.name);
    if (tool === undefined || tool.outputSchema !== undefined) continue;
    const field =
      [probed.valid, probed.invalid].find((call) => call?.hasStructuredContent === true && call.isError !== true) === probed.valid
        ? 'probe.valid.structuredContent'
        : 'probe.invalid.structuredContent';
    if (![probed.valid, probed.invalid].some((call) => call?.hasStructuredContent === true && call.isError !== true)) continue;
    report({ messageId: 'returnedWithoutSchema', data: { tool: tool.name }, capability: capabilityRef(tool), field, evidence: 'structuredContent returned' });
  }
});

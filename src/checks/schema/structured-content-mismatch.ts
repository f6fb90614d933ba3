import { defineCheck } from '../../engine/define-check.js';
import { nothingProbed } from '../probe/probe-facts.js';
import { validateAgainstSchema } from '../../util/json-schema-validate.js';

/**
 * schema/structured-content-mismatch: a probed tool result's `structuredContent` does not validate
 * against the tool's `outputSchema` (servers MUST conform; SDK clients reject the result), or no
 * text block carries the same JSON (the spec's SHOULD, for clients that read only text). Tool
 * errors (`isError: true`) are not judged; a schema that does not compile is
 * schema/invalid-json-schema's finding.
 */
export const structuredContentMismatch = defineCheck('schema/structured-content-mismatch', (context) => {
  const { inventory, report } = context;
  if (nothingProbed(context)) return;
  const probe = inventory.probe;
  if (probe === undefined) return;
  const tools = new Map(inventory.tools.map((tool) => [tool.name, tool]));
  for (const probed of probe.tools) {
    const tool = tools.get(probed.name);
    const record = probed.valid ?? probed.invalid;
    for (const [field, call] of [
      ['probe.valid', probed.valid],
      ['probe.invalid', probed.invalid],
    ] as const) {
      if (call === undefined || call.outcome !== 'result' || call.isError === true || !call.hasStructuredContent) continue;
      const capability = { kind: 'tool' as const, name: probed.name };
      if (tool?.outputSchema !== undefined && call.structuredContent !== undefined) {
        const validation = validateAgainstSchema(tool.outputSchema, call.structuredContent);
        if ('valid' in validation && !validation.valid) {
          report({
            messageId: 'doesNotValidate',
            data: { problem: validation.problem },
            capability,
            field: `${field}.structuredContent`,
            evidence: validation.problem,
          });
        }
      }
      if (call.structuredMirrored === false) {
        report({ messageId: 'noTextMirror', capability, field: `${field}.content` });
      }
      // One call is enough to judge a tool; the invalid call only when no valid one returned structure.
      if (record === call) break;
    }
  }
});

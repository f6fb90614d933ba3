import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { excerpt } from '../json-schema.js';
import { inputSchemaProblem } from './input-schema.js';

/**
 * schema/missing-input-schema: a tool's `inputSchema` MUST be a JSON Schema object (not null) whose
 * root `type` is "object". Discovery keeps such tools as served (the SDK's own listTools would throw
 * on the whole page), so this rule is where they surface.
 */
export const missingInputSchema = defineCheck('schema/missing-input-schema', ({ inventory, report }) => {
  for (const tool of inventory.tools) {
    const problem = inputSchemaProblem(tool.inputSchema);
    if (problem === undefined) continue;
    const data: Record<string, string> = { tool: tool.name };
    if ('actual' in problem) data.actual = problem.actual;
    report({
      messageId: problem.messageId,
      data,
      capability: capabilityRef(tool),
      field: 'inputSchema',
      evidence: problem.messageId === 'absent' ? '(absent)' : excerpt(tool.inputSchema),
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { parametersOf } from '../parameters.js';
import { isFullyEnumerated, raisingClass, warningRiskClasses } from './risk-level.js';

/**
 * schema/missing-required: a tool declares parameters but no `required` list, and at least one of
 * them has neither a `default` nor "optional" in its description: the schema does not say which
 * arguments the handler needs, so clients and models guess (and handlers receive `undefined`).
 * A tool whose parameters are all defaulted or documented as optional is fine as it is. A `note`,
 * raised to a `warning` only when the rule's `warningRiskClasses` option names the tool's risk class
 * and the schema is not fully enumerated (./risk-level.ts).
 */
const OPTIONAL = /\boptional(?:ly)?\b|\bif\s+(?:omitted|not\s+(?:given|provided|set|specified))\b|\bdefaults?\s+(?:to|is)\b/i;

export const missingRequired = defineCheck('schema/missing-required', ({ inventory, rule, report }) => {
  const classes = warningRiskClasses(rule);
  for (const tool of inventory.tools) {
    const schema = tool.inputSchema;
    if (!isRecord(schema) || schema.required !== undefined) continue;
    const parameters = parametersOf(schema);
    if (parameters.length === 0) continue;
    const undecided = parameters.filter(({ schema: property }) => {
      if (!isRecord(property)) return false;
      if (property.default !== undefined) return false;
      return !(typeof property.description === 'string' && OPTIONAL.test(property.description));
    });
    if (undecided.length === 0) continue;
    report({
      messageId: 'noRequired',
      data: { tool: tool.name, count: parameters.length, parameters: undecided.map(({ name }) => name).join(', ') },
      capability: capabilityRef(tool),
      field: 'inputSchema.required',
      evidence: `required: (absent); no default: ${undecided.map(({ name }) => name).join(', ')}`,
      ...(!isFullyEnumerated(schema) && raisingClass(tool, inventory, classes) !== undefined ? { level: 'warning' as const } : {}),
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord, joinPath } from '../json-schema.js';
import { parametersOf } from '../parameters.js';

/**
 * schema/undocumented-params: tool parameters and prompt arguments without a description (a
 * `title` counts for parameters). The model fills them from the name alone. A `$ref` parameter is
 * documented where it points, so it is left alone.
 */
export const undocumentedParams = defineCheck('schema/undocumented-params', ({ inventory, report }) => {
  for (const tool of inventory.tools) {
    for (const parameter of parametersOf(tool.inputSchema)) {
      const schema = parameter.schema;
      if (!isRecord(schema) || schema.$ref !== undefined) continue;
      const documented = [schema.description, schema.title].some((text) => typeof text === 'string' && text.trim() !== '');
      if (documented) continue;
      report({
        messageId: 'parameter',
        data: { tool: tool.name, parameter: parameter.name },
        capability: capabilityRef(tool),
        field: joinPath(parameter.field, 'description'),
        evidence: parameter.name,
        ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
      });
    }
  }
  for (const prompt of inventory.prompts) {
    for (const argument of prompt.arguments ?? []) {
      if (typeof argument.description === 'string' && argument.description.trim() !== '') continue;
      report({
        messageId: 'promptArgument',
        data: { prompt: prompt.name, argument: argument.name },
        capability: capabilityRef(prompt),
        field: `${joinPath('arguments', argument.name)}.description`,
        evidence: argument.name,
      });
    }
  }
});

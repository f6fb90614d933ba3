import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord, schemaTypes } from '../json-schema.js';
import { isRestricted, parametersOf } from '../parameters.js';
import { raisingClass, warningRiskClasses } from './risk-level.js';

/**
 * schema/unbounded-input: parameters the schema lets grow without limit. Strings without
 * `maxLength`, `enum`, `const`, `pattern` or `format`; arrays without `maxItems`; and numbers whose
 * name says they size the work (`limit`, `count`, `depth`, `timeout`...) without a `maximum`. One
 * finding per tool, listing the parameters, so a large schema does not flood the report. A `note`,
 * raised to a `warning` only when the rule's `warningRiskClasses` option names the tool's risk class
 * and one of its unbounded strings is named for what reaches something dangerous (`warningParameterWords`:
 * a command, code, SQL, a path, a URL); see ./risk-level.ts.
 */

function unboundedKind(schema: unknown, sizeWord: boolean): string | undefined {
  if (!isRecord(schema)) return undefined;
  const types = schemaTypes(schema);
  if (types === undefined) return undefined;
  if (types.includes('string') && !isRestricted(schema) && schema.maxLength === undefined && schema.format === undefined) return 'string';
  if (types.includes('array') && schema.maxItems === undefined) return 'array';
  if (
    sizeWord &&
    (types.includes('integer') || types.includes('number')) &&
    schema.maximum === undefined &&
    schema.exclusiveMaximum === undefined &&
    schema.enum === undefined &&
    schema.const === undefined
  ) {
    return 'number';
  }
  return undefined;
}

export const unboundedInput = defineCheck('schema/unbounded-input', ({ inventory, rule, report }) => {
  const sizeWords = new Set(stringListOption(rule, 'sizeWords').map((word) => word.toLowerCase()));
  const classes = warningRiskClasses(rule);
  const dangerWords = new Set(stringListOption(rule, 'warningParameterWords').map((word) => word.toLowerCase()));
  for (const tool of inventory.tools) {
    let dangerous = false;
    const unbounded = parametersOf(tool.inputSchema).flatMap((parameter) => {
      const kind = unboundedKind(
        parameter.schema,
        parameter.words.some((word) => sizeWords.has(word)),
      );
      if (kind === 'string' && parameter.words.some((word) => dangerWords.has(word))) dangerous = true;
      return kind === undefined ? [] : [`${parameter.name} (${kind})`];
    });
    if (unbounded.length === 0) continue;
    const raised = dangerous && raisingClass(tool, inventory, classes) !== undefined;
    report({
      messageId: 'unbounded',
      data: { tool: tool.name, count: unbounded.length, parameters: unbounded.join(', ') },
      capability: capabilityRef(tool),
      field: 'inputSchema.properties',
      evidence: unbounded.join(', '),
      ...(raised ? { level: 'warning' as const } : {}),
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

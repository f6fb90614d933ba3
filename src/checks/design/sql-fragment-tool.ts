import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef, type ToolCapability } from '../../inventory/model.js';
import { isFreeFormString, parametersOf, type Parameter } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/sql-fragment-tool (live): a tool that takes no whole statement (design/raw-sql-tool) but
 * splices a model-written piece of SQL into the one it builds. Three shapes, each read from a
 * parameter name and the tool's name:
 * - a WHERE fragment (`where`, `where_clause`) on a tool that changes rows (`update`, `delete`,
 *   `mutation` in its name): `1=1` or a subquery picks every row to rewrite or delete. A WHERE on a
 *   partial index or an export changes no rows and is not reported;
 * - a policy expression (`using`, `with_check`) on a row-level-security tool (`rls`, `policy`):
 *   the model writes who may see which rows;
 * - a function body (`functionBody`, `body`) on a tool that creates functions or procedures:
 *   code that runs inside the database server (an error: `plpython3u` is a shell there).
 */

type Shape = 'whereFragment' | 'policyExpression' | 'functionBody';

function nameWords(tool: ToolCapability): Set<string> {
  return new Set(splitWords(tool.name));
}

export const sqlFragmentTool = defineCheck('design/sql-fragment-tool', ({ inventory, options, report }) => {
  const shapes: Array<{ shape: Shape; parameters: Set<string>; toolWords: Set<string>; level?: 'error' }> = [
    { shape: 'whereFragment', parameters: new Set(options.whereParameters.map(snakeName)), toolWords: new Set(options.rowWritingWords.map(snakeName)) },
    { shape: 'policyExpression', parameters: new Set(options.policyParameters.map(snakeName)), toolWords: new Set(options.policyWords.map(snakeName)) },
    {
      shape: 'functionBody',
      parameters: new Set(options.functionBodyParameters.map(snakeName)),
      toolWords: new Set(options.functionWords.map(snakeName)),
      level: 'error',
    },
  ];
  for (const tool of inventory.tools) {
    const words = nameWords(tool);
    const parameters = parametersOf(tool.inputSchema).filter((parameter) => isFreeFormString(parameter.schema));
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    let found: { shape: Shape; parameter: Parameter; level?: 'error' } | undefined;
    for (const { shape, parameters: names, toolWords, level } of shapes) {
      if (![...words].some((word) => toolWords.has(word))) continue;
      const parameter = parameters.find((candidate) => names.has(snakeName(candidate.name)));
      if (parameter !== undefined && (found === undefined || level === 'error')) found = { shape, parameter, ...(level === undefined ? {} : { level }) };
    }
    if (found === undefined) continue;
    report({
      messageId: found.shape,
      data: { tool: tool.name, parameter: found.parameter.name },
      capability: capabilityRef(tool),
      field: found.parameter.field,
      evidence: found.parameter.name,
      ...(found.level === undefined ? {} : { level: found.level }),
      ...location,
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { packRegExp } from '../../util/ascii-twin.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { isFreeFormString, parametersOf } from '../parameters.js';

/**
 * design/command-from-arguments (live): a tool whose own listing says it runs a command (a
 * parameter described as "The directory to run the command in") and that takes free-form text
 * besides (a branch name, a commit message, file names). Those strings become part of a command
 * line: through a shell, `$(...)` runs anything; even as separate arguments, a value starting with
 * `-` is an option (`--upload-pack=...`). Nothing in the listing shows either is prevented, so the
 * tool is reported (fail closed); a pattern or an enum on the value passes it. The tool that takes
 * the whole command line is design/shell-like-tool.
 */
export const commandFromArguments = defineCheck('design/command-from-arguments', ({ inventory, options, report }) => {
  const patterns = options.runsCommandPatterns.map((pattern) => packRegExp(pattern));
  for (const tool of inventory.tools) {
    const parameters = parametersOf(tool.inputSchema);
    const context = parameters.find((parameter) => {
      const description = isRecord(parameter.schema) && typeof parameter.schema.description === 'string' ? parameter.schema.description : '';
      return patterns.some((pattern) => pattern.test(description));
    });
    if (context === undefined) continue;
    const free = parameters.filter((parameter) => parameter !== context && isFreeFormString(parameter.schema));
    if (free.length === 0) continue;
    const names = free.map((parameter) => parameter.name).join(', ');
    report({
      messageId: 'argumentsInCommand',
      data: { tool: tool.name, parameters: names, context: context.name },
      capability: capabilityRef(tool),
      field: free[0]?.field ?? 'inputSchema',
      evidence: `${names}; ${context.name}: the directory to run the command in`,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { parametersOf } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/process-kill-tool (live): a tool named for killing processes (`kill_process`,
 * `terminate_process`) that takes a bare process id: any process the server's user owns can be
 * ended, the user's editor, database or the MCP client itself, not only the ones the server
 * started. Tools named for the server's own sessions or jobs (`force_terminate` of a terminal
 * session, `kill_background`) have no process noun and are not reported, nor is a tool that says it
 * signals a remote process (on the host an SSH session reaches); a pid restricted by an enum is not
 * a bare id.
 */
export const processKillTool = defineCheck('design/process-kill-tool', ({ inventory, options, report }) => {
  const killVerbs = new Set(options.killVerbs.map((word) => word.toLowerCase()));
  const processNouns = new Set(options.processNouns.map((word) => word.toLowerCase()));
  const pidParameters = new Set(options.pidParameters.map(snakeName));
  const remoteWords = new Set(options.remoteWords.map((word) => word.toLowerCase()));
  for (const tool of inventory.tools) {
    const words = splitWords(tool.name);
    if (!words.some((word) => killVerbs.has(word)) || !words.some((word) => processNouns.has(word))) continue;
    // "Send a signal to a remote process": a process on the host the user connected the tool to, not the server's own.
    if (splitWords(tool.description ?? '').some((word) => remoteWords.has(word))) continue;
    const pid = parametersOf(tool.inputSchema).find(
      (parameter) =>
        pidParameters.has(snakeName(parameter.name)) &&
        !(isRecord(parameter.schema) && (parameter.schema.enum !== undefined || parameter.schema.const !== undefined)),
    );
    if (pid === undefined) continue;
    report({
      messageId: 'anyProcess',
      data: { tool: tool.name, parameter: pid.name },
      capability: capabilityRef(tool),
      field: pid.field,
      evidence: `${tool.name}(${pid.name})`,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { parametersOf } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/port-forward-tool (live): a tool that opens a listening port on the machine the server
 * runs on and forwards it somewhere (`port_forward` onto a Kubernetes service, `ssh_tunnel_create`
 * with a SOCKS proxy). Read from a local-port parameter (`localPort`, `listen_port`) or from a name
 * that says tunnel or port forward; tools that list, close or stop tunnels (`ssh_tunnel_close`,
 * `stop_port_forward`) open nothing.
 */
export const portForwardTool = defineCheck('design/port-forward-tool', ({ inventory, options, report }) => {
  const portParameters = new Set(options.localPortParameters.map(snakeName));
  const tunnelWords = new Set(options.tunnelWords.map((word) => word.toLowerCase()));
  const closingVerbs = new Set(options.closingVerbs.map((word) => word.toLowerCase()));
  for (const tool of inventory.tools) {
    const words = splitWords(tool.name);
    if (words.some((word) => closingVerbs.has(word))) continue;
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const port = parametersOf(tool.inputSchema).find((parameter) => portParameters.has(snakeName(parameter.name)));
    if (port !== undefined) {
      report({
        messageId: 'localPort',
        data: { tool: tool.name, parameter: port.name },
        capability: capabilityRef(tool),
        field: port.field,
        evidence: port.name,
        ...location,
      });
      continue;
    }
    const named = words.includes('tunnel') || (words.includes('port') && words.includes('forward'));
    const word = words.find((candidate) => tunnelWords.has(candidate));
    if (!named && word === undefined) continue;
    report({ messageId: 'tunnelName', data: { tool: tool.name }, capability: capabilityRef(tool), field: 'name', evidence: tool.name, ...location });
  }
});

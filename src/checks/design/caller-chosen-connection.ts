import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { isFreeFormString, parametersOf } from '../parameters.js';
import { snakeName } from '../words.js';

/**
 * design/caller-chosen-connection (live): a tool that connects wherever the call says. Two shapes,
 * read from the parameter names alone:
 * - a free-form connection string (`connectionString`, `sourceConnectionString`, `dsn`,
 *   `database_url`): the model picks the database host and writes the credentials into the call;
 * - a free-form `host` next to credential parameters (`password`, `privateKey`, `username`): the
 *   call opens a session (SSH, a database) to any host it names. A `host` alone (`mute_host`,
 *   `ssh_failed_connections(host)` as a filter) is a name, not a destination, and a `dbHost` of a
 *   tool that works on an already configured server is not in the list.
 * An enum or a non-trivial pattern restricts the destination and passes.
 */
export const callerChosenConnection = defineCheck('design/caller-chosen-connection', ({ inventory, options, report }) => {
  const connections = options.connectionParameters.map(snakeName);
  const hosts = new Set(options.hostParameters.map(snakeName));
  const credentials = new Set(options.credentialParameters.map(snakeName));
  const isConnection = (name: string) => connections.some((suffix) => name === suffix || name.endsWith(`_${suffix}`));
  for (const tool of inventory.tools) {
    const parameters = parametersOf(tool.inputSchema);
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const connection = parameters.find((parameter) => isConnection(snakeName(parameter.name)) && isFreeFormString(parameter.schema));
    if (connection !== undefined) {
      report({
        messageId: 'connectionString',
        data: { tool: tool.name, parameter: connection.name },
        capability: capabilityRef(tool),
        field: connection.field,
        evidence: connection.name,
        ...location,
      });
      continue;
    }
    const host = parameters.find((parameter) => hosts.has(snakeName(parameter.name)) && isFreeFormString(parameter.schema));
    if (host === undefined) continue;
    const given = parameters.filter((parameter) => credentials.has(snakeName(parameter.name))).map((parameter) => parameter.name);
    if (given.length === 0) continue;
    report({
      messageId: 'hostWithCredentials',
      data: { tool: tool.name, parameter: host.name, credentials: given.join(', ') },
      capability: capabilityRef(tool),
      field: host.field,
      evidence: `${host.name}; credentials: ${given.join(', ')}`,
      ...location,
    });
  }
});

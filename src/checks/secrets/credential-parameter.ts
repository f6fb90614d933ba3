import { defineCheck } from '../../engine/define-check.js';
import { packRegExp } from '../../util/ascii-twin.js';
import { stringListOption } from '../../engine/options.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { parametersOf } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * secrets/credential-parameter (live): a tool whose top-level string parameter is a credential the
 * server authenticates with (`password`, `dbPassword`, `passphrase`, an OAuth authorization code).
 * The model writes every argument, so the credential has to be in its context first (pasted by the
 * user, read from a file), it stays in the transcript, and text injected into the context can
 * steer which host receives it. Judged on names (the last words of the parameter, `credentialWords`)
 * and descriptions (`credentialDescriptions`); a password the tool sets for a new account
 * (`newAccountDescriptions`: "Password for the user (for create operation)") is data it writes,
 * not a credential it uses, and passes. A connection string counts on a tool that connects
 * (`connect(connectionString)`). One finding per tool, naming every such parameter.
 */
export const credentialParameter = defineCheck('secrets/credential-parameter', ({ inventory, rule, report }) => {
  const words = new Set(stringListOption(rule, 'credentialWords').map(snakeName));
  const described = stringListOption(rule, 'credentialDescriptions').map((pattern) => packRegExp(pattern));
  const newAccount = stringListOption(rule, 'newAccountDescriptions').map((pattern) => packRegExp(pattern));
  const connectionParameters = new Set(stringListOption(rule, 'connectionParameters').map(snakeName));
  const connectVerbs = new Set(stringListOption(rule, 'connectVerbs').map((word) => word.toLowerCase()));
  for (const tool of inventory.tools) {
    // `connect(connectionString)`: the string it connects with carries the password; an optional override on every
    // query tool (`pg_execute_query(connectionString?)`) is a choice of database, judged by the over-broad rules.
    const connects = splitWords(tool.name).some((word) => connectVerbs.has(word));
    const credentials = parametersOf(tool.inputSchema).filter((parameter) => {
      if (connects && connectionParameters.has(snakeName(parameter.name))) return true;
      if (!isRecord(parameter.schema) || !(parameter.schema.type === 'string' || parameter.schema.type === undefined)) return false;
      const description = typeof parameter.schema.description === 'string' ? parameter.schema.description : '';
      const last = parameter.words[parameter.words.length - 1] ?? '';
      const named = words.has(last) || words.has(parameter.words.slice(-2).join('_'));
      if (!(named || described.some((regex) => regex.test(description)))) return false;
      return !newAccount.some((regex) => regex.test(description));
    });
    const first = credentials[0];
    if (first === undefined) continue;
    const names = credentials.map(({ name }) => name).join(', ');
    report({
      messageId: 'credentialParameter',
      data: { tool: tool.name, parameters: names },
      capability: capabilityRef(tool),
      field: first.field,
      evidence: names,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

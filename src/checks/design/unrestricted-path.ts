import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { isFreeFormString, parametersOf, stringSchemaOf } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/unrestricted-path (live part): a file-system path parameter (`path`, `filePath`,
 * `outputDirPath`...) the schema leaves free: no enum, no pattern beyond `.*`. The handler may
 * still confine it (the source part of the rule looks for that); live, the schema is all a client,
 * a reviewer and the model see, and a pattern such as `^(?!.*\.\.)[\w./-]+$` documents the limit.
 * A path whose description says it lives in a repository or project, or a tool that also takes an
 * `owner`/`repo`/`project_id`, addresses a remote system, not the server's file system. One finding
 * per tool, naming every such parameter.
 */
export const unrestrictedPath = defineCheck('design/unrestricted-path', ({ inventory, rule, report }) => {
  const pathWords = new Set(stringListOption(rule, 'pathWords').map((word) => word.toLowerCase()));
  const remoteWords = new Set(stringListOption(rule, 'remoteWords').map((word) => word.toLowerCase()));
  const remoteSiblings = new Set(stringListOption(rule, 'remoteSiblingParameters').map(snakeName));
  for (const tool of inventory.tools) {
    const parameters = parametersOf(tool.inputSchema);
    if (parameters.some(({ name }) => remoteSiblings.has(snakeName(name)))) continue;
    const free = parameters.filter((parameter) => {
      const last = parameter.words[parameter.words.length - 1];
      const joined = parameter.words.slice(-2).join('');
      if (!(last !== undefined && (pathWords.has(last) || pathWords.has(joined)))) return false;
      if (!isFreeFormString(parameter.schema)) return false;
      const schema = stringSchemaOf(parameter.schema);
      const description = [parameter.schema, schema].map((part) => (isRecord(part) && typeof part.description === 'string' ? part.description : '')).join(' ');
      return !splitWords(description).some((word) => remoteWords.has(word));
    });
    const first = free[0];
    if (first === undefined) continue;
    const names = free.map(({ name }) => name);
    report({
      messageId: 'pathParameter',
      data: { tool: tool.name, parameter: first.name, parameters: names.join(', ') },
      capability: capabilityRef(tool),
      field: first.field,
      evidence: names.join(', '),
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

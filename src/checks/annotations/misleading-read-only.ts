import { defineCheck } from '../../engine/define-check.js';
import { packRegExp } from '../../util/ascii-twin.js';
import { stringListOption } from '../../engine/options.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { parametersOf } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';
import { leadingVerb, wordSet } from './verbs.js';

/**
 * annotations/misleading-read-only (live part): `readOnlyHint: true` on a tool whose name leads with
 * a verb that changes things (`delete_file`, `send_message`, `github_create_issue`). Clients skip
 * confirmation for read-only tools, so the hint decides whether a user sees the call first. The
 * verb of the name decides (./verbs.ts): `get_update_status` and `order_status` read, `add_numbers`
 * adds up, `cancel_order` and `add_comment` write. And a read-only claim on a multi-operation tool
 * whose `operation` enum offers a write (`kubectl_context(operation: list|get|set)`), or on a tool
 * with a parameter described as a local path it saves to (`local_path`: "Local path to save the file").
 */
export const misleadingReadOnly = defineCheck('annotations/misleading-read-only', ({ inventory, rule, report }) => {
  const reads = wordSet(rule, 'readVerbs');
  const writes = wordSet(rule, 'writeVerbs');
  const nounVerbs = wordSet(rule, 'nounVerbs');
  const operations = new Set(stringListOption(rule, 'operationParameters').map(snakeName));
  const localSave = stringListOption(rule, 'localSavePhrases').map((pattern) => packRegExp(pattern));
  for (const tool of inventory.tools) {
    if (tool.annotations?.readOnlyHint !== true) continue;
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const verb = leadingVerb(tool, reads, writes, nounVerbs);
    if (verb?.kind !== 'write') {
      const parameters = parametersOf(tool.inputSchema);
      const operation = parameters
        .filter((parameter) => operations.has(snakeName(parameter.name)) && isRecord(parameter.schema) && Array.isArray(parameter.schema.enum))
        .flatMap((parameter) => ((parameter.schema as { enum: unknown[] }).enum ?? []).map((value) => ({ parameter, value })))
        .find(({ value }) => typeof value === 'string' && writes.has(splitWords(value)[0] ?? ''));
      if (operation !== undefined) {
        report({
          messageId: 'writeOperation',
          data: { tool: tool.name, parameter: operation.parameter.name, value: String(operation.value) },
          capability: capabilityRef(tool),
          field: 'annotations.readOnlyHint',
          evidence: `${tool.name}: readOnlyHint true; ${operation.parameter.name}: ${String(operation.value)}`,
          ...location,
        });
        continue;
      }
      const saves = parameters.find(
        (parameter) =>
          isRecord(parameter.schema) &&
          typeof parameter.schema.description === 'string' &&
          localSave.some((regex) => regex.test(String((parameter.schema as { description: string }).description))),
      );
      if (saves !== undefined)
        report({
          messageId: 'savesLocally',
          data: { tool: tool.name, parameter: saves.name },
          capability: capabilityRef(tool),
          field: 'annotations.readOnlyHint',
          evidence: `${tool.name}: readOnlyHint true; ${saves.name}`,
          ...location,
        });
      continue;
    }
    report({
      messageId: 'writeVerb',
      data: { tool: tool.name, verb: verb.verb },
      capability: capabilityRef(tool),
      field: 'annotations.readOnlyHint',
      evidence: `${tool.name}: readOnlyHint true`,
      ...location,
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import { capabilityRef } from '../../inventory/model.js';
import { parametersOf } from '../parameters.js';
import { splitWords } from '../words.js';

/**
 * output/list-tool-without-paging: a tool whose name leads with a listing verb (`list_issues`,
 * `search_files`, `query_logs`) but which has no parameter that bounds or pages the result
 * (`limit`, `cursor`, `page`, `offset`, `perPage`...). Every call returns everything, however
 * large. The first verb of the name decides: `get_roots_list` is a get.
 */
export const listToolWithoutPaging = defineCheck('output/list-tool-without-paging', ({ inventory, rule, report }) => {
  const listVerbs = new Set(stringListOption(rule, 'listVerbs'));
  const otherVerbs = new Set(stringListOption(rule, 'otherVerbs'));
  const pagingWords = new Set(stringListOption(rule, 'pagingWords'));
  for (const tool of inventory.tools) {
    const verb = splitWords(tool.name).find((word) => listVerbs.has(word) || otherVerbs.has(word));
    if (verb === undefined || !listVerbs.has(verb)) continue;
    const parameters = parametersOf(tool.inputSchema);
    if (parameters.some(({ words }) => words.some((word) => pagingWords.has(word)))) continue;
    report({
      messageId: 'noPaging',
      data: { tool: tool.name, verb },
      capability: capabilityRef(tool),
      field: 'inputSchema.properties',
      evidence: `${tool.name}(${parameters.map(({ name }) => name).join(', ')})`,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

import { describe, expect, it } from 'vitest';
import { closedSchema, tool, withTools } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

describe('output/list-tool-without-paging', () => {
  const RULE = 'output/list-tool-without-paging';
  it.each(['list_issues', 'searchFiles', 'query_logs', 'brave_web_search'])('catches %s without a paging parameter', (name) => {
    expect(runRule(RULE, withTools(tool(name, { inputSchema: closedSchema('repository') }))).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'noPaging', capability: { kind: 'tool', name }, field: 'inputSchema.properties' },
    ]);
  });
  it.each(['limit', 'cursor', 'page', 'perPage', 'max_results', 'offset', 'pageToken'])('passes a list tool with %s', (parameter) => {
    expect(runRule(RULE, withTools(tool('list_issues', { inputSchema: closedSchema('repository', parameter) })))).toEqual([]);
  });
  it.each(['get_roots_list', 'get_issue', 'simulate-research-query', 'create_list'])('passes %s (not a listing verb first)', (name) => {
    expect(runRule(RULE, withTools(tool(name)))).toEqual([]);
  });
});

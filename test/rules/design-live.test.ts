import { describe, expect, it } from 'vitest';
import { closedSchema, tool, withTools } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

const schemaWith = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });

describe('design/raw-sql-tool', () => {
  const RULE = 'design/raw-sql-tool';
  it.each(['sql', 'sqlQuery', 'statement', 'raw_sql'])('catches a free-form SQL parameter named %s', (parameter) => {
    const findings = runRule(RULE, withTools(tool('db', { inputSchema: closedSchema(parameter) })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'sqlParameter', capability: { kind: 'tool', name: 'db' }, field: `inputSchema.properties.${parameter}` }]);
  });
  it('catches a query parameter when the tool says SQL', () => {
    const findings = runRule(RULE, withTools(tool('query', { description: 'Run a read-only query against PostgreSQL.', inputSchema: closedSchema('query') })));
    expect(findings.map((finding) => finding.messageId)).toEqual(['sqlQueryParameter']);
    expect(findings[0]?.data.words).toContain('sql');
  });
  it.each([
    ['search_docs', 'Search the documentation. Select the best match.', 'query'],
    ['resolve-library-id', 'Resolve a package name; select the most relevant library.', 'query'],
    ['find_issues', 'Find issues in the database by text.', 'q'],
  ])('passes %s (a search query, not SQL)', (name, description, parameter) => {
    expect(runRule(RULE, withTools(tool(name, { description, inputSchema: closedSchema(parameter) })))).toEqual([]);
  });
  it('passes a sql parameter restricted to an enum of named queries', () => {
    expect(runRule(RULE, withTools(tool('report', { inputSchema: schemaWith({ sql: { type: 'string', enum: ['daily', 'weekly'] } }) })))).toEqual([]);
  });
});

describe('design/arbitrary-url-fetch', () => {
  const RULE = 'design/arbitrary-url-fetch';
  it.each([
    ['fetch_page', { url: { type: 'string' } }, 'url'],
    ['gzip', { data: { type: 'string', format: 'uri' } }, 'data'],
    ['scrape', { urls: { type: 'array', items: { type: 'string' } } }, 'urls'],
    ['fetch_source', { sourceUrl: { type: 'string', pattern: '^https?://.*' } }, 'sourceUrl'],
  ])('catches %s', (name, properties, parameter) => {
    expect(runRule(RULE, withTools(tool(name, { inputSchema: schemaWith(properties) }))).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'urlParameter', capability: { kind: 'tool', name }, field: `inputSchema.properties.${parameter}` },
    ]);
  });
  it.each([
    ['a host-pinned pattern', 'get_doc', { url: { type: 'string', pattern: '^https://docs\\.example\\.com/' } }, {}],
    ['an enum', 'open_site', { url: { type: 'string', enum: ['https://a.example'] } }, {}],
    ['a closed-world tool', 'fetch_page', { url: { type: 'string' } }, { openWorldHint: false }],
    ['a stored URL on a non-fetching tool', 'create_issue', { iconUrl: { type: 'string' } }, {}],
    ['an element target', 'browser_click', { target: { type: 'string' } }, {}],
  ])('passes %s', (_label, name, properties, annotations) => {
    expect(runRule(RULE, withTools(tool(name, { inputSchema: schemaWith(properties), annotations })))).toEqual([]);
  });
});

describe('design/unrestricted-path', () => {
  const RULE = 'design/unrestricted-path';
  it.each(['path', 'filePath', 'output_dir_path', 'filename', 'paths'])('catches a free %s parameter', (parameter) => {
    const findings = runRule(RULE, withTools(tool('read_file', { inputSchema: closedSchema(parameter) })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'pathParameter', capability: { kind: 'tool', name: 'read_file' }, field: `inputSchema.properties.${parameter}` }]);
  });
  it('reports a tool once, naming every free path parameter', () => {
    const findings = runRule(RULE, withTools(tool('copy', { inputSchema: closedSchema('sourcePath', 'targetPath') })));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.data.parameters).toBe('sourcePath, targetPath');
  });
  it.each([
    ['a traversal-free pattern', { path: { type: 'string', pattern: '^(?!.*\\.\\.)[A-Za-z0-9_./-]+$' } }],
    ['an enum', { path: { type: 'string', enum: ['a.txt'] } }],
    ['a repository path', { path: { type: 'string', description: 'Path of the file in the repository.' } }],
    ['a remote tool (owner/repo siblings)', { owner: { type: 'string', maxLength: 9 }, repo: { type: 'string', maxLength: 9 }, path: { type: 'string' } }],
    ['a sort direction', { sort_dir: { type: 'string' } }],
  ])('passes %s', (_label, properties) => {
    expect(runRule(RULE, withTools(tool('get_file', { inputSchema: schemaWith(properties) })))).toEqual([]);
  });
});

describe('design/too-many-tools', () => {
  const RULE = 'design/too-many-tools';
  const tools = (count: number) => Array.from({ length: count }, (_, index) => tool(`tool_${index}`));
  it('notes 41 tools, and says how many it saw on how many pages', () => {
    const facts = withTools(...tools(41));
    facts.listings = [{ list: 'tools', requested: true, pages: 2, items: 41, bytes: 1, durationMs: 1, complete: true, cursors: [], emptyPagesWithCursor: 0 }];
    const findings = runRule(RULE, facts);
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'many', capability: { kind: 'server' }, field: 'tools' }]);
    expect(findings[0]?.level).toBe('note');
    expect(findings[0]?.message).toBe('The server exposes 41 tools over 2 pages, more than 40; some clients (Cursor) cap tools at that count, and selection degrades past a few dozen.');
  });
  it('warns above 128, with "at least" when the listing stopped early', () => {
    const facts = withTools(...tools(129));
    facts.listings = [{ list: 'tools', requested: true, pages: 5, items: 129, bytes: 1, durationMs: 1, complete: false, stoppedEarly: 'page bound', cursors: [], emptyPagesWithCursor: 0 }];
    const findings = runRule(RULE, facts);
    expect(findings.map((finding) => [finding.messageId, finding.level])).toEqual([['tooMany', 'warning']]);
    expect(findings[0]?.message).toMatch(/^The server exposes at least 129 tools over 5 pages, more than 128,/);
  });
  it('passes 40 tools', () => {
    expect(runRule(RULE, withTools(...tools(40)))).toEqual([]);
  });
});

describe('design/invalid-tool-name', () => {
  const RULE = 'design/invalid-tool-name';
  it.each(['search issues', 'repo/search', 'naïve', 'a'.repeat(129), 'get,set'])('catches %s', (name) => {
    expect(runRule(RULE, withTools(tool(name))).map((finding) => finding.messageId)).toEqual(['invalidName']);
  });
  it('catches a duplicate name once', () => {
    const findings = runRule(RULE, withTools(tool('search'), tool('search'), tool('other')));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'duplicateName', capability: { kind: 'tool', name: 'search' }, field: 'name' }]);
    expect(findings[0]?.data.count).toBe(2);
  });
  it.each(['get_issue', 'getIssue', 'admin.tools.list', 'search-v2', 'A'.repeat(128)])('passes %s', (name) => {
    expect(runRule(RULE, withTools(tool(name)))).toEqual([]);
  });
});

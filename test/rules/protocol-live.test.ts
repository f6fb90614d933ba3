import { describe, expect, it } from 'vitest';
import type { ListingStats } from '../../src/inventory/model.js';
import { inventory, tool } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

const listing = (list: ListingStats['list'], fields: Partial<ListingStats> = {}): ListingStats => ({
  list, requested: true, complete: true, pages: 1, items: 1, bytes: 10, durationMs: 1, cursors: [], emptyPagesWithCursor: 0, ...fields,
});

describe('protocol/malformed-capability', () => {
  const RULE = 'protocol/malformed-capability';
  it('reports each malformed item and page', () => {
    const inv = inventory({
      malformed: [
        { list: 'tools', page: 1, index: 2, name: 'bad', problems: ['"inputSchema" is a string, not an object'], excerpt: '{"name":"bad"}' },
        { list: 'prompts', page: 2, index: 0, problems: ['"name" is missing'], excerpt: '{}' },
        { list: 'resources', page: 3, index: -1, problems: ['nextCursor is not a string'], excerpt: '42' },
      ],
    });
    expect(runRule(RULE, inv).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'malformedItem', capability: { kind: 'prompt' }, field: 'prompts.page[2][0]' },
      { ruleId: RULE, messageId: 'malformedPage', capability: { kind: 'server' }, field: 'resources.page[3]' },
      { ruleId: RULE, messageId: 'malformedItem', capability: { kind: 'tool', name: 'bad' }, field: 'tools.page[1][2]' },
    ]);
  });
  it('passes an inventory without malformed items', () => {
    expect(runRule(RULE, inventory({ tools: [tool('ok')] }))).toEqual([]);
  });
});

describe('protocol/deprecated-sse-transport', () => {
  const RULE = 'protocol/deprecated-sse-transport';
  it('catches the SSE fallback', () => {
    const inv = inventory();
    inv.server.transport = 'sse';
    inv.server.sseFallback = { status: 405, reason: 'Method Not Allowed' };
    expect(runRule(RULE, inv).map(shape)).toEqual([{ ruleId: RULE, messageId: 'sseOnly', capability: { kind: 'server' }, field: 'transport' }]);
  });
  it('passes stdio and Streamable HTTP', () => {
    const http = inventory();
    http.server.transport = 'streamable-http';
    expect([...runRule(RULE, inventory()), ...runRule(RULE, http)]).toEqual([]);
  });
});

describe('protocol/outdated-revision', () => {
  const RULE = 'protocol/outdated-revision';
  it.each(['2024-11-05', '2025-03-26'])('catches %s', (revision) => {
    const inv = inventory();
    inv.server.protocolVersion = revision;
    expect(runRule(RULE, inv).map((finding) => finding.data)).toEqual([{ revision, minimum: '2025-06-18' }]);
  });
  it.each(['2025-06-18', '2025-11-25', '2026-07-28', undefined])('passes %s', (revision) => {
    const inv = inventory();
    if (revision === undefined) delete inv.server.protocolVersion;
    else inv.server.protocolVersion = revision;
    expect(runRule(RULE, inv)).toEqual([]);
  });
});

describe('protocol/capability-mismatch', () => {
  const RULE = 'protocol/capability-mismatch';
  it('catches a declared list answered -32601 and an undeclared list that answers', () => {
    const inv = inventory({
      listings: [
        listing('tools', { error: { code: -32601, message: 'Method not found' } }),
        listing('prompts', { requested: false, pages: 0, items: 0, undeclaredAnswered: true }),
      ],
    });
    expect(runRule(RULE, inv).map((finding) => finding.messageId).sort()).toEqual(['declaredNotServed', 'servedNotDeclared']);
  });
  it('passes matching capabilities, refused undeclared lists, other errors and a missing templates list', () => {
    const inv = inventory({
      listings: [
        listing('tools'),
        listing('resources', { error: { code: -32603, message: 'Internal error' } }),
        listing('resourceTemplates', { error: { code: -32601, message: 'Method not found' } }),
        listing('prompts', { requested: false, pages: 0, items: 0, undeclaredAnswered: false }),
      ],
    });
    expect(runRule(RULE, inv)).toEqual([]);
  });
});

describe('protocol/pagination-abuse', () => {
  const RULE = 'protocol/pagination-abuse';
  it('catches a repeated cursor and repeated empty pages with a cursor', () => {
    const inv = inventory({
      listings: [
        listing('tools', { complete: false, pages: 3, stop: { reason: 'repeated-cursor' }, cursors: ['a', 'b', 'a'] }),
        listing('prompts', { pages: 4, emptyPagesWithCursor: 2 }),
      ],
    });
    expect(runRule(RULE, inv).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'emptyPages', capability: { kind: 'server' }, field: 'listings.prompts.emptyPagesWithCursor' },
      { ruleId: RULE, messageId: 'repeatedCursor', capability: { kind: 'server' }, field: 'listings.tools' },
    ]);
  });
  it('passes normal paging, one empty page, and a list cut short at our own bound (a large server is not abuse)', () => {
    expect(
      runRule(
        RULE,
        inventory({
          listings: [
            listing('tools', { pages: 3, cursors: ['a', 'b'] }),
            listing('prompts', { emptyPagesWithCursor: 1 }),
            listing('resources', { complete: false, pages: 500, items: 50_000, stop: { reason: 'items', limit: 50_000 } }),
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe('protocol/incomplete-discovery', () => {
  const RULE = 'protocol/incomplete-discovery';
  it('reports every advertised list not seen to its end: a bound, a repeated cursor, an error', () => {
    const inv = inventory({
      listings: [
        listing('tools', { complete: false, pages: 50, items: 5000, stop: { reason: 'items', limit: 5000 } }),
        listing('resources', { complete: false, pages: 3, stop: { reason: 'repeated-cursor' } }),
        listing('prompts', { complete: false, pages: 0, items: 0, stop: { reason: 'error' }, error: { code: -32603, message: 'down' } }),
      ],
    });
    expect(runRule(RULE, inv).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'failed', capability: { kind: 'server' }, field: 'listings.prompts' },
      { ruleId: RULE, messageId: 'stopped', capability: { kind: 'server' }, field: 'listings.resources' },
      { ruleId: RULE, messageId: 'stopped', capability: { kind: 'server' }, field: 'listings.tools' },
    ]);
    expect(runRule(RULE, inv).find((finding) => finding.field === 'listings.tools')?.message).toMatch(/tools\/list stopped at the item bound \(--max-items 5000\) after 50 pages, 5000 items/);
  });
  it('passes complete lists, lists never advertised, and inventories from before the field', () => {
    const { complete: _omitted, ...legacy } = listing('resources');
    expect(
      runRule(RULE, inventory({ listings: [listing('tools', { pages: 100, items: 10_000 }), listing('prompts', { requested: false, complete: true }), legacy as ListingStats] })),
    ).toEqual([]);
  });
});

describe('protocol/server-info-incomplete', () => {
  const RULE = 'protocol/server-info-incomplete';
  it('catches a generic name, a placeholder version and an unsafe icon', () => {
    const inv = inventory({ tools: [tool('t', { icons: [{ src: 'javascript:alert(1)' }] })] });
    inv.server.info = { name: 'MCP Server', version: '0.0.0', icons: [{ src: 'file:///etc/icon.png' }] };
    expect(runRule(RULE, inv).map((finding) => `${finding.messageId} ${finding.field}`).sort()).toEqual([
      'genericName serverInfo.name',
      'placeholderVersion serverInfo.version',
      'unsafeIcon icons[0].src',
      'unsafeIcon serverInfo.icons[0].src',
    ]);
  });
  it('catches missing name and version', () => {
    const inv = inventory();
    inv.server.info = {};
    expect(runRule(RULE, inv).map((finding) => finding.messageId)).toEqual(['missingName', 'missingVersion']);
  });
  it('passes a specific name, a release version and https/data icons', () => {
    const inv = inventory();
    inv.server.info = { name: 'acme-issues', version: '2.3.1', icons: [{ src: 'https://acme.example/icon.png' }, { src: 'data:image/png;base64,AAAA' }] };
    expect(runRule(RULE, inv)).toEqual([]);
  });
});

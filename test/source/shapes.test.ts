import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/source/analyze.js';
import { inventoryFromSource, mergeSource } from '../../src/source/merge.js';
import type { Inventory } from '../../src/inventory/model.js';
import type { SourceFacts, SourceRegistration } from '../../src/source/types.js';
import { repoRoot } from '../helpers/fixtures.js';

/**
 * Registration shapes found in published servers (issue 15): definition objects registered by a
 * loop or a helper, wrappers, names from constants, enums and template literals, definitions split
 * across files and re-exported, class-based low-level servers, and the same code compiled to
 * CommonJS, ESM and one bundle. Each capability must map to the line of its name.
 */

const projects = resolve(repoRoot, 'fixtures', 'projects');

/** 1-based line of the first line of `file` containing `needle` (after the first line containing `after`). */
function lineOf(file: string, needle: string, after?: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const from = after === undefined ? 0 : lines.findIndex((line) => line.includes(after));
  const index = lines.findIndex((line, at) => at >= from && line.includes(needle));
  if (index === -1 || from === -1) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

interface Expected {
  name: string;
  file: string;
  /** Text on the line of the name. */
  at: string;
  after?: string;
  /** Site kinds the handler must reach. */
  reaches?: string[];
}

const cache = new Map<string, SourceFacts>();
async function analyse(project: string): Promise<SourceFacts> {
  if (!cache.has(project)) cache.set(project, await analyzeSource(join(projects, project)));
  return cache.get(project)!;
}

function named(facts: SourceFacts): SourceRegistration[] {
  return facts.registrations.filter((registration) => registration.name !== undefined);
}

function expectMapped(facts: SourceFacts, project: string, expected: Expected[]): void {
  expect(
    named(facts)
      .map((r) => r.name)
      .sort(),
  ).toEqual(expected.map((e) => e.name).sort());
  for (const want of expected) {
    const registration = named(facts).find((r) => r.name === want.name)!;
    const file = join(projects, project, want.file);
    expect({ name: want.name, file: registration.location.file, line: registration.location.line }).toEqual({
      name: want.name,
      file,
      line: lineOf(file, want.at, want.after),
    });
    expect({ name: want.name, handler: registration.handler !== undefined }).toEqual({ name: want.name, handler: true });
    for (const kind of want.reaches ?? [])
      expect({ name: want.name, reaches: registration.handler!.reaches.map((site) => site.kind) }).toEqual({
        name: want.name,
        reaches: expect.arrayContaining([kind]),
      });
  }
}

/** A live inventory serving `names` as tools, as discovery would record it. */
function liveInventory(names: string[]): Inventory {
  const source: SourceFacts = { root: '/', files: 0, callDepth: 2, registrations: [], sites: [], dependencies: [], durationMs: 0 };
  const inventory = inventoryFromSource(source, '0.0.0', 'live');
  inventory.facts = ['live'];
  delete inventory.source;
  inventory.tools = names.map((name) => ({ kind: 'tool', name, inputSchema: { type: 'object' }, origin: {} }));
  return inventory;
}

const TYPESCRIPT: Expected[] = [
  { name: 'read_note', file: 'src/tools/read.ts', at: 'name: NAMES.READ', reaches: ['file-read-unbounded'] },
  { name: 'notes_write', file: 'src/tools/write.ts', at: 'name: `${PREFIX}_write`' },
  { name: 'search_notes', file: 'src/tools/search.ts', at: "name: 'search_notes'", reaches: ['outbound-http'] },
  { name: 'delete_note', file: 'src/tools/admin.ts', at: 'name: NAMES.DELETE', reaches: ['process-spawn'] },
];

describe('definition objects registered by a loop or a helper (TypeScript)', () => {
  let facts: SourceFacts;
  beforeAll(async () => {
    facts = await analyse('definitions');
  });

  it('maps every definition to the line of its name: constants, template literals, wrapper, record, re-exports', () => {
    expectMapped(facts, 'definitions', TYPESCRIPT);
    const search = named(facts).find((r) => r.name === 'search_notes')!;
    expect(search.api).toBe('defineTool()');
    expect(search.description).toEqual({ value: 'Searches notes on the index service.' });
    expect(search.inputSchema).toMatchObject({ properties: { query: { type: 'string', maxLength: 200 } } });
  });

  it('merges a live listing onto the definitions, with no live-only capability and no source-only one', () => {
    const merged = mergeSource(liveInventory(['read_note', 'notes_write', 'search_notes', 'delete_note']), facts);
    expect(merged.source!.merge).toMatchObject({ liveOnly: [], sourceOnly: [] });
    expect(merged.tools.map((tool) => [tool.name, tool.origin.source?.line])).toEqual([
      ['read_note', lineOf(join(projects, 'definitions/src/tools/read.ts'), 'name: NAMES.READ')],
      ['notes_write', lineOf(join(projects, 'definitions/src/tools/write.ts'), 'name: `${PREFIX}_write`')],
      ['search_notes', lineOf(join(projects, 'definitions/src/tools/search.ts'), "name: 'search_notes'")],
      ['delete_note', lineOf(join(projects, 'definitions/src/tools/admin.ts'), 'name: NAMES.DELETE')],
    ]);
  });

  it('never reports an unserved definition as source-only: a definition is not proof of registration', () => {
    const merged = mergeSource(liveInventory(['read_note']), facts);
    expect(merged.source!.merge!.sourceOnly).toEqual([]);
  });

  it('builds the source-only inventory from the definitions, since the project registers by computed names', () => {
    const inventory = inventoryFromSource(facts, '0.0.0', 'definitions');
    expect(inventory.tools.map((tool) => tool.name).sort()).toEqual(['delete_note', 'notes_write', 'read_note', 'search_notes']);
  });
});

describe('class-based low-level server: imported definitions, enum names, switch in a delegated method', () => {
  it('maps each listed tool to its definition and its handler to the case branch', async () => {
    const facts = await analyse('class-server');
    expectMapped(facts, 'class-server', [
      { name: 'echo', file: 'src/tools.ts', at: 'name: ToolName.ECHO' },
      { name: 'fetch_page', file: 'src/tools.ts', at: 'name: ToolName.FETCH_PAGE', reaches: ['outbound-http'] },
    ]);
    const fetchPage = named(facts).find((r) => r.name === 'fetch_page')!;
    expect(fetchPage.handler!.location.line).toBe(lineOf(join(projects, 'class-server/src/server.ts'), 'case ToolName.FETCH_PAGE'));
  });
});

describe('compiled JavaScript: what a published package ships', () => {
  it('reads CommonJS as tsc emits it (require, exports.x, defineProperty re-exports, __exportStar, (0, f)() calls)', async () => {
    const facts = await analyse('compiled-cjs');
    expectMapped(
      facts,
      'compiled-cjs',
      TYPESCRIPT.map((want) => ({
        ...want,
        file: want.file.replace(/^src\//, 'build/').replace(/\.ts$/, '.js'),
        at: want.at.replace('name: NAMES.', 'name: names_js_1.NAMES.').replace('${PREFIX}', '${names_js_1.PREFIX}'),
      })),
    );
  });

  it('reads ESM as tsc emits it', async () => {
    const facts = await analyse('compiled-esm');
    expectMapped(
      facts,
      'compiled-esm',
      TYPESCRIPT.map((want) => ({ ...want, file: want.file.replace(/^src\//, 'build/').replace(/\.ts$/, '.js') })),
    );
  });

  it('reads one bundled file (esbuild/bun style: var constants, renamed bindings, __export)', async () => {
    const facts = await analyse('compiled-bundle');
    expectMapped(facts, 'compiled-bundle', [
      { name: 'list_files', file: 'build/index.js', at: 'name: TOOL_NAME,' },
      { name: 'run_task', file: 'build/index.js', at: 'name: TOOL_NAME2,', reaches: ['process-spawn'] },
    ]);
    // build/test/server-tests.js, a compiled test shipped beside the bundle, is not read.
    expect(facts.files).toBe(1);
  });
});

describe('computed names with literal fragments', () => {
  it("maps a live name to the one registration whose literal parts it holds (getToolName('x'), `${prefix}_x`)", () => {
    const location = (line: number) => ({ file: '/p/tools.js', line, column: 9, endLine: line, endColumn: 20 });
    const registration = (line: number, parts: string[]): SourceRegistration => ({
      kind: 'tool',
      nameDynamic: 'getToolName(...)',
      nameParts: parts,
      shape: 'definition',
      api: 'definition',
      location: location(line),
      options: {},
      conditional: false,
    });
    const facts: SourceFacts = {
      root: '/p',
      files: 1,
      callDepth: 2,
      registrations: [registration(3, ['create_issue']), registration(9, ['create_issues']), registration(15, ['delete'])],
      sites: [],
      dependencies: [],
      durationMs: 0,
    };
    const merged = mergeSource(liveInventory(['acme_create_issues', 'acme_create_issue', 'acme_delete_issue', 'unrelated']), facts);
    expect(merged.tools.map((tool) => [tool.name, tool.origin.source?.line])).toEqual([
      ['acme_create_issues', 9],
      ['acme_create_issue', 3],
      ['acme_delete_issue', 15],
      ['unrelated', undefined],
    ]);
    expect(merged.source!.merge!.liveOnly).toEqual([{ kind: 'tool', name: 'unrelated' }]);
  });
});

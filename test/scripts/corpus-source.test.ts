import { describe, expect, it } from 'vitest';
import { END, formatTable, replaceSection, rowOf, START } from '../../scripts/corpus-source.mjs';

// scripts/corpus-source.mjs installs and runs published servers (network), so it is not run here:
// only how it reads a check report and formats and places its table.

const location = (line: number) => ({ file: '/pkg/dist/tools.js', line, column: 9, endLine: line, endColumn: 20 });
const handler = (kinds: string[]) => ({
  location: location(1),
  reaches: kinds.map((kind) => ({ kind, location: location(2), what: 'x', detail: {} })),
  readsAuth: false,
  usesSignal: false,
  marksExternalContent: false,
});

const report = {
  targets: [
    {
      inventory: {
        tools: [
          { name: 'read', origin: { source: location(3) } },
          { name: 'run', origin: { source: location(9) } },
          { name: 'ghost', origin: {} },
        ],
        source: {
          files: 4,
          registrations: [
            { kind: 'tool', name: 'read', location: location(3), handler: handler(['file-read-unbounded']) },
            { kind: 'tool', name: 'run', location: location(9), handler: handler(['process-spawn', 'file-read-unbounded']) },
          ],
        },
      },
    },
  ],
};

describe('corpus:source table', () => {
  it('counts mapped tools, tools with a handler and the handler facts by kind', () => {
    const row = rowOf({ package: '@x/server', version: '1.0.0' }, report);
    expect(row).toEqual({
      server: '@x/server@1.0.0',
      files: 4,
      tools: 3,
      mapped: 2,
      handlers: 2,
      facts: { 'file-read-unbounded': 2, 'process-spawn': 1 },
      unmapped: ['ghost'],
    });
  });

  it('formats one line per server and a total, between the markers', () => {
    const row = rowOf({ package: '@x/server', version: '1.0.0' }, report);
    const table = formatTable([row, { server: 'y@2.0.0', files: 1, tools: 1, mapped: 1, handlers: 0, facts: {}, unmapped: [] }]);
    expect(table.startsWith(START)).toBe(true);
    expect(table.endsWith(END)).toBe(true);
    expect(table).toContain('| `@x/server@1.0.0` | 4 | 3 | 2 | 66.7% | 2 | file-read-unbounded 2, process-spawn 1 | `ghost` |');
    expect(table).toContain('| `y@2.0.0` | 1 | 1 | 1 | 100% | 0 | – | – |');
    expect(table).toContain('| **all 2 servers** | | **4** | **3** | **75%** | **2** | | |');
  });

  it('replaces only the section between the markers, or appends one', () => {
    const section = `${START}\nnew\n${END}`;
    expect(replaceSection(`# Precision\n\n${START}\nold\n${END}\n\n## After\n`, section)).toBe(`# Precision\n\n${section}\n\n## After\n`);
    expect(replaceSection('# Precision\n', section)).toBe(`# Precision\n\n${section}\n`);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  belowTarget,
  findingsOf,
  formatPrecision,
  mergeSnapshot,
  PRECISION_END,
  PRECISION_START,
  precisionOf,
  readSnapshots,
  replaceSection,
  snapshotName,
  START,
  END,
} from '../../scripts/corpus-source.mjs';
import { repoRoot } from '../helpers/fixtures.js';

// The precision figures of scripts/corpus-source.mjs come from the committed snapshots in
// test/corpus/source/ (no network): how findings are read from a report, how judgements survive a
// re-run, and how precision per source rule is computed and placed.

const server = { package: '@x/server', version: '1.0.0' };
const at = (file: string, line: number) => ({ file, line, column: 1, endLine: line, endColumn: 9 });

const report = {
  targets: [
    {
      findings: [
        { ruleId: 'secrets/secret-logged', level: 'warning', message: 'logs req.body', evidenceKind: 'source', location: at('/pkg/dist/http.js', 45) },
        { ruleId: 'schema/open-input-schema', level: 'warning', message: 'root object not closed', evidenceKind: 'live' },
        {
          ruleId: 'audit/write-tool-without-audit-log',
          level: 'warning',
          message: 'add emits no log',
          evidenceKind: 'source',
          location: at('dist/server.js', 7),
        },
      ],
    },
  ],
};

describe('corpus:source precision', () => {
  it('keeps only source findings, sorted by rule, with locations relative to the package', () => {
    expect(findingsOf(report, '/pkg')).toEqual([
      { rule: 'audit/write-tool-without-audit-log', level: 'warning', at: 'dist/server.js:7', message: 'add emits no log' },
      { rule: 'secrets/secret-logged', level: 'warning', at: 'dist/http.js:45', message: 'logs req.body' },
    ]);
    expect(snapshotName(server)).toBe('@x__server@1.0.0.yaml');
  });

  it('carries a judgement over to the same rule, place and message, and marks new findings unjudged', () => {
    const previous = {
      findings: [
        {
          rule: 'secrets/secret-logged',
          level: 'warning',
          at: 'dist/http.js:45',
          message: 'logs req.body',
          judged: false,
          reason: 'req.body is a JSON-RPC message',
        },
      ],
    };
    const merged = mergeSnapshot(server, findingsOf(report, '/pkg'), previous);
    expect(merged.server).toBe('@x/server@1.0.0');
    expect(merged.findings.map((finding: { judged: unknown }) => finding.judged)).toEqual(['unjudged', false]);
    expect(merged.findings[1].reason).toBe('req.body is a JSON-RPC message');
  });

  it('computes findings, true, false and precision per rule, and flags warning rules below 90 %', () => {
    const finding = (rule: string, level: string, judged: unknown) => ({ rule, level, at: 'a.js:1', message: 'm', judged });
    const rows = precisionOf([
      { server: 'a@1', findings: [finding('r/warn', 'warning', true), finding('r/warn', 'warning', false), finding('r/note', 'note', false)] },
      { server: 'b@1', findings: [finding('r/warn', 'warning', true), finding('r/warn', 'error', 'unjudged'), finding('r/note', 'note', 'unjudged')] },
    ]);
    expect(
      rows.map(({ rule, levels, findings, servers, precision }) => ({
        rule,
        levels,
        findings,
        servers,
        precision,
        t: rows.find((row) => row.rule === rule)?.true,
      })),
    ).toEqual([
      { rule: 'r/note', levels: ['note'], findings: 2, servers: 2, precision: 0, t: 0 },
      { rule: 'r/warn', levels: ['error', 'warning'], findings: 4, servers: 2, precision: 2 / 3, t: 2 },
    ]);
    expect(rows[1]).toMatchObject({ true: 2, false: 1, unjudged: 1 });
    expect(rows.map(belowTarget)).toEqual([false, true]);
    const table = formatPrecision(rows, 2);
    expect(table.startsWith(PRECISION_START) && table.endsWith(PRECISION_END)).toBe(true);
    expect(table).toContain('| `r/warn` | error, warning | 4 | 2 | 2 | 1 | 1 | 66.7% (below 90 %) |');
    expect(table).toContain('| `r/note` | note | 2 | 2 | 0 | 1 | 1 | 0% |');
    expect(table).toContain('| **all 2 rules** | | **6** | | **2** | **2** | **2** | **50%** |');
  });

  it('places the precision section without touching the mapping section', () => {
    const doc = `${START}\nmap\n${END}\n\n${PRECISION_START}\nold\n${PRECISION_END}\n`;
    expect(replaceSection(doc, `${PRECISION_START}\nnew\n${PRECISION_END}`, PRECISION_START, PRECISION_END)).toBe(
      `${START}\nmap\n${END}\n\n${PRECISION_START}\nnew\n${PRECISION_END}\n`,
    );
  });

  it('the committed snapshots are judged true/false with a reason, and docs/precision.md shows their figures', () => {
    const list = readSnapshots();
    expect(list.length).toBeGreaterThan(0);
    for (const snapshot of list) {
      for (const finding of snapshot.findings) {
        expect([true, false, 'unjudged'], `${snapshot.server} ${finding.rule} ${finding.at}`).toContain(finding.judged);
        if (finding.judged !== 'unjudged')
          expect(typeof finding.reason === 'string' && finding.reason.length > 0, `${snapshot.server} ${finding.rule} ${finding.at}: a reason`).toBe(true);
      }
    }
    const doc = readFileSync(join(repoRoot, 'docs', 'precision.md'), 'utf8');
    expect(doc, 'run: npm run corpus:source -- --check --write').toContain(formatPrecision(precisionOf(list), list.length));
  });
});

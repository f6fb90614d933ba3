import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import type { ReviewDossier } from '../../src/collect/review-types.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

// `check --format review` on a real stdio server (the kill-switch notes fixture) with its source,
// --probe, kill switches and risk declarations in the config: every cell has a value or says what
// would fill it, and the Markdown parses as one table per target with the documented columns.

const cwd = resolve(repoRoot, 'fixtures', 'projects', 'killswitch-live');
const COLUMNS = ['Capability', 'Risk', 'Side effect', 'Credentials', 'Tenant', 'Output bound', 'Logs', 'Approval', 'Kill switch', 'Audit event', 'Findings'];

async function review(extra: string[], options: { source: boolean; risk: boolean }) {
  const directory = mkdtempSync(join(tmpdir(), 'preflight-review-'));
  const config = [
    'targets:',
    '  - name: notes',
    '    command: node server.mjs',
    `    cwd: ${JSON.stringify(cwd)}`,
    ...(options.source ? [`    source: ${JSON.stringify(cwd)}`] : []),
    '    timeout: 10',
    'killSwitches:',
    '  capabilities:',
    '    write_note: { env: { DISABLE_WRITES: "1" } }',
    '    delete_note: { env: { DISABLE_WRITES: "1" } }',
    ...(options.risk ? ['risk:', '  tools:', '    delete_note: { tenant: "one user per process", approval: "the user confirms each call" }'] : []),
    '',
  ].join('\n');
  writeFileSync(join(directory, 'mcp-preflight.yaml'), config);
  const markdown = join(directory, 'review.md');
  const json = join(directory, 'report.json');
  const result = await runCli(
    ['check', '--config', join(directory, 'mcp-preflight.yaml'), '--repo', directory, '--format', 'review,json', '--output', `${markdown},${json}`, ...extra],
    { timeoutMs: 60_000 },
  );
  const dossier = (JSON.parse(readFileSync(json, 'utf8')) as { targets: Array<{ review?: ReviewDossier }> }).targets[0]!.review!;
  return { result, markdown: readFileSync(markdown, 'utf8'), dossier };
}

/** The cells of every table in rendered HTML, per row (header row first). */
function tables(markdown: string): string[][][] {
  const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, table]) =>
    [...table!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
      [...row!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => cell!.replace(/<[^>]+>/g, '').trim()),
    ),
  );
}

const CELLS = ['sideEffect', 'credentials', 'tenant', 'outputBound', 'logs', 'approval', 'killSwitch', 'auditEvent'] as const;

describe('check --format review', () => {
  it('with source, probe and config: one row per capability, every cell filled or saying what would fill it, and the checklist', async () => {
    const { result, markdown, dossier } = await review(['--probe'], { source: true, risk: true });
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    const [table] = tables(markdown);
    expect(table![0]).toEqual(COLUMNS);
    expect(table!.slice(1).map((row) => row.length)).toEqual(dossier.rows.map(() => COLUMNS.length));
    expect(dossier.rows.map((row) => row.capability.name).sort()).toEqual(['delete_note', 'list_notes', 'read_note', 'write_note']);
    for (const row of dossier.rows) {
      for (const name of CELLS) {
        const cell = row[name];
        // A value, or an unknown that names the flag or config key that fills it.
        if ('unknown' in cell)
          expect(cell.unknown, `${row.capability.name} ${name}`).toMatch(
            /^unknown: .*(--source|--probe|--verify-kill-switches|in the config|not called by the probe|no handler)/,
          );
        else expect(cell.value.length, `${row.capability.name} ${name}`).toBeGreaterThan(0);
      }
    }
    const deleteNote = dossier.rows.find((row) => row.capability.name === 'delete_note')!;
    expect(deleteNote.riskClass).toBe('destructive');
    expect(deleteNote.tenant).toEqual({ value: 'one user per process' });
    expect(deleteNote.approval).toEqual({ value: 'the user confirms each call' });
    expect(deleteNote.killSwitch).toEqual({ value: 'declared (not verified: run with --verify-kill-switches)' });
    expect(deleteNote.auditEvent).toMatchObject({ value: 'yes' });
    // list_notes is read-only and takes no argument: the probe called it, and its output size is measured.
    expect(dossier.rows.find((row) => row.capability.name === 'list_notes')!.outputBound).toMatchObject({
      value: expect.stringMatching(/^probed: \d+ bytes in one call/) as unknown,
    });
    // The riskiest capability comes first, and its checklist has the four items.
    expect(dossier.rows[0]!.capability.name).toBe('delete_note');
    expect(dossier.checklist!.items.map((item) => item.item)).toEqual(['kill switch', 'alert', 'audit event', 'regression test']);
    expect(dossier.checklist!.items.find((item) => item.item === 'alert')).toMatchObject({
      missing: expect.stringContaining('operations/no-metrics') as unknown,
    });
    expect(markdown).toMatch(/### Riskiest capability: `tool delete_note`\n\n- \[x\] \*\*Kill switch\*\*: found: declared/);
  });

  it('without source or config: the cells that need them say so, nothing guessed', async () => {
    const { dossier } = await review([], { source: false, risk: false });
    const row = dossier.rows.find((entry) => entry.capability.name === 'delete_note')!;
    expect(row.credentials).toEqual({ unknown: 'unknown: run with --source' });
    expect(row.logs).toEqual({ unknown: 'unknown: run with --source' });
    expect(row.tenant).toEqual({ unknown: 'unknown: declare risk.tools.delete_note.tenant in the config' });
    expect(row.outputBound).toEqual({ unknown: 'unknown: no bound declared; run with --probe to measure one call' });
    expect(dossier.checklist!.items.find((item) => item.item === 'regression test')).toEqual({
      item: 'regression test',
      unknown: "unknown: run with --source (the server's own tests)",
    });
  });
});

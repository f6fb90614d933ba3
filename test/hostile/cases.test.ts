// The hostile cases table (fixtures/hostile/cases/*.mjs → docs/hostile.md): every case file loads,
// ids are unique kebab-case, every fixture a case names exists, expectations are well formed.
// Cheap: nothing is spawned (scripts/hostile-table.mjs does the measuring).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { loadCases, misses, timeoutOf } from '../../scripts/hostile-table.mjs';

interface LoadedCase {
  id: string;
  what: string;
  file: string;
  server?: { command: string; args: string[]; ready: string };
  args: string[];
  exit: number;
  stderr: string;
  maxPeakMiB?: number;
}

const cases: LoadedCase[] = await loadCases();

/** Every `fixtures/….mjs` path named in a case's arguments (also inside a --stdio command line). */
function fixturesNamed(entry: LoadedCase): string[] {
  return [...entry.args, ...(entry.server?.args ?? [])].flatMap((arg) => [...arg.matchAll(/fixtures\/[\w./-]+\.m?js/g)].map((match) => match[0]));
}

describe('hostile cases', () => {
  it('has cases, with unique kebab-case ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
    const ids = cases.map((entry) => entry.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(ids.filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))).toEqual([]);
  });

  it.each(cases.map((entry) => [entry.id, entry] as const))('%s is well formed and its fixtures exist', (_id, entry) => {
    expect(entry.what.trim().length).toBeGreaterThan(0);
    expect(entry.what).not.toContain('\n');
    expect(entry.args[0]).toMatch(/^(check|discover|rules|init)$/);
    expect([0, 1, 2, 3]).toContain(entry.exit);
    expect(() => new RegExp(entry.stderr)).not.toThrow();
    expect(Number.isFinite(timeoutOf(entry))).toBe(true);
    if (entry.maxPeakMiB !== undefined) expect(entry.maxPeakMiB).toBeGreaterThan(0);
    if (entry.server) {
      expect(() => new RegExp(entry.server!.ready)).not.toThrow();
      expect(entry.args.some((arg) => arg.includes('{url}'))).toBe(true);
    }
    const named = fixturesNamed(entry);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((path) => !existsSync(resolve(repoRoot, path)))).toEqual([]);
  });

  it('judges a measured run against every expectation of its case', () => {
    const entry = { exit: 3, stderr: '^mcp-preflight: .*no answer', maxPeakMiB: 512 };
    expect(misses(entry, { code: 3, firstLine: 'mcp-preflight: x: no answer within 3 s', peakMiB: 100, left: 0 })).toEqual([]);
    expect(misses(entry, { code: 0, firstLine: 'other', peakMiB: 600, left: 2 })).toHaveLength(4);
  });
});

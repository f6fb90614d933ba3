// End-to-end fuzz (issue 12, Build 10): generated list pages served by a real stdio server
// (fixtures/hostile/fuzz-pages-stdio.mjs) and scanned by the built CLI. Few runs (each spawns two
// processes); the in-process fuzz (pages.fuzz.test.ts) covers the breadth.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';
import { FUZZ_TIMEOUT_MS, fuzzParameters, pages } from './arbitraries.js';

const directory = mkdtempSync(join(tmpdir(), 'preflight-fuzz-e2e-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const server = resolve(repoRoot, 'fixtures', 'hostile', 'fuzz-pages-stdio.mjs');
let count = 0;

describe('fuzz: generated pages through a real server and the CLI', () => {
  it(
    'exits 0, 1 or 3 with a report and no stack trace or internal error',
    async () => {
      await fc.assert(
        fc.asyncProperty(pages, async (served) => {
          const file = join(directory, `pages-${count++}.json`);
          writeFileSync(file, JSON.stringify(served));
          const result = await runCli(['check', '--stdio', `${process.execPath} ${server} ${file}`, '--format', 'json', '--timeout', '20'], {
            timeoutMs: 90_000,
          });
          expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
          expect([0, 1, 3]).toContain(result.code);
          if (result.code !== 3) {
            const report = JSON.parse(result.stdout);
            expect(report.targets[0].inventory.listings.filter((listing: { requested: boolean }) => listing.requested)).toHaveLength(4);
          } else {
            expect(result.stderr.split('\n').filter((line) => line.startsWith('mcp-preflight:'))).toHaveLength(1);
          }
        }),
        fuzzParameters(3),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

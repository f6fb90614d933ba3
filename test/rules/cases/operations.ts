import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceOnlyInventory } from '../../../src/source/index.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { ruleTester } from '../../helpers/rule-tester.js';

// The operations pack on its fixture projects (every finding there is also pinned by a marker, see
// source-fixtures.ts); here the cases that markers cannot show: what the server's tests say, and
// the level by what the server is.
const project = (name: string) => () => sourceOnlyInventory(join(repoRoot, 'fixtures/projects', name));
/** A fixture project copied to `<tmp>/node_modules/<name>`, as `npm install` lays out a published package, with a `test` script or none. */
const installed = (name: string, test?: string) => () => {
  const target = join(mkdtempSync(join(tmpdir(), 'preflight-installed-')), 'node_modules', name);
  cpSync(join(repoRoot, 'fixtures/projects', name), target, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(target, 'package.json'), JSON.stringify({ ...manifest, ...(test === undefined ? {} : { scripts: { test } }) }));
  return sourceOnlyInventory(target);
};
const server = (messageId: string) => ({ messageId, capability: { kind: 'server' as const } });

ruleTester.run('operations/untested-failure-paths', {
  valid: [
    { name: 'tests of invalid arguments, 401/403, a backend timeout and an oversized output', docExample: 'good', facts: project('operations-good') },
    // Published servers in docs/precision.md (corpus:source): npm packages ship dist/ without their tests.
    {
      name: 'no test file in an installed npm package whose test script runs vitest: tests are not published, nothing said',
      facts: installed('rules-bad', 'vitest run'),
    },
  ],
  invalid: [
    {
      name: 'only a happy-path test, read-only tools: all four paths missing, a note',
      docExample: 'bad',
      facts: project('operations-bad'),
      errors: [{ ...server('missingPaths'), field: 'tests', level: 'note' }],
    },
    {
      name: 'riskyLevel note keeps a server with risky tools at note',
      facts: project('rules-bad'),
      options: { riskyLevel: 'note' },
      errors: [{ ...server('noTests'), field: 'tests', level: 'note' }],
    },
    {
      name: 'no test file, and a tool that runs commands: a warning',
      facts: project('rules-bad'),
      errors: [{ ...server('noTests'), field: 'tests', level: 'warning' }],
    },
    {
      name: 'an installed package with no test script: no tests anywhere, still reported',
      facts: installed('rules-bad'),
      errors: [{ ...server('noTests'), field: 'tests', level: 'warning' }],
    },
    {
      name: 'an installed package whose test script only echoes: still reported',
      facts: installed('rules-bad', 'echo "No tests"'),
      errors: [{ ...server('noTests'), field: 'tests', level: 'warning' }],
    },
  ],
});

ruleTester.run('operations/no-metrics', {
  valid: [{ name: 'prom-client, a counter and a /metrics route', facts: project('operations-good') }],
  invalid: [
    { name: 'an HTTP server: a warning', facts: project('operations-bad'), errors: [{ ...server('noMetrics'), level: 'warning' }] },
    { name: 'a stdio server: a note', facts: project('sdk-high-level'), errors: [{ ...server('noMetrics'), level: 'note' }] },
    {
      name: 'httpLevel note keeps an HTTP server at note',
      facts: project('operations-bad'),
      options: { httpLevel: 'note' },
      errors: [{ ...server('noMetrics'), level: 'note' }],
    },
  ],
});

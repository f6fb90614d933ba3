import { join } from 'node:path';
import { sourceOnlyInventory } from '../../../src/source/index.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { ruleTester } from '../../helpers/rule-tester.js';

// The operations pack on its fixture projects (every finding there is also pinned by a marker, see
// source-fixtures.ts); here the cases that markers cannot show: what the server's tests say, and
// the level by what the server is.
const project = (name: string) => () => sourceOnlyInventory(join(repoRoot, 'fixtures/projects', name));
const server = (messageId: string) => ({ messageId, capability: { kind: 'server' as const } });

ruleTester.run('operations/untested-failure-paths', {
  valid: [{ name: 'tests of invalid arguments, 401/403, a backend timeout and an oversized output', docExample: 'good', facts: project('operations-good') }],
  invalid: [
    { name: 'only a happy-path test: all four paths are missing', docExample: 'bad', facts: project('operations-bad'), errors: [{ ...server('missingPaths'), field: 'tests' }] },
    { name: 'no test file at all', facts: project('rules-bad-noauth'), errors: [{ ...server('noTests'), field: 'tests' }] },
  ],
});

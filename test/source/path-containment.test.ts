// design/unrestricted-path on source facts: fixtures/projects/path-containment registers three file
// tools with a free `path`; the two whose handlers confine it soundly (path.relative, or the root plus
// a separator) are not reported, the bare startsWith(root) one is.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import { sourceOnlyInventory } from '../../src/source/index.js';
import { repoRoot } from '../helpers/fixtures.js';

const project = path.join(repoRoot, 'fixtures', 'projects', 'path-containment');

describe('path containment in source', () => {
  it('finds the checks each handler reaches and silences unrestricted-path only for the sound ones', async () => {
    const inventory = await sourceOnlyInventory(project, { toolVersion: '0.0.0-test' });
    const checks = Object.fromEntries(
      (inventory.source?.registrations ?? []).map((registration) => [
        registration.name,
        (registration.handler?.reaches ?? [])
          .filter((site) => site.kind === 'path-containment')
          .map((site) => `${site.detail.check}${site.detail.separator === undefined ? '' : `:${site.detail.separator}`}`),
      ]),
    );
    expect(checks).toEqual({ read_relative: ['relative'], read_separator: ['startsWith:true'], read_naive: ['startsWith:false'] });
    const rules = loadBuiltinRules().filter((rule) => rule.id === 'design/unrestricted-path');
    const findings = runRules(inventory, rules, { targetId: 'path-containment' }).findings;
    expect(findings.map((finding) => finding.capability.name)).toEqual(['read_naive']);
  }, 60_000);
});

import { defineCheck } from '../../engine/define-check.js';
import type { DependencyUpdateConfig } from '../../repo/ownership.js';
import { declares, lineOne, ownershipAnchor, ownershipFacts, repoRelative } from './facts.js';

/**
 * ownership/missing-dependency-update-plan: no working Dependabot or Renovate configuration and no
 * `owners.dependencyUpdates`. A Dependabot file must parse, have updates, and (for a package with
 * a package.json) update `npm`; a Renovate file must not say `"enabled": false`.
 */
export const missingDependencyUpdatePlan = defineCheck('ownership/missing-dependency-update-plan', ({ inventory, report }) => {
  const facts = ownershipFacts(inventory);
  if (facts === undefined) return;
  const { repo, ownership } = facts;
  if (declares(ownership, 'dependencyUpdates')) return;
  const needsNpm = ownership.packageJson !== undefined;
  const works = (config: DependencyUpdateConfig) =>
    config.tool === 'renovate' ? config.disabled !== true : config.problem === undefined && (!needsNpm || (config.ecosystems ?? []).includes('npm'));
  if (ownership.dependencyUpdates.some(works)) return;

  const found = ownership.dependencyUpdates[0];
  if (found === undefined) {
    const location = ownershipAnchor(ownership);
    report({ messageId: 'noPlan', capability: { kind: 'server' }, field: 'dependency-updates', ...(location ? { location } : {}) });
    return;
  }
  const file = repoRelative(repo, found.file);
  const base = { capability: { kind: 'server' as const }, field: 'dependency-updates', evidence: file, location: lineOne(found.file) };
  if (found.tool === 'renovate') report({ ...base, messageId: 'disabled', data: { file } });
  else if (found.problem !== undefined) report({ ...base, messageId: 'broken', data: { file, problem: found.problem } });
  else report({ ...base, messageId: 'noNpm', data: { file, ecosystems: (found.ecosystems ?? []).join(', ') } });
});

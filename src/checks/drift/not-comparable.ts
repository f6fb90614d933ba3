import { defineCheck } from '../../engine/define-check.js';

/**
 * drift/not-comparable: fail closed when the lock cannot vouch for the surface, because the
 * lockfile has no entry for the target or the listing was cut short (removals cannot be told).
 */
export const notComparable = defineCheck('drift/not-comparable', ({ inventory, report }) => {
  const drift = inventory.drift;
  if (drift === undefined) return;
  if (!drift.locked) report({ messageId: 'notLocked', data: { target: inventory.target.name, lockfile: drift.lockfile }, capability: { kind: 'server' } });
  else if (drift.incomplete)
    report({
      messageId: 'incomplete',
      data: { reason: drift.incomplete, lockfile: drift.lockfile },
      capability: { kind: 'server' },
      evidence: drift.incomplete,
    });
});

import { defineCheck } from '../../engine/define-check.js';

const REVISION = /^\d{4}-\d{2}-\d{2}$/;

/**
 * protocol/outdated-revision: the negotiated revision is older than the pack's `minimumRevision`.
 * Revisions are ISO dates, so string order is date order. An unrecognisable revision is left alone.
 */
export const outdatedRevision = defineCheck('protocol/outdated-revision', ({ inventory, rule, report }) => {
  const minimum = String((rule as { options?: Record<string, unknown> }).options?.minimumRevision ?? '');
  if (!REVISION.test(minimum)) throw new Error(`rule "${rule.id}": option "minimumRevision" must be a revision date such as "2025-06-18"`);
  const revision = inventory.server.protocolVersion;
  if (revision === undefined || !REVISION.test(revision) || revision >= minimum) return;
  report({
    messageId: 'outdated',
    data: { revision, minimum },
    capability: { kind: 'server' },
    field: 'protocolVersion',
    evidence: `protocolVersion: ${revision}`,
  });
});

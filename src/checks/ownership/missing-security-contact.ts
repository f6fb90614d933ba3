import { defineCheck } from '../../engine/define-check.js';
import { declares, ownershipAnchor, ownershipFacts, serverMetaContact } from './facts.js';

/**
 * ownership/missing-security-contact: no SECURITY.md (root, .github/, docs/, the package), no
 * `owners.securityReview`, and no security contact in the server's handshake `_meta`.
 */
export const missingSecurityContact = defineCheck('ownership/missing-security-contact', ({ inventory, report }) => {
  const facts = ownershipFacts(inventory);
  if (facts === undefined) return;
  const { ownership } = facts;
  if (ownership.securityPolicy !== undefined || declares(ownership, 'securityReview') || serverMetaContact(inventory, 'security')) return;
  const location = ownershipAnchor(ownership);
  const bugs = ownership.packageJson?.bugs;
  report({
    messageId: bugs ? 'onlyBugs' : 'noPolicy',
    capability: { kind: 'server' },
    field: 'SECURITY.md',
    ...(bugs ? { data: { bugs } } : {}),
    ...(location ? { location } : {}),
  });
});

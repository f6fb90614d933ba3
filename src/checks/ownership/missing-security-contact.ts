import { defineCheck } from '../../engine/define-check.js';
import { declares, lineOne, NO_OWNERSHIP_FACTS, ownershipAnchor, ownershipFacts, serverMetaContact } from './facts.js';

/**
 * ownership/missing-security-contact: no SECURITY.md (root, .github/, docs/, the package), no
 * `owners.securityReview`, and no security contact in the server's handshake `_meta`. Without
 * repository facts, the installed package the server was started from answers: a SECURITY.md shipped
 * in the package.
 */
export const missingSecurityContact = defineCheck('ownership/missing-security-contact', (context) => {
  const { inventory, report } = context;
  const facts = ownershipFacts(inventory);
  if (facts === undefined) {
    // No repository read: the installed package's own files (a SECURITY.md shipped in it).
    const installed = inventory.installedPackage;
    if (installed === undefined) {
      context.skip?.(NO_OWNERSHIP_FACTS);
      return;
    }
    if (installed.securityPolicy !== undefined || serverMetaContact(inventory, 'security')) return;
    report({
      messageId: installed.bugs ? 'packageOnlyBugs' : 'packageNoPolicy',
      data: { package: installed.name, ...(installed.bugs ? { bugs: installed.bugs } : {}) },
      capability: { kind: 'server' },
      field: 'SECURITY.md',
      evidence: installed.name,
      location: lineOne(installed.packageJson),
    });
    return;
  }
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

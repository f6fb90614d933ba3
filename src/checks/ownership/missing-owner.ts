import { defineCheck } from '../../engine/define-check.js';
import { declares, lineOne, ownershipAnchor, ownershipFacts, repoRelative, serverMetaContact } from './facts.js';

/**
 * ownership/missing-owner: no code owner (a CODEOWNERS rule for every file of the server checked, or
 * `owners.code`) and no operational owner (`owners.operational`, or an owner the server declares in
 * its handshake `_meta`). Either one is enough.
 */
export const missingOwner = defineCheck('ownership/missing-owner', ({ inventory, report }) => {
  const facts = ownershipFacts(inventory);
  if (facts === undefined) return;
  const { repo, ownership } = facts;
  if (declares(ownership, 'code') || declares(ownership, 'operational') || serverMetaContact(inventory, 'owner')) return;
  const codeowners = ownership.codeowners;
  if (codeowners && codeowners.checked > 0 && codeowners.unownedCount === 0) return;
  const location = ownershipAnchor(ownership);
  if (codeowners === undefined) {
    report({ messageId: 'noCodeowners', capability: { kind: 'server' }, field: 'CODEOWNERS', ...(location ? { location } : {}) });
    return;
  }
  const file = repoRelative(repo, codeowners.file);
  report({
    messageId: 'uncovered',
    capability: { kind: 'server' },
    field: 'CODEOWNERS',
    data: {
      file,
      unowned: codeowners.unownedCount,
      checked: codeowners.checked,
      serverPath: ownership.serverPath === '' ? 'the repository' : `${ownership.serverPath}/`,
      example: codeowners.unowned[0] ?? '',
    },
    evidence: file,
    location: lineOne(codeowners.file),
  });
});

import { defineCheck } from '../../engine/define-check.js';
import { declares, lineOne, NO_OWNERSHIP_FACTS, ownershipAnchor, ownershipFacts, repoRelative, serverMetaContact } from './facts.js';

/**
 * ownership/missing-owner: no code owner (a CODEOWNERS rule for every file of the server checked, or
 * `owners.code`) and no operational owner (`owners.operational`, or an owner the server declares in
 * its handshake `_meta`). Either one is enough. Without repository facts, the installed package the
 * server was started from answers: an `author`, `maintainers`, a `repository` (package.json or a
 * server.json beside it) names who owns it.
 */
export const missingOwner = defineCheck('ownership/missing-owner', (context) => {
  const { inventory, report } = context;
  const facts = ownershipFacts(inventory);
  if (facts === undefined) {
    // No repository read: the installed package's own metadata (author, maintainers, repository, server.json).
    const installed = inventory.installedPackage;
    if (installed === undefined) {
      context.skip?.(NO_OWNERSHIP_FACTS);
      return;
    }
    if (
      installed.author !== undefined ||
      installed.maintainers.length > 0 ||
      installed.repository !== undefined ||
      installed.serverJson?.repository !== undefined ||
      serverMetaContact(inventory, 'owner')
    )
      return;
    report({
      messageId: 'packageNoOwner',
      data: { package: installed.name },
      capability: { kind: 'server' },
      field: 'package.json',
      evidence: installed.name,
      location: lineOne(installed.packageJson),
    });
    return;
  }
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

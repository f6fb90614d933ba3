import { defineCheck } from '../../engine/define-check.js';
import { namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

/**
 * design/shell-like-tool-in-source: a handler reaches `child_process`/`execa` with a command that is
 * not a literal (or through a shell). A fixed program with an argument array (`execFile('git', [...])`) passes.
 */
export const shellLikeToolInSource = defineCheck('design/shell-like-tool-in-source', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const site = registration.handler?.reaches.find((reached) => reached.kind === 'process-spawn' && reached.detail.dynamicCommand === true);
    if (site === undefined) continue;
    report({
      messageId: site.detail.shell === true ? 'shellCommand' : 'dynamicCommand',
      data: { name: registration.name, what: site.what, file: relativeFile(facts, site.location.file), line: site.location.line },
      capability: { kind: registration.kind, name: registration.name },
      evidence: site.what,
      location: site.location,
    });
  }
});

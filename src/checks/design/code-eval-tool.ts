import { defineCheck } from '../../engine/define-check.js';
import { namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

/** design/code-eval-tool: a handler reaches `eval`, `new Function` or `vm.run*` (within the call depth). */
export const codeEvalTool = defineCheck('design/code-eval-tool', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const site = registration.handler?.reaches.find((reached) => reached.kind === 'eval');
    if (site === undefined) continue;
    report({
      messageId: 'evaluates',
      data: { name: registration.name, what: site.what, file: relativeFile(facts, site.location.file), line: site.location.line },
      capability: { kind: registration.kind, name: registration.name },
      evidence: site.what,
      location: site.location,
    });
  }
});

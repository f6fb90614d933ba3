import { defineCheck } from '../../engine/define-check.js';
import { namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

/**
 * output/external-content-unmarked: a tool that fetches from the network or a database returns the
 * content without marking it as untrusted data (no boundary such as `<untrusted-data>`), so text
 * planted there reads to the model like instructions. Tools annotated `openWorldHint: false` pass.
 */
export const externalContentUnmarked = defineCheck('output/external-content-unmarked', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const handler = registration.handler;
    if (registration.kind !== 'tool' || handler === undefined || handler.marksExternalContent) continue;
    if (registration.annotations?.openWorldHint === false) continue;
    const external = handler.reaches.find((site) => site.kind === 'outbound-http' || site.kind === 'sql-call');
    if (external === undefined) continue;
    report({
      messageId: 'unmarked',
      data: { tool: registration.name, what: external.what, file: relativeFile(facts, external.location.file), line: external.location.line },
      capability: { kind: 'tool', name: registration.name },
      evidence: external.what,
      location: registration.location,
    });
  }
});

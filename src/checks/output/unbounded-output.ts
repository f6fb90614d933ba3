import { defineCheck } from '../../engine/define-check.js';
import { namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

/**
 * output/unbounded-output (source part): a handler returns whole files (`readFile`), whole response
 * bodies (`response.text()`), or `SELECT`s without `LIMIT`, with nothing bounding the size.
 */
export const unboundedOutput = defineCheck('output/unbounded-output', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const handler = registration.handler;
    if (handler === undefined || registration.kind === 'prompt') continue;
    const unbounded = handler.reaches.find(
      (site) => site.kind === 'file-read-unbounded' || site.kind === 'body-read-unbounded' || (site.kind === 'sql-call' && site.detail.hasLimit !== true && site.detail.dynamic !== true),
    );
    if (unbounded === undefined) continue;
    report({
      messageId: 'unbounded',
      data: { name: registration.name, kind: registration.kind, what: unbounded.what, file: relativeFile(facts, unbounded.location.file), line: unbounded.location.line },
      capability: { kind: registration.kind, name: registration.name },
      evidence: unbounded.what,
      location: unbounded.location,
    });
  }
});

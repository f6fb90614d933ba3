import { defineCheck } from '../../engine/define-check.js';
import { namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

/** design/raw-sql-tool-in-source: a handler passes a non-literal SQL text to the database without bind parameters. */
export const rawSqlToolInSource = defineCheck('design/raw-sql-tool-in-source', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const site = registration.handler?.reaches.find((reached) => reached.kind === 'sql-call' && reached.detail.dynamic === true && reached.detail.parameterised !== true);
    if (site === undefined) continue;
    report({
      messageId: 'rawSql',
      data: { name: registration.name, what: site.what, file: relativeFile(facts, site.location.file), line: site.location.line },
      capability: { kind: registration.kind, name: registration.name },
      evidence: site.what,
      location: site.location,
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * secrets/internal-detail-in-error (source part): `error.stack` returned or thrown into a result, or a
 * caught upstream error's raw `.message` returned (McpServer forwards thrown messages verbatim).
 */
export const internalDetailInError = defineCheck('secrets/internal-detail-in-error', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'error-stack-returned')) report(siteFinding(facts, site, 'stackReturned'));
  for (const site of sitesOf(facts, 'raw-error-returned')) report(siteFinding(facts, site, 'rawErrorReturned'));
});

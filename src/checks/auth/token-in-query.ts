import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** auth/token-in-query: the server reads a credential from the URL query string (`req.query.token`, `searchParams.get('access_token')`). */
export const tokenInQuery = defineCheck('auth/token-in-query', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'token-in-query')) report(siteFinding(facts, site, 'tokenInQuery', { parameter: String(site.detail.parameter) }));
});

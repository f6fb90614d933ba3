import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** auth/token-passthrough: the client's bearer token (`req.headers.authorization`, `authInfo.token`) sent on to an upstream API. */
export const tokenPassthrough = defineCheck('auth/token-passthrough', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'token-passthrough')) report(siteFinding(facts, site, 'passthrough'));
});

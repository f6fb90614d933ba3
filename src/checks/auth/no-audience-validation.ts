import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * auth/no-audience-validation: a token is verified without checking it was issued for this server:
 * `requireBearerAuth` without `expectedResource`, `jwtVerify`/`jwt.verify` without `audience`.
 */
export const noAudienceValidation = defineCheck('auth/no-audience-validation', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'token-verification')) {
    if (site.detail.audience === true) continue;
    report(siteFinding(facts, site, site.what.endsWith('requireBearerAuth') ? 'bearerWithoutResource' : 'verifyWithoutAudience'));
  }
});

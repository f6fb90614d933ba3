import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** secrets/secret-logged: a logging call with `process.env`, request headers or a key-like identifier (`token`, `apiKey`...). */
export const secretLogged = defineCheck('secrets/secret-logged', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'log-call')) {
    const secret = site.detail.secret;
    if (typeof secret !== 'string') continue;
    report(siteFinding(facts, site, 'logged', { secret }));
  }
});

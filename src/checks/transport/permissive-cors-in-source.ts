import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** transport/permissive-cors-in-source: `cors()`, `cors({ origin: '*' | true })`, `Access-Control-Allow-Origin: *` or a reflected Origin. */
export const permissiveCorsInSource = defineCheck('transport/permissive-cors-in-source', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'cors')) {
    if (site.detail.permissive !== true) continue;
    report(siteFinding(facts, site, site.detail.origin === 'reflected' ? 'reflected' : 'anyOrigin', { origin: String(site.detail.origin) }));
  }
});

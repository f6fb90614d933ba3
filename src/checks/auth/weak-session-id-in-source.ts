import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** auth/weak-session-id-in-source: `sessionIdGenerator` built on `Date.now`, `Math.random` or a counter instead of `randomUUID`. */
export const weakSessionIdInSource = defineCheck('auth/weak-session-id-in-source', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'session-id-generator')) {
    if (site.detail.weak === true) report(siteFinding(facts, site, 'weakGenerator', { generator: String(site.detail.generator) }));
  }
});

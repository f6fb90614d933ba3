import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * transport/binds-all-interfaces (source): `listen(port)` with no host, or host `0.0.0.0`/`::`.
 * A host read from configuration with a loopback default (`process.env.HOST ?? '127.0.0.1'`) passes.
 */
export const bindsAllInterfaces = defineCheck('transport/binds-all-interfaces', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'listen')) {
    if (site.detail.allInterfaces !== true) continue;
    report(siteFinding(facts, site, site.detail.host === '(none)' ? 'noHost' : 'allInterfaces', { host: String(site.detail.host) }));
  }
});

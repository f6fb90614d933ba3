import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * runtime/outbound-call-without-timeout: `fetch` without `signal`, axios/got without `timeout` or
 * `signal`, `http.request` without a timeout. `AbortSignal.timeout(ms)` or passing the request's
 * `extra.signal` are mitigations (the init object then has `signal`).
 */
export const outboundCallWithoutTimeout = defineCheck('runtime/outbound-call-without-timeout', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'outbound-http')) {
    if (site.detail.hasTimeout === true) continue;
    report(siteFinding(facts, site, 'noTimeout'));
  }
});

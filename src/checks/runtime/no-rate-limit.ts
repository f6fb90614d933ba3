import { defineCheck } from '../../engine/define-check.js';
import { hasDependency, matchingCall, servesHttp, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * runtime/no-rate-limit: an HTTP server with no rate limiter in code (a call or construction of one
 * of `rateLimitCalls`, e.g. `rateLimit(...)`, `new RateLimiterMemory(...)`) or dependencies
 * (`rateLimitPackages`). The collector records every callee (SourceFacts.calls); the names are here.
 */
export const noRateLimit = defineCheck('runtime/no-rate-limit', ({ inventory, options, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!servesHttp(facts)) {
    skip?.('the server has no HTTP transport in source');
    return;
  }
  if (matchingCall(facts.calls, options.rateLimitCalls) !== undefined || hasDependency(facts, options.rateLimitPackages) !== undefined) return;
  const anchor = sitesOf(facts, 'http-transport')[0]!;
  report(siteFinding(facts, anchor, 'noRateLimit'));
});

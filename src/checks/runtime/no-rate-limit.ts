import { defineCheck } from '../../engine/define-check.js';
import { hasDependency, hasSite, servesHttp, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

export const RATE_LIMIT_PACKAGES = ['express-rate-limit', 'rate-limiter-flexible', '@fastify/rate-limit', 'hono-rate-limiter', 'express-slow-down', 'koa-ratelimit', '@upstash/ratelimit'];

/** runtime/no-rate-limit: an HTTP server with no rate limiter in code or dependencies. */
export const noRateLimit = defineCheck('runtime/no-rate-limit', ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!servesHttp(facts)) {
    skip?.('the server has no HTTP transport in source');
    return;
  }
  if (hasSite(facts, 'rate-limit') || hasDependency(facts, RATE_LIMIT_PACKAGES) !== undefined) return;
  const anchor = sitesOf(facts, 'http-transport')[0]!;
  report(siteFinding(facts, anchor, 'noRateLimit'));
});

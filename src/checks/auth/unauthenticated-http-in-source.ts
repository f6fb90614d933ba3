import { defineCheck } from '../../engine/define-check.js';
import { hasDependency, hasSite, servesHttp, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

export const AUTH_PACKAGES = ['passport', 'express-jwt', 'express-oauth2-jwt-bearer', '@cloudflare/workers-oauth-provider', 'better-auth', '@clerk/express'];

/**
 * auth/unauthenticated-http-in-source: an HTTP MCP transport with no authentication anywhere in
 * code: no `requireBearerAuth`, `passport.authenticate`, JWT middleware, fastmcp `authenticate`,
 * mcp-framework `auth.provider`, `OAuthProvider`, or check of the `Authorization` header.
 */
export const unauthenticatedHttpInSource = defineCheck('auth/unauthenticated-http-in-source', ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!servesHttp(facts)) {
    skip?.('the server has no HTTP transport in source');
    return;
  }
  if (hasSite(facts, 'auth-middleware', 'token-verification') || hasDependency(facts, AUTH_PACKAGES) !== undefined) return;
  report(siteFinding(facts, sitesOf(facts, 'http-transport')[0]!, 'noAuth'));
});

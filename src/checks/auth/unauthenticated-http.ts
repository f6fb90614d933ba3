import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { CheckContext } from '../../engine/types.js';
import { describeExchange, SERVER } from '../http/facts.js';
import { authenticatesInSource, hasDependency, servesHttp, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * auth/unauthenticated-http, on whichever evidence was collected:
 * - http: the endpoint completed initialize and tools/list for a client that sent no credentials at
 *   all. A target that declares `auth: none` (with a reason) is skipped, not passed;
 * - source: an HTTP MCP transport with no authentication anywhere in code: no `requireBearerAuth`,
 *   JWT verification, fastmcp `authenticate`, mcp-framework `auth.provider`, call of one of
 *   `authCalls` (`passport.authenticate`, `new OAuthProvider`), dependency among `authPackages`, or
 *   request answered 401 (a header check of its own).
 */
export const unauthenticatedHttp = defineCheck('auth/unauthenticated-http', (context) => {
  judgeHttp(context);
  judgeSource(context);
});

function judgeSource({ inventory, rule, report, skip }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!servesHttp(facts)) {
    skip?.('the server has no HTTP transport in source');
    return;
  }
  if (authenticatesInSource(facts, stringListOption(rule, 'authCalls')) || hasDependency(facts, stringListOption(rule, 'authPackages')) !== undefined) return;
  // A request answered 401 (a hand-rolled header check: `if (!token) return res.status(401)…`) is authentication the code does itself.
  if (sitesOf(facts, 'auth-denial').some((denial) => denial.detail.status === 401)) return;
  report(siteFinding(facts, sitesOf(facts, 'http-transport')[0]!, 'noAuth'));
}

function judgeHttp(context: CheckContext): void {
  const facts = context.inventory.http;
  if (facts === undefined) return;
  if (facts.authNone !== undefined) {
    context.skip?.(`the target declares auth: none (${facts.authNone.reason})`);
    return;
  }
  if (!facts.anonymous.accessGranted) return;
  const list = facts.anonymous.toolsList;
  context.report({
    messageId: 'noCredentials',
    data: { url: facts.url, tools: list?.jsonrpc?.toolCount ?? 0 },
    capability: SERVER,
    field: 'http.authentication',
    evidence: `${describeExchange(facts.anonymous.initialize)}; ${list ? describeExchange(list) : ''}`,
    evidenceKind: 'http',
  });
}

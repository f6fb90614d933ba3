import { defineCheck } from '../../engine/define-check.js';
import { describeExchange, httpFacts, SERVER } from '../http/facts.js';

/**
 * auth/unauthenticated-http: the endpoint completed initialize and tools/list for a client that sent
 * no credentials at all. A target that declares `auth: none` (with a reason) is skipped, not passed.
 */
export const unauthenticatedHttp = defineCheck('auth/unauthenticated-http', (context) => {
  const facts = httpFacts(context);
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
  });
});

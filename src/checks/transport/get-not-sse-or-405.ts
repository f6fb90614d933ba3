import { defineCheck } from '../../engine/define-check.js';
import { answer, describeExchange, httpFacts, noAccessReason, SERVER } from '../http/facts.js';

/** transport/get-not-sse-or-405: GET on the endpoint MUST return text/event-stream or 405. */
export const getNotSseOr405 = defineCheck('transport/get-not-sse-or-405', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  if (context.inventory.server.transport === 'sse') {
    context.skip?.('the server speaks legacy HTTP+SSE, where GET opens the event stream by design');
    return;
  }
  if (!facts.access) {
    context.skip?.(noAccessReason(facts));
    return;
  }
  const get = facts.get;
  if (get === undefined) {
    context.skip?.('the GET probe did not run (time budget)');
    return;
  }
  if (get.status === undefined) {
    context.skip?.(`GET got no answer (${get.error ?? 'unknown error'})`);
    return;
  }
  const type = get.headers['content-type'] ?? '';
  if (get.status === 405) return;
  if (get.status >= 200 && get.status < 300 && /^text\/event-stream\b/i.test(type)) return;
  context.report({
    messageId: 'wrongAnswer',
    data: { answer: answer(get), session: get.sent['Mcp-Session-Id'] !== undefined ? 'in an initialized session' : 'without a session' },
    capability: SERVER,
    field: 'http.get',
    evidence: describeExchange(get, ['Accept']),
  });
});

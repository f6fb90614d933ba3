import { defineCheck } from '../../engine/define-check.js';
import { describeExchange, httpFacts, noAccessReason, SERVER, succeeded } from '../http/facts.js';

/** transport/protocol-version-header: an invalid MCP-Protocol-Version MUST be answered 400 (2025-06-18+). */
export const protocolVersionHeader = defineCheck('transport/protocol-version-header', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  if (context.inventory.server.transport === 'sse') {
    context.skip?.('the server speaks legacy HTTP+SSE, which has no MCP-Protocol-Version header');
    return;
  }
  if (!facts.access) {
    context.skip?.(noAccessReason(facts));
    return;
  }
  const probe = facts.protocolVersionHeader;
  if (probe === undefined) {
    context.skip?.('the protocol-version probe did not run (time budget)');
    return;
  }
  const { response } = probe;
  if (response.status === 400) return;
  if (response.status === undefined) {
    context.skip?.(`the request got no answer (${response.error ?? 'unknown error'})`);
    return;
  }
  if (!succeeded(facts.toolsList) && !succeeded(response)) {
    context.skip?.(
      `tools/list failed with a valid header too (${facts.toolsList?.status ?? 'no answer'}), so the answer ${response.status} says nothing about the header`,
    );
    return;
  }
  context.report({
    messageId: 'invalidVersionAccepted',
    data: { sent: probe.sent, status: response.status },
    capability: SERVER,
    field: 'http.mcp-protocol-version',
    evidence: describeExchange(response, ['MCP-Protocol-Version']),
  });
});

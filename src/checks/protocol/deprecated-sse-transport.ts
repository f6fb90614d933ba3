import { defineCheck } from '../../engine/define-check.js';

/** protocol/deprecated-sse-transport: the server was reached only through the legacy HTTP+SSE fallback. */
export const deprecatedSseTransport = defineCheck('protocol/deprecated-sse-transport', ({ inventory, report }) => {
  const { transport, sseFallback } = inventory.server;
  if (transport !== 'sse') return;
  report({
    messageId: 'sseOnly',
    data: { status: sseFallback?.status ?? 'not attempted', reason: sseFallback?.reason ?? 'no Streamable HTTP answer recorded' },
    capability: { kind: 'server' },
    field: 'transport',
    evidence: `transport: sse${sseFallback === undefined ? '' : `; Streamable HTTP answered ${sseFallback.status}`}`,
  });
});

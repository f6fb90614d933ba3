import { defineCheck } from '../../engine/define-check.js';
import { sessionIdWeaknesses } from '../../http/session-id.js';
import { httpFacts, noAccessReason, SERVER } from '../http/facts.js';

/**
 * auth/weak-session-id (live part): several fresh sessions' Mcp-Session-Id values must be visible
 * ASCII, distinct and unguessable (no counters, timestamps or short ids).
 */
export const weakSessionId = defineCheck('auth/weak-session-id', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  if (!facts.access) {
    context.skip?.(noAccessReason(facts));
    return;
  }
  const ids = facts.sessions?.ids ?? [];
  if (ids.length === 0) {
    context.skip?.('the server issued no Mcp-Session-Id (stateless endpoint)');
    return;
  }
  for (const weakness of sessionIdWeaknesses(ids)) {
    context.report({
      messageId: weakness.messageId,
      data: { detail: weakness.detail, samples: ids.length },
      capability: SERVER,
      field: 'http.mcp-session-id',
      // Probe sessions are ended right after sampling; still, show only their shape.
      evidence: ids.map((id) => (id.length > 12 ? `${id.slice(0, 8)}…(${id.length} chars)` : id)).join(', '),
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { CheckContext } from '../../engine/types.js';
import { sessionIdWeaknesses } from '../../http/session-id.js';
import { noAccessReason, SERVER } from '../http/facts.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * auth/weak-session-id, on whichever evidence was collected:
 * - http: several fresh sessions' Mcp-Session-Id values must be visible ASCII, distinct and
 *   unguessable (no counters, timestamps or short ids);
 * - source: a `sessionIdGenerator` whose code uses a weak source (`weakGenerators`: `Date.now`,
 *   `Math.random`, a counter) and no strong one (`strongGenerators`: `randomUUID`, `randomBytes`).
 */
export const weakSessionId = defineCheck('auth/weak-session-id', (context) => {
  judgeHttp(context);
  judgeSource(context);
});

function judgeSource({ inventory, rule, report }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const weak = stringListOption(rule, 'weakGenerators').map((word) => word.toLowerCase());
  const strong = stringListOption(rule, 'strongGenerators').map((word) => word.toLowerCase());
  for (const site of sitesOf(facts, 'session-id-generator')) {
    const code = String(site.detail.code ?? '').toLowerCase();
    if (weak.some((word) => code.includes(word)) && !strong.some((word) => code.includes(word))) {
      report(siteFinding(facts, site, 'weakGenerator', { generator: String(site.detail.generator) }));
    }
  }
}

function judgeHttp(context: CheckContext): void {
  const facts = context.inventory.http;
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
      evidenceKind: 'http',
    });
  }
}

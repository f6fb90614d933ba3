import { defineCheck } from '../../engine/define-check.js';
import { hasDependency, hasSite, servesHttp, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** operations/no-metrics: no metrics/tracing dependency, no metric in code, no /metrics route. */
export const noMetrics = defineCheck('operations/no-metrics', ({ inventory, options, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (hasDependency(facts, options.metricsPackages) !== undefined || hasSite(facts, 'metric-emission', 'metrics-route')) return;
  const http = servesHttp(facts);
  // Anchored where requests come in: the HTTP transport, else the stdio transport, else the first registration.
  const anchor = sitesOf(facts, 'http-transport')[0] ?? sitesOf(facts, 'stdio-transport')[0];
  const data = { http: http ? ', and the server serves HTTP' : '' };
  const level = http ? options.httpLevel : 'note';
  if (anchor !== undefined) {
    report({ ...siteFinding(facts, anchor, 'noMetrics', data), capability: { kind: 'server' }, level });
    return;
  }
  const registration = facts.registrations[0];
  report({
    messageId: 'noMetrics',
    data,
    capability: { kind: 'server' },
    field: 'source',
    evidenceKind: 'source',
    level,
    ...(registration ? { location: registration.location } : {}),
  });
});

import { defineCheck } from '../../engine/define-check.js';
import { hasDependency, servesHttp, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** operations/in-memory-session-state: session ids issued, sessions/events kept in a process-local map, no shared store. */
export const inMemorySessionState = defineCheck('operations/in-memory-session-state', ({ inventory, options, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!servesHttp(facts)) {
    skip?.('the server has no HTTP transport in source');
    return;
  }
  const generator = sitesOf(facts, 'session-id-generator')[0];
  if (generator === undefined) return;
  if (hasDependency(facts, options.sharedStorePackages) !== undefined) return;
  const store = sitesOf(facts, 'session-store').find((site) => site.detail.inMemory === true);
  if (store === undefined) return;
  report({
    ...siteFinding(facts, store, 'inMemory', { generator: String(generator.detail.generator ?? 'sessionIdGenerator'), store: store.what }),
    capability: { kind: 'server' },
  });
});

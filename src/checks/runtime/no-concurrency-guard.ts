import { defineCheck } from '../../engine/define-check.js';
import { hasDependency, hasSite, namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

export const LIMITER_PACKAGES = ['p-limit', 'p-queue', 'bottleneck', 'async-sema', 'p-throttle', 'async-mutex', 'piscina', 'generic-pool'];

/**
 * runtime/no-concurrency-guard: tools whose handler spawns processes or queries a database, in a
 * project with no limiter (p-limit, p-queue, Bottleneck, a semaphore, a pool with `max`).
 */
export const noConcurrencyGuard = defineCheck('runtime/no-concurrency-guard', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (hasSite(facts, 'concurrency-limit') || hasDependency(facts, LIMITER_PACKAGES) !== undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const heavy = registration.handler?.reaches.find((site) => site.kind === 'process-spawn' || site.kind === 'sql-call');
    if (registration.kind !== 'tool' || heavy === undefined) continue;
    report({
      messageId: 'unguarded',
      data: { tool: registration.name, what: heavy.what, file: relativeFile(facts, heavy.location.file), line: heavy.location.line },
      capability: { kind: 'tool', name: registration.name },
      evidence: heavy.what,
      location: registration.location,
    });
  }
});

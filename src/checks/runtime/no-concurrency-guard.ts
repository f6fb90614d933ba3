import { defineCheck } from '../../engine/define-check.js';
import { hasDependency, hasSite, matchingCall, matchingFunctionCall, namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

/**
 * runtime/no-concurrency-guard: tools whose handler spawns processes or queries a database, in a
 * project with no limiter: no call or construction of one of `limiterCalls` (p-limit, p-queue,
 * Bottleneck, a semaphore), no bare call of one of `limiterFunctions` (`limit(() => …)`; a method
 * `query.limit(10)` is no limiter), no pool with `max`, no dependency among `limiterPackages`.
 */
export const noConcurrencyGuard = defineCheck('runtime/no-concurrency-guard', ({ inventory, options, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const limited =
    hasSite(facts, 'concurrency-limit') ||
    matchingCall(facts.calls, options.limiterCalls) !== undefined ||
    matchingFunctionCall(facts.calls, options.limiterFunctions) !== undefined ||
    hasDependency(facts, options.limiterPackages) !== undefined;
  if (limited) return;
  for (const registration of namedRegistrations(facts)) {
    const heavy = registration.handler?.reaches.find((site) => site.kind === 'process-spawn' || site.kind === 'sql-call');
    if (registration.kind !== 'tool' || heavy === undefined) continue;
    report({
      messageId: 'unguarded',
      data: { tool: registration.name, what: heavy.what, file: relativeFile(facts, heavy.location.file), line: heavy.location.line },
      capability: { kind: 'tool', name: registration.name },
      evidence: heavy.what,
      // The slow statement is what to fix; the engine adds the registration as a related location.
      location: heavy.location,
    });
  }
});

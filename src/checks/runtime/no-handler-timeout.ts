import { defineCheck } from '../../engine/define-check.js';
import { namedRegistrations, relativeFile, sourceFacts } from '../source-facts.js';

const SLOW = new Set(['process-spawn', 'outbound-http', 'sql-call']);

/**
 * runtime/no-handler-timeout: a tool whose handler does slow work (spawns a process, calls out over
 * HTTP, queries a database) with no overall deadline: no framework `timeoutMs`, no
 * `AbortSignal.timeout`, and the request's `signal` never used. The finding points at the slow call;
 * the registration is its related location (src/engine/run.ts).
 */
export const noHandlerTimeout = defineCheck('runtime/no-handler-timeout', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const registration of namedRegistrations(facts)) {
    const handler = registration.handler;
    if (registration.kind !== 'tool' || handler === undefined || registration.options.timeoutMs || handler.usesSignal) continue;
    const slow = handler.reaches.find((site) => SLOW.has(site.kind) && !(site.kind === 'outbound-http' && site.detail.hasTimeout === true));
    if (slow === undefined) continue;
    report({
      messageId: 'noDeadline',
      data: { tool: registration.name, what: slow.what, file: relativeFile(facts, slow.location.file), line: slow.location.line },
      capability: { kind: 'tool', name: registration.name },
      evidence: slow.what,
      // The slow statement is what to fix; the engine adds the registration as a related location.
      location: slow.location,
    });
  }
});

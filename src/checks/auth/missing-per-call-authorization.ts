import { defineCheck } from '../../engine/define-check.js';
import { authenticatesInSource, matchingCall, namedRegistrations, sourceFacts } from '../source-facts.js';

/**
 * auth/missing-per-call-authorization: on a server that authenticates callers (SDK bearer auth, JWT
 * verification, a framework auth hook, or a call of one of `authCalls`), a tool that may change
 * things (not `readOnlyHint: true`) whose handler never looks at who is calling: it reads no
 * `extra.authInfo`, has no fastmcp `canAccess`, and reaches no call of one of `authorizationCalls`
 * (`authorize(...)`, `checkScopes(...)`).
 */
export const missingPerCallAuthorization = defineCheck('auth/missing-per-call-authorization', ({ inventory, options, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!authenticatesInSource(facts, options.authCalls)) {
    skip?.('the server does not authenticate callers in source');
    return;
  }
  for (const registration of namedRegistrations(facts)) {
    const handler = registration.handler;
    if (registration.kind !== 'tool' || handler === undefined) continue;
    if (registration.annotations?.readOnlyHint === true || registration.options.canAccess || handler.readsAuth) continue;
    if (matchingCall(handler.calls, options.authorizationCalls) !== undefined) continue;
    report({
      messageId: 'noAuthorization',
      data: { tool: registration.name },
      capability: { kind: 'tool', name: registration.name },
      location: registration.location,
    });
  }
});

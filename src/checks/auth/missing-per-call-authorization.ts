import { defineCheck } from '../../engine/define-check.js';
import { hasSite, namedRegistrations, sourceFacts } from '../source-facts.js';

/**
 * auth/missing-per-call-authorization: on a server that authenticates callers, a tool that may
 * change things (not `readOnlyHint: true`) whose handler never looks at who is calling
 * (`extra.authInfo`, scopes, an authorize/permission helper) and has no fastmcp `canAccess`.
 */
export const missingPerCallAuthorization = defineCheck('auth/missing-per-call-authorization', ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!hasSite(facts, 'auth-middleware', 'token-verification')) {
    skip?.('the server does not authenticate callers in source');
    return;
  }
  for (const registration of namedRegistrations(facts)) {
    if (registration.kind !== 'tool' || registration.handler === undefined) continue;
    if (registration.annotations?.readOnlyHint === true || registration.options.canAccess || registration.handler.readsAuth) continue;
    report({ messageId: 'noAuthorization', data: { tool: registration.name }, capability: { kind: 'tool', name: registration.name }, location: registration.location });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { httpFacts, SERVER } from '../http/facts.js';

/** auth/challenge-without-scope: the 401/403 Bearer challenge SHOULD carry `scope` (2025-11-25). */
export const challengeWithoutScope = defineCheck('auth/challenge-without-scope', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  const challenge = facts.challenge;
  if (challenge === undefined) {
    context.skip?.('the endpoint did not challenge a request without credentials');
    return;
  }
  if (challenge.header === undefined) {
    context.skip?.(`the ${challenge.status} carried no WWW-Authenticate header (auth/missing-protected-resource-metadata judges that)`);
    return;
  }
  if (challenge.params.scope !== undefined && challenge.params.scope.trim() !== '') return;
  context.report({
    messageId: 'noScope',
    data: { status: challenge.status },
    capability: SERVER,
    field: 'http.www-authenticate.scope',
    evidence: challenge.header,
  });
});

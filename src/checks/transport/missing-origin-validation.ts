import { defineCheck } from '../../engine/define-check.js';
import { describeExchange, httpFacts, revisionAtLeast, SERVER, succeeded } from '../http/facts.js';

/**
 * transport/missing-origin-validation: servers MUST validate Origin (DNS rebinding); since 2025-11-25
 * a present, invalid Origin MUST get 403. A refusal we cannot tell apart from the refusal of a request
 * without Origin (both 401, say) proves nothing and is skipped.
 */
export const missingOriginValidation = defineCheck('transport/missing-origin-validation', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  const probe = facts.originHeader;
  if (probe === undefined) {
    context.skip?.('the Origin probe did not run (time budget)');
    return;
  }
  const { foreign } = probe;
  if (foreign.status === undefined) {
    context.skip?.(`the request with a foreign Origin got no answer (${foreign.error ?? 'unknown error'})`);
    return;
  }
  const evidence = describeExchange(foreign, ['Origin']);
  if (succeeded(foreign)) {
    context.report({
      messageId: 'foreignOriginAccepted',
      data: { origin: probe.foreignOrigin, status: foreign.status },
      capability: SERVER,
      field: 'http.origin',
      evidence,
    });
    return;
  }
  if (foreign.status === 403) return;
  if (!facts.access && foreign.status === facts.baseline.status) {
    context.skip?.(`a request without Origin was refused the same way (${foreign.status}), so the probe cannot see Origin handling; scan with credentials`);
    return;
  }
  if (revisionAtLeast(context.inventory, '2025-11-25')) {
    context.report({
      messageId: 'wrongStatus',
      data: { origin: probe.foreignOrigin, status: foreign.status },
      capability: SERVER,
      field: 'http.origin',
      evidence,
    });
  }
});

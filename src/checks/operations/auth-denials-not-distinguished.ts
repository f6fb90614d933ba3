import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** operations/auth-denials-not-distinguished: a 401/403 answer whose block records nothing, or nothing that says "denied". */
export const authDenialsNotDistinguished = defineCheck('operations/auth-denials-not-distinguished', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const denial of sitesOf(facts, 'auth-denial')) {
    const status = String(denial.detail.status);
    if (denial.detail.counted === true || denial.detail.labelled === true) continue;
    report({ ...siteFinding(facts, denial, denial.detail.logged === true ? 'notLabelled' : 'notRecorded', { status }), capability: { kind: 'server' } });
  }
});

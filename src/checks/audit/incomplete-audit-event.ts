import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * audit/incomplete-audit-event: an audit call whose event does not record the decision
 * (allowed/denied) and the outcome (success/failure) as separate fields, or is not a structured
 * object at all. Events built by spreading another object (`{ ...event, ts }`, a helper's body) are
 * not judged: their fields are decided at the call site, which is judged instead.
 */
export const incompleteAuditEvent = defineCheck('audit/incomplete-audit-event', ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const events = sitesOf(facts, 'audit-event');
  if (events.length === 0) {
    skip?.('no audit function or audit logger call found in source');
    return;
  }
  for (const event of events) {
    if (event.detail.spread === true) continue;
    if (event.detail.structured !== true) {
      report(siteFinding(facts, event, 'unstructured'));
      continue;
    }
    const missing = [
      event.detail.decision === true ? undefined : 'the decision (allowed/denied)',
      event.detail.outcome === true ? undefined : 'the outcome (success/failure)',
    ].filter((part) => part !== undefined);
    if (missing.length === 0) continue;
    report(siteFinding(facts, event, 'missingFields', { missing: missing.join(' and '), fields: String(event.detail.fields || 'none') }));
  }
});

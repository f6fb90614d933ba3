import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { listingKindsOf, matchListingKind } from '../listing-kinds.js';

/**
 * secrets/sensitive-data-returned (live): a tool or resource whose listing says it hands the model
 * data that carries secrets or personal data: the server's environment variables (error), request
 * headers and cookies of the browsed sites, the history of past tool calls with their arguments and
 * outputs (warning), logs, process lists, the server's whole configuration, user profiles (note).
 * Judged on the capability's name words, title and description against `kinds`
 * (src/checks/listing-kinds.ts); the first kind that matches is reported, at its level.
 */
export const sensitiveDataReturned = defineCheck('secrets/sensitive-data-returned', ({ inventory, rule, report }) => {
  const kinds = listingKindsOf(rule);
  for (const capability of [...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates]) {
    const matched = matchListingKind(kinds, capability);
    if (matched === undefined) continue;
    report({
      messageId: 'sensitiveData',
      data: { kind: capability.kind, name: capability.name, what: matched.kind.what, excerpt: matched.excerpt },
      capability: capabilityRef(capability),
      field: 'description',
      evidence: `${matched.kind.id}: ${matched.excerpt}`,
      level: matched.kind.level,
      ...(capability.origin.source === undefined ? {} : { location: capability.origin.source }),
    });
  }
});

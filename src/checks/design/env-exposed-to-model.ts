import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** design/env-exposed-to-model: the whole `process.env` returned or serialised into a result (not `process.env.X`). */
export const envExposedToModel = defineCheck('design/env-exposed-to-model', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'env-returned')) report(siteFinding(facts, site, 'envReturned'));
});

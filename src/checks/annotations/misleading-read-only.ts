import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef } from '../../inventory/model.js';
import { leadingVerb, wordSet } from './verbs.js';

/**
 * annotations/misleading-read-only (live part): `readOnlyHint: true` on a tool whose name leads with
 * a verb that changes things (`delete_file`, `send_message`, `github_create_issue`). Clients skip
 * confirmation for read-only tools, so the hint decides whether a user sees the call first. The
 * verb of the name decides (./verbs.ts): `get_update_status` and `order_status` read, `add_numbers`
 * adds up, `cancel_order` and `add_comment` write.
 */
export const misleadingReadOnly = defineCheck('annotations/misleading-read-only', ({ inventory, rule, report }) => {
  const reads = wordSet(rule, 'readVerbs');
  const writes = wordSet(rule, 'writeVerbs');
  const nounVerbs = wordSet(rule, 'nounVerbs');
  for (const tool of inventory.tools) {
    if (tool.annotations?.readOnlyHint !== true) continue;
    const verb = leadingVerb(tool, reads, writes, nounVerbs);
    if (verb?.kind !== 'write') continue;
    report({
      messageId: 'writeVerb',
      data: { tool: tool.name, verb: verb.verb },
      capability: capabilityRef(tool),
      field: 'annotations.readOnlyHint',
      evidence: `${tool.name}: readOnlyHint true`,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

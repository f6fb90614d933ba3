import { defineCheck } from '../../engine/define-check.js';
import { truncateSafely } from '../../secrets/truncate.js';
import { capabilityRef, type Inventory, type ToolCapability } from '../../inventory/model.js';
import { assessRisk } from '../../inventory/risk.js';
import { splitWords } from '../words.js';
import { wordSet } from './verbs.js';

/**
 * annotations/missing-annotations: a tool that sets none of `readOnlyHint`, `destructiveHint`,
 * `idempotentHint`, `openWorldHint`. The defaults then apply: not read-only, destructive, open
 * world, so careful clients ask before every call and others cannot tell a lookup from a delete.
 * A tool that only reads (its name leads with a read verb and its risk class is read-only or
 * open-world) and lacks `readOnlyHint` gets its own note instead, whatever other hints it sets.
 * A tool that sets some hints but neither `readOnlyHint: true` nor `destructiveHint` gets a note
 * too: clients acting on what is set cannot tell whether it can lose data.
 * Annotations exist since revision 2025-03-26; an older server's tools are judged all the same
 * (clients that read annotations show them), and the message says the revision predates them.
 */
const ANNOTATIONS_SINCE = '2025-03-26';
const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/** The read verb of the name (its first read word), when the risk class says nothing about the tool writes. */
function readVerbOf(tool: ToolCapability, inventory: Inventory, reads: Set<string>): string | undefined {
  const first = splitWords(tool.name).find((word) => reads.has(word));
  if (first === undefined) return undefined;
  const riskClass = assessRisk(tool, inventory).class;
  return riskClass === 'read-only' || riskClass === 'open-world' ? first : undefined;
}

export const missingAnnotations = defineCheck('annotations/missing-annotations', ({ inventory, rule, report }) => {
  const reads = wordSet(rule, 'readVerbs');
  const revision = inventory.server.protocolVersion;
  const predates = revision !== undefined && revision < ANNOTATIONS_SINCE;
  const revisionData: Record<string, string> = revision === undefined ? {} : { revision };
  for (const tool of inventory.tools) {
    const annotations = tool.annotations ?? {};
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const verb = typeof annotations.readOnlyHint === 'boolean' ? undefined : readVerbOf(tool, inventory, reads);
    if (verb !== undefined) {
      report({
        messageId: predates ? 'readOnlyUnsetOldRevision' : 'readOnlyUnset',
        data: { tool: tool.name, verb, ...revisionData },
        capability: capabilityRef(tool),
        field: 'annotations.readOnlyHint',
        evidence: `${tool.name}: readOnlyHint unset; reads ("${verb}")`,
        ...location,
      });
      continue;
    }
    if (HINTS.some((hint) => typeof annotations[hint] === 'boolean')) {
      // Hints set, but not the one that says whether a write can lose data (`readOnlyHint: false` alone, `openWorldHint` alone).
      if (annotations.readOnlyHint !== true && typeof annotations.destructiveHint !== 'boolean')
        report({
          messageId: 'destructiveUnsetPartial',
          data: { tool: tool.name },
          capability: capabilityRef(tool),
          field: 'annotations.destructiveHint',
          evidence: `annotations: ${truncateSafely(JSON.stringify(tool.annotations), 120, '')}`,
          ...location,
        });
      continue;
    }
    report({
      messageId: tool.annotations === undefined ? (predates ? 'noAnnotationsOldRevision' : 'noAnnotations') : 'noHints',
      data: { tool: tool.name, ...revisionData },
      capability: capabilityRef(tool),
      field: 'annotations',
      evidence: tool.annotations === undefined ? 'annotations: (absent)' : `annotations: ${truncateSafely(JSON.stringify(tool.annotations), 120, '')}`,
      ...location,
    });
  }
});

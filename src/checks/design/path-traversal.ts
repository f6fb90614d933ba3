import { defineCheck } from '../../engine/define-check.js';
import { nothingProbed } from '../probe/probe-facts.js';

/**
 * design/path-traversal (probe): the containment probe (src/probe/containment.ts) asked a read-only
 * tool that takes a path to read a canary file mcp-preflight made beside the tool's allowed root
 * (a sibling-prefix path, and one through `<root>/../`), and the canary's content came back. One
 * finding per tool, on the first escape that worked. When no root was known or no tool takes a
 * path, the rule says so (skipped), never a pass.
 */
export const pathTraversal = defineCheck('design/path-traversal', (context) => {
  const { inventory, report } = context;
  if (nothingProbed(context)) return;
  const containment = inventory.probe?.containment;
  if (containment === undefined) {
    context.skip?.('the containment probe did not run (the time budget ran out first)');
    return;
  }
  if (containment.probes.every((probe) => probe.attempts.length === 0)) {
    context.skip?.(
      `the containment probe tried nothing: ${
        containment.skipped ??
        containment.probes
          .map((probe) => probe.skipped)
          .filter(Boolean)
          .join('; ')
      }`,
    );
    return;
  }
  for (const probe of containment.probes) {
    const escaped = probe.attempts.find((attempt) => attempt.canaryReturned);
    if (escaped === undefined) continue;
    report({
      messageId: 'escaped',
      data: { tool: probe.tool, root: probe.root, path: escaped.path, escape: escaped.escape },
      capability: { kind: 'tool', name: probe.tool },
      field: `inputSchema.properties.${probe.parameter}`,
      evidence: escaped.call.sent,
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';
import type { CheckContext } from '../../engine/types.js';
import { envPairNames } from '../../probe/sanitise.js';
import { probedCalls, nothingProbed } from '../probe/probe-facts.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * design/env-exposed-to-model, on whichever evidence was collected:
 * - source: the whole `process.env` returned or serialised into a result (not `process.env.X`);
 * - probe: what a probed tool, resource or prompt returned holds at least `minPairs`
 *   environment-style pairs (`KEY=value`, `"KEY": "value"`), or at least `minEnvironmentNames`
 *   names of the environment the server was started with. Only the names are reported; the values
 *   are masked at collection.
 */
export const envExposedToModel = defineCheck('design/env-exposed-to-model', (context) => {
  const facts = sourceFacts(context.inventory);
  if (facts !== undefined) for (const site of sitesOf(facts, 'env-returned')) context.report(siteFinding(facts, site, 'envReturned'));
  if (context.inventory.probe !== undefined) judgeProbe(context);
});

function judgeProbe(context: CheckContext): void {
  const { inventory, rule, report } = context;
  if (nothingProbed(context)) return;
  const minPairs = numberOption(rule, 'minPairs');
  const minNames = numberOption(rule, 'minEnvironmentNames');
  const environment = inventory.probe?.environmentNames ?? [];
  // One finding per capability: the invalid and the valid call usually say the same.
  const reported = new Set<string>();
  for (const { capability, field, record } of probedCalls(inventory)) {
    const key = `${capability.kind}\u0000${capability.name ?? ''}`;
    if (reported.has(key)) continue;
    const text = [record.text, record.error?.data ?? ''].join('\n');
    const pairs = envPairNames(text);
    const known = environment.filter((name) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(text));
    if (pairs.length < minPairs && known.length < minNames) continue;
    const names = (pairs.length >= minPairs ? pairs : known).slice(0, 12);
    reported.add(key);
    report({
      messageId: pairs.length >= minPairs ? 'envPairs' : 'envNames',
      data: { count: pairs.length >= minPairs ? pairs.length : known.length, names: names.join(', ') },
      capability,
      field,
      evidence: names.join(', '),
      evidenceKind: 'probe',
    });
  }
}

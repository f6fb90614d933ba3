import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';
import { envPairNames } from '../../probe/sanitise.js';
import { probedCalls, nothingProbed } from '../probe/probe-facts.js';

/**
 * design/env-exposed-to-model-probed (probe part of design/env-exposed-to-model): what a probed
 * tool, resource or prompt returned holds at least `minPairs` environment-style pairs
 * (`KEY=value`, `"KEY": "value"`), or at least `minEnvironmentNames` names of the environment the
 * server was started with. Only the names are reported; the values are masked at collection.
 */
export const envExposedToModelProbed = defineCheck('design/env-exposed-to-model-probed', (context) => {
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
    });
  }
});

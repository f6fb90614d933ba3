import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * secrets/secret-logged: a logging call that reads `process.env` as a whole, request headers, or a
 * name that holds a secret (`secretNames`, case-insensitive parts of a name: `token`, `apiKey`...;
 * `ignoredProperties` such as `.length` do not count). The collector lists what the call's
 * arguments read (src/source/sites.ts); the first read that qualifies is the evidence.
 */
const HEADERS = /\.headers(\.authorization|\.cookie)?$/i;
const REQUEST = /^(req|request|c\.req|ctx\.req)/;

function secretRead(reads: string, rule: RuleMeta): string | undefined {
  const names = stringListOption(rule, 'secretNames').map((name) => name.toLowerCase());
  const ignored = new Set(stringListOption(rule, 'ignoredProperties'));
  const secretName = (name: string) => names.some((word) => name.toLowerCase().includes(word));
  for (const read of reads.split('\n')) {
    const [kind, first = '', second = ''] = read.split(' ');
    if (kind === 'env') return 'process.env';
    if (kind === 'property' && HEADERS.test(first) && REQUEST.test(first)) return first;
    if (kind === 'property' && secretName(second) && !ignored.has(second)) return first;
    if (kind === 'identifier' && secretName(first)) return first;
  }
  return undefined;
}

export const secretLogged = defineCheck('secrets/secret-logged', ({ inventory, rule, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'log-call')) {
    const secret = secretRead(String(site.detail.reads ?? ''), rule);
    if (secret !== undefined) report(siteFinding(facts, site, 'logged', { secret }));
  }
});

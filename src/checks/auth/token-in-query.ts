import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import { inIgnoredCode, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * auth/token-in-query: the server reads a credential from the URL query string (`req.query.token`,
 * `searchParams.get('access_token')`): a query-string read whose parameter is one of the
 * `tokenParameters` option, outside the code regions of `ignoredCode` (a bundled storage client
 * reading the token of a signed URL an API returned is no credential a client sends).
 */
export const tokenInQuery = defineCheck('auth/token-in-query', ({ inventory, rule, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const names = new Set(stringListOption(rule, 'tokenParameters'));
  const ignored = stringListOption(rule, 'ignoredCode');
  const reads = sitesOf(facts, 'query-read').filter((site) => names.has(String(site.detail.parameter)) && !inIgnoredCode(facts, site, ignored));
  // Ordinals (in the line-free evidence) count the credential reads only, as they did before other reads were collected.
  const judged = { ...facts, sites: reads };
  for (const site of reads) report(siteFinding(judged, site, 'tokenInQuery', { parameter: String(site.detail.parameter) }));
});

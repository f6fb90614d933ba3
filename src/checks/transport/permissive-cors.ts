import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import type { CheckContext } from '../../engine/types.js';
import type { ProbeExchange } from '../../http/types.js';
import { describeExchange, SERVER } from '../http/facts.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * transport/permissive-cors: the MCP endpoint lets any web page read its answers, on whichever
 * evidence was collected:
 * - http: a CORS preflight (or the POST itself) from a foreign origin gets
 *   `Access-Control-Allow-Origin: *`, `null`, or that origin echoed back (worse with
 *   `Access-Control-Allow-Credentials: true`);
 * - source: a CORS setting (`cors()`, `origin:`, `Access-Control-Allow-Origin` header) whose origin
 *   is one of the `permissiveOrigins` option (`cors()` without an origin allows `*`), or a header
 *   set from code that reads the request's Origin (`originReads`). The collector records the
 *   origin value and the header's code as data; the judgement is here.
 */
export const permissiveCors = defineCheck('transport/permissive-cors', (context) => {
  judgeHttp(context);
  judgeSource(context);
});

function judgeSource({ inventory, rule, report }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const permissive = new Set(stringListOption(rule, 'permissiveOrigins'));
  const originReads = stringListOption(rule, 'originReads').map((read) => read.toLowerCase());
  for (const site of sitesOf(facts, 'cors')) {
    const code = String(site.detail.code ?? '').toLowerCase();
    if (code !== '' && originReads.some((read) => code.includes(read))) report(siteFinding(facts, site, 'reflectedInSource', { origin: 'reflected' }));
    else if (permissive.has(String(site.detail.origin))) report(siteFinding(facts, site, 'anyOrigin', { origin: String(site.detail.origin) }));
  }
}

function judgeHttp(context: CheckContext): void {
  const facts = context.inventory.http;
  if (facts === undefined) return;
  const exchanges: Array<{ exchange: ProbeExchange; origin: string }> = [];
  if (facts.cors) exchanges.push({ exchange: facts.cors.preflight, origin: facts.cors.foreignOrigin });
  if (facts.originHeader) exchanges.push({ exchange: facts.originHeader.foreign, origin: facts.originHeader.foreignOrigin });
  if (exchanges.length === 0) {
    context.skip?.('the CORS probe did not run (time budget)');
    return;
  }
  const reported = new Set<string>();
  for (const { exchange, origin } of exchanges) {
    const allowOrigin = exchange.headers['access-control-allow-origin']?.trim();
    if (allowOrigin === undefined) continue;
    const credentials = exchange.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
    const messageId =
      allowOrigin === '*'
        ? 'wildcard'
        : allowOrigin.toLowerCase() === origin.toLowerCase()
          ? credentials
            ? 'reflectedWithCredentials'
            : 'reflected'
          : allowOrigin === 'null'
            ? 'nullOrigin'
            : undefined;
    if (messageId === undefined || reported.has(messageId)) continue;
    reported.add(messageId);
    context.report({
      messageId,
      data: { origin, allowOrigin, request: exchange.method },
      capability: SERVER,
      field: 'http.cors',
      evidence: `${describeExchange(exchange, ['Origin'])}; Access-Control-Allow-Origin: ${allowOrigin}${credentials ? '; Access-Control-Allow-Credentials: true' : ''}`,
      evidenceKind: 'http',
    });
  }
}

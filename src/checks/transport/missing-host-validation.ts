import { defineCheck } from '../../engine/define-check.js';
import { isIP } from 'node:net';
import type { CheckContext } from '../../engine/types.js';
import { describeExchange, SERVER, succeeded } from '../http/facts.js';
import { stringListOption } from '../../engine/options.js';
import type { SourceFacts } from '../../source/types.js';
import { calleeMatches, hasSite, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** RFC 1918 and link-local IPv4 literals: reachable by DNS rebinding like loopback. */
function isPrivateAddress(hostname: string): boolean {
  if (isIP(hostname) !== 4) return false;
  const [a, b] = hostname.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/**
 * transport/missing-host-validation, on whichever evidence was collected:
 * - http: a server on loopback (or a private address) that answers a foreign Host header can be
 *   reached from a web page through DNS rebinding;
 * - source: DNS-rebinding protection switched off (`enableDnsRebindingProtection: false`), or an
 *   HTTP MCP transport with no Host validation at all (`hostHeaderValidation()`, `allowedHosts`,
 *   `createMcpExpressApp` on loopback count as validation, and so does a Host header the code
 *   compares or hands to one of `hostCheckCalls`).
 */
export const missingHostValidation = defineCheck('transport/missing-host-validation', (context) => {
  judgeHttp(context);
  judgeSource(context);
});

function judgeSource({ inventory, rule, report }: CheckContext): void {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'dns-rebinding-protection-off')) report(siteFinding(facts, site, 'protectionOff'));
  if (hasSite(facts, 'host-validation') || checksHostHeader(facts, stringListOption(rule, 'hostCheckCalls'))) return;
  const transport = sitesOf(facts, 'http-transport')[0];
  if (transport !== undefined && !hasSite(facts, 'dns-rebinding-protection-off')) report(siteFinding(facts, transport, 'noValidation'));
}

/**
 * A Host check of the server's own: the Host header read and compared (`host !== expected`) or
 * handed to a check (`isHostAllowed(req.header('host'), allowed)`, one of `hostCheckCalls`). A Host
 * value only built into a URL checks nothing.
 */
function checksHostHeader(facts: SourceFacts, checkCalls: readonly string[]): boolean {
  return sitesOf(facts, 'host-header-read').some((site) => {
    const use = String(site.detail.use ?? '');
    return use === 'comparison' || (use.startsWith('call ') && calleeMatches(use.slice('call '.length), checkCalls));
  });
}

function judgeHttp(context: CheckContext): void {
  const facts = context.inventory.http;
  if (facts === undefined) return;
  const hostname = new URL(facts.url).hostname;
  if (!facts.loopback && !isPrivateAddress(hostname)) {
    context.skip?.(`${hostname} is neither loopback nor a private address; DNS rebinding aims at those`);
    return;
  }
  const probe = facts.hostHeader;
  if (probe === undefined) {
    context.skip?.('the Host probe did not run (time budget)');
    return;
  }
  const { foreign } = probe;
  if (foreign.status === undefined) {
    context.skip?.(`the request with a foreign Host got no answer (${foreign.error ?? 'unknown error'})`);
    return;
  }
  if (succeeded(foreign)) {
    context.report({
      messageId: 'foreignHostAccepted',
      data: { host: probe.foreignHost, status: foreign.status },
      capability: SERVER,
      field: 'http.host',
      evidence: describeExchange(foreign, ['Host']),
      evidenceKind: 'http',
    });
    return;
  }
  if (!facts.access && foreign.status === facts.baseline.status) {
    context.skip?.(`a request with the right Host was refused the same way (${foreign.status}), so the probe cannot see Host handling; scan with credentials`);
  }
}

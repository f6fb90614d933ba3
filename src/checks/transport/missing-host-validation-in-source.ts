import { defineCheck } from '../../engine/define-check.js';
import { hasSite, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * transport/missing-host-validation-in-source: DNS-rebinding protection switched off
 * (`enableDnsRebindingProtection: false`), or an HTTP MCP transport with no Host validation at all
 * (`hostHeaderValidation()`, `allowedHosts`, `createMcpExpressApp` on loopback count as validation).
 */
export const missingHostValidationInSource = defineCheck('transport/missing-host-validation-in-source', ({ inventory, report }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  for (const site of sitesOf(facts, 'dns-rebinding-protection-off')) report(siteFinding(facts, site, 'protectionOff'));
  if (hasSite(facts, 'host-validation')) return;
  const transport = sitesOf(facts, 'http-transport')[0];
  if (transport !== undefined && !hasSite(facts, 'dns-rebinding-protection-off')) report(siteFinding(facts, transport, 'noValidation'));
});

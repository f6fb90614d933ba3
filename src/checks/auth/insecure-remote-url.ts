import { defineCheck } from '../../engine/define-check.js';
import { isLoopbackHost } from '../../http/loopback.js';
import { httpFacts, SERVER } from '../http/facts.js';

function insecure(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/**
 * auth/insecure-remote-url: tokens and tool traffic over plain http to a host that is not loopback,
 * and authorization servers that are not https (they MUST be) on a host that is not loopback.
 */
export const insecureRemoteUrl = defineCheck('auth/insecure-remote-url', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  if (insecure(facts.url)) {
    context.report({ messageId: 'plainHttpTarget', data: { url: facts.url }, capability: SERVER, field: 'http.url', evidence: facts.url });
  }
  const seen = new Set<string>();
  for (const probe of facts.resourceMetadata) {
    const servers = probe.document?.authorization_servers;
    if (!Array.isArray(servers)) continue;
    for (const server of servers) {
      // An authorization server on a loopback address (a local identity provider) is not remote.
      if (typeof server !== 'string' || seen.has(server) || !insecure(server)) continue;
      seen.add(server);
      context.report({
        messageId: 'plainHttpAuthorizationServer',
        data: { server },
        capability: SERVER,
        field: 'http.resource-metadata.authorization_servers',
        evidence: server,
      });
    }
  }
});

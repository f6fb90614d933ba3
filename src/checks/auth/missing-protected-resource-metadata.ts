import { defineCheck } from '../../engine/define-check.js';
import { httpFacts, revisionOf, SERVER } from '../http/facts.js';

/**
 * auth/missing-protected-resource-metadata: an endpoint that answers 401 must tell clients where its
 * RFC 9728 protected resource metadata is (2025-06-18: WWW-Authenticate MUST carry it; 2025-11-25:
 * the header or a well-known URL), and the document MUST list at least one authorization server.
 * A server that authenticates with a static bearer token (an API key) is not an OAuth resource server
 * and need not publish the metadata: a plain `WWW-Authenticate: Bearer` challenge, with neither
 * `resource_metadata` nor `scope`, and no document at any well-known URL, is only a note.
 */

/** A Bearer challenge with nothing OAuth about it: what a server checking a static token answers. */
function plainBearer(challenge: { scheme?: string; params: Record<string, string> }): boolean {
  const params = Object.keys(challenge.params).map((name) => name.toLowerCase());
  return challenge.scheme?.toLowerCase() === 'bearer' && !params.includes('resource_metadata') && !params.includes('scope');
}
export const missingProtectedResourceMetadata = defineCheck('auth/missing-protected-resource-metadata', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  const challenge = facts.challenge;
  if (challenge === undefined || challenge.status !== 401) {
    const status = facts.anonymous.initialize.status;
    context.skip?.(
      `the endpoint did not answer 401 to a request without credentials (${status ?? facts.anonymous.initialize.error ?? 'no answer'}); auth/unauthenticated-http judges open endpoints`,
    );
    return;
  }
  const revision = revisionOf(context.inventory);
  const tried = facts.resourceMetadata
    .map((probe) => `${probe.url} (${probe.sameOrigin ? (probe.status ?? probe.error ?? 'no answer') : 'another origin, not fetched'})`)
    .join(', ');
  // HTTP itself requires a challenge on every 401 (RFC 9110 §15.5.2); 2025-06-18 also required it to
  // point to the metadata, and later revisions let clients look there first.
  if (challenge.header === undefined) {
    context.report({
      messageId: 'noChallengeHeader',
      data: { revision },
      capability: SERVER,
      field: 'http.www-authenticate',
      evidence: `POST ${facts.anonymous.initialize.path} → 401 without WWW-Authenticate`,
    });
  }
  const advertised = facts.resourceMetadata.find((probe) => probe.source === 'header');
  if (advertised?.sameOrigin && advertised.document === undefined) {
    context.report({
      messageId: 'advertisedDocumentMissing',
      data: { url: advertised.url, status: advertised.status ?? advertised.error ?? 'no answer' },
      capability: SERVER,
      field: 'http.www-authenticate.resource_metadata',
      evidence: challenge.header ?? '',
    });
  }
  const documents = facts.resourceMetadata.filter((probe) => probe.document !== undefined);
  if (documents.length === 0 && !(advertised !== undefined && !advertised.sameOrigin)) {
    if (plainBearer(challenge)) {
      context.report({
        messageId: 'staticBearer',
        data: { tried },
        capability: SERVER,
        field: 'http.resource-metadata',
        evidence: `401 challenge: ${challenge.header ?? ''}; tried ${tried}`,
        level: 'note',
      });
      return;
    }
    context.report({
      messageId: 'noMetadata',
      data: { tried },
      capability: SERVER,
      field: 'http.resource-metadata',
      evidence: `401 challenge: ${challenge.header ?? '(no WWW-Authenticate)'}; tried ${tried}`,
    });
  }
  const seen = new Set<string>();
  for (const probe of documents) {
    if (seen.has(probe.url)) continue;
    seen.add(probe.url);
    const servers = probe.document?.authorization_servers;
    const valid = Array.isArray(servers) && servers.length > 0 && servers.every((server) => typeof server === 'string' && server.length > 0);
    if (!valid) {
      context.report({
        messageId: 'noAuthorizationServers',
        data: { url: probe.url, value: servers === undefined ? 'absent' : JSON.stringify(servers).slice(0, 120) },
        capability: SERVER,
        field: 'http.resource-metadata.authorization_servers',
        evidence: JSON.stringify(probe.document).slice(0, 300),
      });
    }
  }
});

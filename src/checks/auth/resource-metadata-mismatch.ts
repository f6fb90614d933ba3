import { defineCheck } from '../../engine/define-check.js';
import { httpFacts, SERVER } from '../http/facts.js';

/** Scheme, host and port lower-cased and defaulted, path without a trailing slash, no query or fragment. */
export function canonicalResource(value: string): { origin: string; path: string } | undefined {
  try {
    const url = new URL(value);
    return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
  } catch {
    return undefined;
  }
}

/**
 * True when `resource` identifies the probed endpoint: same origin, and a path equal to it or a
 * parent of it at a segment boundary (a root document may name the origin).
 */
export function resourceCovers(resource: string, endpoint: string): boolean {
  const a = canonicalResource(resource);
  const b = canonicalResource(endpoint);
  if (a === undefined || b === undefined || a.origin !== b.origin) return false;
  return a.path === b.path || a.path === '' || b.path.startsWith(`${a.path}/`);
}

/**
 * auth/resource-metadata-mismatch: the RFC 9728 `resource` must be the URL the client used (clients
 * MUST refuse a document whose `resource` differs), and the metadata URL must not point elsewhere.
 */
export const resourceMetadataMismatch = defineCheck('auth/resource-metadata-mismatch', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  const advertised = facts.resourceMetadata.find((probe) => probe.source === 'header');
  const documents = facts.resourceMetadata.filter((probe) => probe.document !== undefined);
  if (advertised === undefined && documents.length === 0) {
    context.skip?.('the endpoint serves no protected resource metadata (auth/missing-protected-resource-metadata judges that)');
    return;
  }
  if (advertised !== undefined && !advertised.sameOrigin) {
    context.report({
      messageId: 'crossOriginMetadata',
      data: { url: advertised.url, origin: facts.origin },
      capability: SERVER,
      field: 'http.www-authenticate.resource_metadata',
      evidence: facts.challenge?.header ?? advertised.url,
    });
  }
  const seen = new Set<string>();
  for (const probe of documents) {
    if (seen.has(probe.url)) continue;
    seen.add(probe.url);
    const resource = probe.document?.resource;
    if (typeof resource !== 'string' || resource === '') {
      context.report({
        messageId: 'resourceMissing',
        data: { url: probe.url },
        capability: SERVER,
        field: 'http.resource-metadata.resource',
        evidence: JSON.stringify(probe.document).slice(0, 300),
      });
      continue;
    }
    if (!resourceCovers(resource, facts.url)) {
      context.report({
        messageId: 'resourceMismatch',
        data: { url: probe.url, resource, endpoint: facts.url },
        capability: SERVER,
        field: 'http.resource-metadata.resource',
        evidence: `resource: ${resource}; endpoint: ${facts.url}`,
      });
    }
  }
});

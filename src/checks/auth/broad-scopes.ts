import { defineCheck } from '../../engine/define-check.js';
import { numberOption, stringListOption } from '../../engine/options.js';
import { httpFacts, SERVER } from '../http/facts.js';

/**
 * auth/broad-scopes: scope minimisation (security best practices, "Common Mistakes"): wildcard or
 * omnibus scopes, a huge `scopes_supported`, or a challenge that asks for the whole catalogue.
 */
export const broadScopes = defineCheck('auth/broad-scopes', (context) => {
  const facts = httpFacts(context);
  if (facts === undefined) return;
  const broad = new Set(stringListOption(context.rule, 'broadScopes').map((scope) => scope.toLowerCase()));
  const broadSuffixes = stringListOption(context.rule, 'broadSuffixes');
  const maxScopes = numberOption(context.rule, 'maxScopesSupported');
  const catalogueMin = numberOption(context.rule, 'catalogueChallengeMin');

  const isBroad = (scope: string) => broad.has(scope.toLowerCase()) || broadSuffixes.some((suffix) => scope.toLowerCase().endsWith(suffix));
  const challengeScopes = (facts.challenge?.params.scope ?? '').split(/\s+/).filter(Boolean);
  const supported = new Set<string>();
  let sawScopes = challengeScopes.length > 0;
  const seen = new Set<string>();
  for (const probe of facts.resourceMetadata) {
    if (probe.document === undefined || seen.has(probe.url)) continue;
    seen.add(probe.url);
    const scopes = probe.document.scopes_supported;
    if (!Array.isArray(scopes)) continue;
    sawScopes = true;
    for (const scope of scopes) if (typeof scope === 'string') supported.add(scope);
    if (scopes.length > maxScopes) {
      context.report({
        messageId: 'tooManyScopes',
        data: { url: probe.url, count: scopes.length, max: maxScopes },
        capability: SERVER,
        field: 'http.resource-metadata.scopes_supported',
        evidence: scopes.slice(0, 10).join(' '),
      });
    }
  }
  if (!sawScopes) {
    context.skip?.('neither the challenge nor any protected resource metadata names scopes');
    return;
  }
  for (const scope of [...new Set([...supported, ...challengeScopes])].sort()) {
    if (!isBroad(scope)) continue;
    const where = challengeScopes.includes(scope) ? 'the 401 challenge' : 'scopes_supported';
    context.report({ messageId: 'broadScope', data: { scope, where }, capability: SERVER, field: 'http.scopes', evidence: scope });
  }
  if (challengeScopes.length >= catalogueMin && supported.size > 0 && [...supported].every((scope) => challengeScopes.includes(scope))) {
    context.report({
      messageId: 'wholeCatalogueChallenge',
      data: { count: challengeScopes.length },
      capability: SERVER,
      field: 'http.www-authenticate.scope',
      evidence: challengeScopes.join(' ').slice(0, 300),
    });
  }
});

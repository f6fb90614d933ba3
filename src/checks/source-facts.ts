import path from 'node:path';
import type { FindingInput } from '../engine/types.js';
import type { CapabilityRef, Inventory, SourceLocation } from '../inventory/model.js';
import type { CodeSite, SiteKind, SourceFacts, SourceRegistration } from '../source/types.js';

/**
 * Helpers for source rules: they read `inventory.source` (filled by src/source) and never load the
 * analyser itself (type-only imports), so registering them costs nothing on a live-only check.
 */

export function sourceFacts(inventory: Inventory): SourceFacts | undefined {
  return inventory.source;
}

export function sitesOf(facts: SourceFacts, ...kinds: SiteKind[]): CodeSite[] {
  return facts.sites.filter((site) => kinds.includes(site.kind));
}

export function hasSite(facts: SourceFacts, ...kinds: SiteKind[]): boolean {
  return facts.sites.some((site) => kinds.includes(site.kind));
}

export function hasDependency(facts: SourceFacts, names: readonly string[]): string | undefined {
  return facts.dependencies.find((name) => names.includes(name));
}

export function registrationRef(registration: SourceRegistration): CapabilityRef {
  return registration.name === undefined ? { kind: 'server' } : { kind: registration.kind, name: registration.name };
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

/** The capability whose handler reaches `site` (first registration in source order), else the server. */
export function ownerOf(facts: SourceFacts, site: CodeSite): CapabilityRef {
  for (const registration of facts.registrations) {
    if (registration.handler?.reaches.some((reached) => sameLocation(reached.location, site.location))) return registrationRef(registration);
  }
  return { kind: 'server' };
}

export function relativeFile(facts: SourceFacts, file: string): string {
  return path.relative(facts.root, file).split(path.sep).join('/') || path.basename(file);
}

/**
 * The finding for a code site: located at the site; fingerprinted by file, construct and its
 * ordinal among equal constructs in that file (line-free, so moving code keeps the identity).
 */
export function siteFinding<M extends string>(facts: SourceFacts, site: CodeSite, messageId: M, data: Record<string, string | number> = {}): FindingInput<M> {
  const file = relativeFile(facts, site.location.file);
  const ordinal = facts.sites.filter(
    (other) =>
      other.kind === site.kind &&
      other.location.file === site.location.file &&
      other.what === site.what &&
      (other.location.line < site.location.line || (other.location.line === site.location.line && other.location.column < site.location.column)),
  ).length;
  const capability = ownerOf(facts, site);
  return {
    messageId,
    data: { what: site.what, file, line: site.location.line, capability: capability.name ?? 'the server', ...data },
    capability,
    field: `source:${file}`,
    evidence: ordinal === 0 ? site.what : `${site.what}#${ordinal + 1}`,
    evidenceKind: 'source',
    location: site.location,
  };
}

/** Registrations with a static name (the ones findings can name). */
export function namedRegistrations(facts: SourceFacts): Array<SourceRegistration & { name: string }> {
  return facts.registrations.filter((registration): registration is SourceRegistration & { name: string } => registration.name !== undefined);
}

/**
 * The evidence of a finding on listed capabilities: the live listing, or source when the inventory
 * was built from source alone (`check --source DIR`).
 */
export function listingEvidence(inventory: Inventory): 'live' | 'source' {
  return inventory.target.kind === 'source' ? 'source' : 'live';
}

/** Has the server an HTTP face (an MCP HTTP transport, or a network listener)? */
export function servesHttp(facts: SourceFacts): boolean {
  return hasSite(facts, 'http-transport');
}

function namePattern(name: string): RegExp {
  return new RegExp(
    `^${name
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
}

/**
 * Does a callee the collector recorded (`passport.authenticate`, `new PQueue`) match a name from a
 * rule's options? A name with a dot is compared with the whole dotted callee, any other with its
 * last segment (`authenticate` matches `passport.authenticate`); `*` stands for any characters,
 * case is ignored, and `new` in front of a constructor is not part of the name.
 */
export function calleeMatches(callee: string, names: readonly string[]): boolean {
  const dotted = callee.startsWith('new ') ? callee.slice(4) : callee;
  const last = dotted.slice(dotted.lastIndexOf('.') + 1);
  return names.some((name) => namePattern(name).test(name.includes('.') ? dotted : last));
}

/** The first recorded callee matching one of `names` (see calleeMatches), if any. */
export function matchingCall(calls: readonly string[] | undefined, names: readonly string[]): string | undefined {
  return calls?.find((callee) => calleeMatches(callee, names));
}

/** The first recorded bare function call (no receiver, not a constructor) named one of `names`, if any. */
export function matchingFunctionCall(calls: readonly string[] | undefined, names: readonly string[]): string | undefined {
  return calls?.find((callee) => !callee.includes('.') && !callee.startsWith('new ') && names.some((name) => namePattern(name).test(callee)));
}

/**
 * Does the project authenticate callers? Framework and SDK facts the collector recognised
 * (`auth-middleware`: fastmcp `authenticate`, mcp-framework `auth.provider`; `token-verification`:
 * `requireBearerAuth`, JWT verification), or a call of one of the rule's `authCalls`.
 */
export function authenticatesInSource(facts: SourceFacts, authCalls: readonly string[]): boolean {
  return hasSite(facts, 'auth-middleware', 'token-verification') || matchingCall(facts.calls, authCalls) !== undefined;
}

/**
 * Is this site in a code region the rule leaves unjudged (its `ignoredCode` option)? `outside-server`:
 * a file the server never loads (a setup script run by `npx`, a browser bundle served as an asset;
 * SourceFacts.serverModules); `bundled-package`: a dependency's module a bundler inlined into the
 * package (`// node_modules/yaml/...`; CodeSite.bundled); `startup`: an error site only start-up
 * reaches (`detail.startup`, src/source/startup.ts). Facts recorded without these are judged (fail closed).
 */
export function inIgnoredCode(facts: SourceFacts, site: CodeSite, ignored: readonly string[]): boolean {
  if (ignored.includes('bundled-package') && site.bundled !== undefined) return true;
  if (ignored.includes('startup') && site.detail.startup === true) return true;
  return ignored.includes('outside-server') && facts.serverModules !== undefined && !facts.serverModules.includes(site.location.file);
}

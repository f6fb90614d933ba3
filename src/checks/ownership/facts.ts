import path from 'node:path';
import type { Inventory, SourceLocation } from '../../inventory/model.js';
import type { OwnersRole, OwnershipFacts } from '../../repo/ownership.js';
import type { RepoFacts } from '../../repo/types.js';

/** Helpers for the ownership rules: they read `inventory.repo.ownership` (src/repo/ownership.ts) and do no I/O. */

/** Why an ownership rule judged nothing: neither a repository nor an installed package was read. */
export const NO_OWNERSHIP_FACTS =
  "who owns the server is read from its repository (--repo, --source, or a config target's source) or from the installed package it was started from (a command under node_modules/<pkg>/, or npx <pkg>)";

export function ownershipFacts(inventory: Inventory): { repo: RepoFacts; ownership: OwnershipFacts } | undefined {
  const repo = inventory.repo;
  return repo?.ownership ? { repo, ownership: repo.ownership } : undefined;
}

/** The config declares at least one entry for `role`. */
export function declares(ownership: OwnershipFacts, role: OwnersRole): boolean {
  return (ownership.declared?.owners[role]?.length ?? 0) > 0;
}

/** `file` relative to the repository root, with `/` (absolute when outside it). */
export function repoRelative(repo: RepoFacts, file: string): string {
  const relative = path.relative(repo.root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

export function lineOne(file: string): SourceLocation {
  return { file, line: 1, column: 1 };
}

/**
 * Where a finding about a missing file points: the config's `owners` section when there is one
 * (that is where the missing role belongs), else the package's package.json, else nowhere (the
 * target's anchor).
 */
export function ownershipAnchor(ownership: OwnershipFacts): SourceLocation | undefined {
  if (ownership.declared) return { file: ownership.declared.file, line: ownership.declared.line, column: 1 };
  if (ownership.packageJson) return lineOne(ownership.packageJson.file);
  return undefined;
}

const OWNER_KEYS = new Set(['owner', 'owners', 'maintainer', 'maintainers', 'team', 'oncall', 'on-call']);
const SECURITY_KEYS = new Set(['security', 'security-contact', 'securitycontact', 'security_contact']);

/**
 * Contacts the server declares about itself in its handshake `_meta` (no key is standard, so the
 * last segment of a namespaced key decides: `com.acme/owner`, `com.acme/security-contact`). A value
 * must be a non-empty string or a list of them.
 */
export function serverMetaContact(inventory: Inventory, role: 'owner' | 'security'): { key: string; value: string } | undefined {
  const keys = role === 'owner' ? OWNER_KEYS : SECURITY_KEYS;
  for (const [key, value] of Object.entries(inventory.server.info._meta ?? {})) {
    const segment = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
    if (!keys.has(segment)) continue;
    const values = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string' && item.trim() !== '');
    if (values.length > 0) return { key, value: values.join(', ') };
  }
  return undefined;
}

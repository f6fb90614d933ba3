import path from 'node:path';
import type { Inventory, SourceLocation } from '../../inventory/model.js';
import type { OwnersRole, OwnershipFacts } from '../../repo/ownership.js';
import type { RepoFacts } from '../../repo/types.js';

/** Helpers for the ownership rules: they read `inventory.repo.ownership` (src/repo/ownership.ts) and do no I/O. */

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

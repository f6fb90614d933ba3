import type { SecretFacts } from './secrets.js';
import type { OwnershipFacts } from './ownership.js';
import type { ServerJsonFacts } from './server-json.js';

/**
 * Repository facts: what the project's files say about the server (owners, security policy,
 * dependency updates, the MCP registry manifest `server.json`, secrets committed in files).
 * Collected by src/repo/collect.ts from the repository root; `'repo'` is in `inventory.facts` when
 * present. Plain data, serialised with the inventory.
 */
export interface RepoFacts {
  /** Absolute root that was read: the git top-level of the given directory, else the directory itself. */
  root: string;
  /** The directory the root was derived from, and why it was chosen. */
  from: { directory: string; why: 'flag' | 'source' | 'config' };
  /**
   * The package the server lives in: the nearest directory at or above the given one with a
   * package.json (else the given directory). In a monorepo this is below `root`; package.json and
   * server.json are read here, CODEOWNERS and .github/ at `root`.
   */
  packageDir: string;
  /** Whether `root` is a git checkout (then `files` comes from `git ls-files`). */
  git: boolean;
  /** Repository files, relative to `root` with `/` separators, bounded (see `filesTruncated`). */
  files: string[];
  /** Set when the listing stopped at the bound. */
  filesTruncated?: boolean;
  /** The MCP registry manifest `server.json` in `packageDir` (else `root`), when there is one (src/repo/server-json.ts). */
  serverJson?: ServerJsonFacts;
  /** Credentials committed in the repository's text files, the config file and server.json, masked (src/repo/secrets.ts). */
  secrets?: SecretFacts;
  /** CODEOWNERS, SECURITY.md, Dependabot/Renovate, config `owners` (src/repo/ownership.ts). */
  ownership?: OwnershipFacts;
}

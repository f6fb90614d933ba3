import type { SecretFacts } from './secrets.js';
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

// Ownership facts: src/repo/ownership.ts collects them, src/checks/ownership judges.

/** Config `owners`: each entry a team, a person, an address, a channel or a sentence. */
export interface OwnersDeclaration {
  /** Who reviews and answers for the code (like CODEOWNERS). */
  code?: string[];
  /** Who runs it: an on-call rotation, a channel, a pager. */
  operational?: string[];
  /** Where security reports go and who reviews them. */
  securityReview?: string[];
  /** How dependencies are kept current when no bot does it. */
  dependencyUpdates?: string[];
}

export type OwnersRole = keyof OwnersDeclaration;

/** The `owners` section of the config that declared the target, with where it was written. */
export interface DeclaredOwners {
  owners: OwnersDeclaration;
  /** Absolute path of the config file. */
  file: string;
  /** Line of `owners:`, and of each role's key. */
  line: number;
  lines: Partial<Record<OwnersRole, number>>;
}

export interface CodeownersFacts {
  /** Absolute path of the CODEOWNERS file GitHub uses (`.github/`, else the root, else `docs/`). */
  file: string;
  rules: number;
  problems: { line: number; message: string }[];
  /** How many of the server's files were matched against the rules (bounded by MAX_CHECKED_FILES). */
  checked: number;
  /** How many of them no rule gives an owner, and the first few. */
  unownedCount: number;
  unowned: string[];
  /** Owners of the server's files (every deciding rule's owners), sorted. */
  owners: string[];
}

export interface DependencyUpdateConfig {
  tool: 'dependabot' | 'renovate';
  /** Absolute path. */
  file: string;
  /** Dependabot: the `package-ecosystem` of each `updates` entry. */
  ecosystems?: string[];
  /** Renovate `"enabled": false`. */
  disabled?: boolean;
  /** Why the file could not be read as configuration (bad YAML/JSON). */
  problem?: string;
}

export interface OwnershipFacts {
  /** The server's directory relative to `root` (`''` for the root): its source root, else `packageDir`. */
  serverPath: string;
  declared?: DeclaredOwners;
  codeowners?: CodeownersFacts;
  /** The security policy GitHub shows (root, `.github/` or `docs/`, or the package directory), non-empty. */
  securityPolicy?: { file: string };
  dependencyUpdates: DependencyUpdateConfig[];
  /** The package's package.json: where a finding about the package points, and what it says about its home. */
  packageJson?: { file: string; name?: string; repository?: string; bugs?: string; renovate?: boolean };
  /** server.json's documented fields, and what is wrong with them (name, description, version, repository). */
  serverJson?: { file: string; name?: string; repository?: string; problems: { pointer: string; line?: number; message: string }[] };
}

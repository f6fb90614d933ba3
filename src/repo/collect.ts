import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SecretAllowEntry } from './secrets.js';
import { collectOwnershipFacts, type DeclaredOwners } from './ownership.js';
import { readServerJson } from './server-json.js';
import type { RepoFacts } from './types.js';

/** Bound on the files listed: a monorepo must not turn a check into a walk of the world. */
export const MAX_REPO_FILES = 20_000;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', '.turbo']);

export interface RepoOptions {
  why: RepoFacts['from']['why'];
  /** The config file (scanned for committed secrets even when it lies outside the repository). */
  configFile?: string;
  /** The config's `secrets.allow` entries. */
  secretsAllow?: SecretAllowEntry[];
  /** The server's source root, when source analysis ran (the files CODEOWNERS must cover). */
  serverRoot?: string;
  /** The config's `owners` section. */
  owners?: DeclaredOwners;
}

/**
 * Reads the repository that holds `directory`. Never judges: rules in src/checks do. Each kind of
 * repository fact (ownership, server.json, committed secrets) is added by its own collector below.
 */
export function collectRepoFacts(directory: string, options: RepoOptions): Promise<RepoFacts> {
  // Several targets of one config share a repository: read it once per process, not once per target.
  const key = JSON.stringify([path.resolve(directory), options]);
  let facts = collected.get(key);
  if (facts === undefined) {
    facts = readRepository(directory, options);
    collected.set(key, facts);
  }
  return facts;
}

const collected = new Map<string, Promise<RepoFacts>>();

async function readRepository(directory: string, options: RepoOptions): Promise<RepoFacts> {
  const absolute = path.resolve(directory);
  const gitRoot = gitTopLevel(absolute);
  const root = gitRoot ?? absolute;
  const listing = gitRoot ? gitFiles(gitRoot) : walkFiles(root);
  const facts: RepoFacts = {
    root,
    packageDir: nearestPackageDir(absolute, root),
    from: { directory: absolute, why: options.why },
    git: gitRoot !== undefined,
    files: listing.files,
    ...(listing.truncated ? { filesTruncated: true } : {}),
  };
  const serverJson = readServerJson(facts);
  if (serverJson !== undefined) facts.serverJson = serverJson;
  facts.ownership = collectOwnershipFacts(facts, {
    ...(options.serverRoot ? { serverRoot: options.serverRoot } : {}),
    ...(options.owners ? { declared: options.owners } : {}),
  });
  const { collectSecretFacts } = await import('./secrets.js');
  facts.secrets = await collectSecretFacts(facts, {
    extraFiles: [...(serverJson ? [serverJson.file] : []), ...(options.configFile ? [options.configFile] : []), ...sourceOutside(root, options.serverRoot)],
    ...(options.secretsAllow ? { allow: options.secretsAllow } : {}),
  });
  return facts;
}

/** The source root's files when it lies outside the repository (`--repo A --source B`): its secrets count too. */
function sourceOutside(root: string, serverRoot: string | undefined): string[] {
  if (serverRoot === undefined) return [];
  const relative = path.relative(root, serverRoot);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) return [];
  return walkFiles(serverRoot).files.map((file) => path.join(serverRoot, file));
}

function nearestPackageDir(directory: string, root: string): string {
  for (let current = directory; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'package.json'))) return current;
    if (current === root || path.dirname(current) === current) return directory;
  }
}

function gitTopLevel(directory: string): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: directory,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    });
    const top = out.trim();
    return top.length > 0 ? top : undefined;
  } catch {
    return undefined;
  }
}

/** Tracked files plus untracked ones git does not ignore: what a commit of the work tree would hold. */
function gitFiles(root: string): { files: string[]; truncated: boolean } {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
      timeout: 10_000,
    });
    const all = [...new Set(out.split('\0').filter((file) => file.length > 0))].filter((file) => existsSync(path.join(root, file)));
    return { files: all.slice(0, MAX_REPO_FILES), truncated: all.length > MAX_REPO_FILES };
  } catch {
    return walkFiles(root);
  }
}

function walkFiles(root: string): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    let entries: string[];
    try {
      entries = readdirSync(path.join(root, relative));
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const child = relative ? `${relative}/${entry}` : entry;
      let stats;
      try {
        stats = statSync(path.join(root, child));
      } catch {
        continue;
      }
      if (stats.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry)) pending.push(child);
      } else if (stats.isFile()) {
        if (files.length >= MAX_REPO_FILES) return { files, truncated: true };
        files.push(child);
      }
    }
  }
  return { files: files.sort(), truncated: false };
}

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { yaml } from '../util/lazy-yaml.js';
import { codeownersMatcher, parseCodeowners } from './codeowners.js';
import { urlOf } from './installed-package.js';
import type { CodeownersFacts, DeclaredOwners, DependencyUpdateConfig, OwnershipFacts, RepoFacts } from './types.js';

// The fact types live in the type module (src/repo/types.ts), so it does not import this collector.
export type { CodeownersFacts, DeclaredOwners, DependencyUpdateConfig, OwnersDeclaration, OwnershipFacts, OwnersRole } from './types.js';

/**
 * Ownership facts: who answers for the server (CODEOWNERS, config `owners`), where vulnerabilities
 * are reported (SECURITY.md, `owners.securityReview`), and how dependencies stay current
 * (Dependabot, Renovate, `owners.dependencyUpdates`). Facts only; src/checks/ownership judges.
 */

export interface OwnershipOptions {
  /** The server's source root (absolute), when source analysis ran; else `packageDir` is the server's directory. */
  serverRoot?: string;
  declared?: DeclaredOwners;
}

/** CODEOWNERS locations in GitHub's order of precedence: the first one found is the one GitHub uses. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;
const SECURITY_POLICY = /^security(?:\.(?:md|markdown|rst|adoc|txt))?$/i;
const SECURITY_POLICY_DIRECTORIES = ['', '.github', 'docs'] as const;
export const DEPENDABOT_FILES = ['.github/dependabot.yml', '.github/dependabot.yaml'] as const;
/** Renovate's own list of config file names (docs.renovatebot.com/configuration-options). */
export const RENOVATE_FILES = [
  'renovate.json',
  'renovate.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
] as const;
const MAX_CHECKED_FILES = 5_000;
const MAX_UNOWNED_SHOWN = 5;
const MAX_READ_BYTES = 512 * 1024;
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;
const NOT_SOURCE = /(?:^|\/)(?:node_modules|dist|build|coverage)\//;

export function collectOwnershipFacts(repo: RepoFacts, options: OwnershipOptions = {}): OwnershipFacts {
  const serverDirectory = options.serverRoot ?? repo.packageDir;
  const serverPath = toPosix(path.relative(repo.root, serverDirectory));
  const facts: OwnershipFacts = {
    serverPath: serverPath.startsWith('..') ? '' : serverPath,
    ...(options.declared ? { declared: options.declared } : {}),
    dependencyUpdates: [],
  };
  const codeowners = readCodeowners(repo, facts.serverPath);
  if (codeowners) facts.codeowners = codeowners;
  const policy = findSecurityPolicy(repo);
  if (policy) facts.securityPolicy = { file: policy };
  facts.dependencyUpdates = findDependencyUpdates(repo);
  const manifest = readPackageJson(repo.packageDir);
  if (manifest) {
    facts.packageJson = manifest;
    if (manifest.renovate) facts.dependencyUpdates.push({ tool: 'renovate', file: manifest.file });
  }
  const serverJson = describeServerJson(repo);
  if (serverJson) facts.serverJson = serverJson;
  return facts;
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function readBounded(file: string): string | undefined {
  try {
    if (statSync(file).size > MAX_READ_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readCodeowners(repo: RepoFacts, serverPath: string): CodeownersFacts | undefined {
  const relative = CODEOWNERS_LOCATIONS.find((candidate) => isFile(path.join(repo.root, candidate)));
  if (relative === undefined) return undefined;
  const file = path.join(repo.root, relative);
  const parsed = parseCodeowners(readBounded(file) ?? '');
  const matcher = codeownersMatcher(parsed.rules);
  const inServer = (candidate: string) => serverPath === '' || candidate === serverPath || candidate.startsWith(`${serverPath}/`);
  const serverFiles = repo.files.filter((candidate) => inServer(candidate) && !NOT_SOURCE.test(candidate));
  const sources = serverFiles.filter((candidate) => SOURCE_FILE.test(candidate));
  // The server's source files; a package without any is judged by its other files; an empty listing by the directory itself.
  const checked = (
    sources.length > 0 ? sources : serverFiles.length > 0 ? serverFiles : [serverPath === '' ? 'package.json' : `${serverPath}/package.json`]
  ).slice(0, MAX_CHECKED_FILES);
  const owners = new Set<string>();
  const unowned: string[] = [];
  for (const candidate of checked) {
    const rule = matcher.ruleFor(candidate);
    if (rule === undefined || rule.owners.length === 0) unowned.push(candidate);
    else for (const owner of rule.owners) owners.add(owner);
  }
  return {
    file,
    rules: parsed.rules.length,
    problems: parsed.problems,
    checked: checked.length,
    unownedCount: unowned.length,
    unowned: unowned.slice(0, MAX_UNOWNED_SHOWN),
    owners: [...owners].sort(),
  };
}

function findSecurityPolicy(repo: RepoFacts): string | undefined {
  const directories = [...SECURITY_POLICY_DIRECTORIES.map((directory) => path.join(repo.root, directory)), repo.packageDir];
  for (const directory of [...new Set(directories)]) {
    let entries: string[];
    try {
      entries = readdirSync(directory).sort();
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!SECURITY_POLICY.test(entry)) continue;
      const file = path.join(directory, entry);
      const text = isFile(file) ? readBounded(file) : undefined;
      if (text !== undefined && text.trim().length > 0) return file;
    }
  }
  return undefined;
}

function findDependencyUpdates(repo: RepoFacts): DependencyUpdateConfig[] {
  const found: DependencyUpdateConfig[] = [];
  for (const relative of DEPENDABOT_FILES) {
    const file = path.join(repo.root, relative);
    if (!isFile(file)) continue;
    try {
      const document = yaml().parse(readBounded(file) ?? '') as { updates?: Array<{ 'package-ecosystem'?: unknown }> } | null;
      const updates = Array.isArray(document?.updates) ? document.updates : [];
      const ecosystems = updates.map((update) => update?.['package-ecosystem']).filter((value): value is string => typeof value === 'string');
      found.push({
        tool: 'dependabot',
        file,
        ecosystems: [...new Set(ecosystems)].sort(),
        ...(updates.length === 0 ? { problem: 'has no "updates" entries' } : {}),
      });
    } catch (error) {
      found.push({ tool: 'dependabot', file, ecosystems: [], problem: `is not valid YAML (${(error as Error).message.split('\n')[0]})` });
    }
  }
  for (const directory of [...new Set([repo.root, repo.packageDir])]) {
    for (const relative of RENOVATE_FILES) {
      const file = path.join(directory, relative);
      if (!isFile(file)) continue;
      const text = readBounded(file) ?? '';
      // JSON5 is not parsed; only a plain-JSON `"enabled": false` is read.
      let disabled = false;
      try {
        disabled = (JSON.parse(text) as { enabled?: unknown }).enabled === false;
      } catch {
        disabled = /["']?enabled["']?\s*:\s*false/.test(text);
      }
      found.push({ tool: 'renovate', file, ...(disabled ? { disabled: true } : {}) });
    }
  }
  return found;
}

function readPackageJson(directory: string): OwnershipFacts['packageJson'] {
  const file = path.join(directory, 'package.json');
  if (!existsSync(file)) return undefined;
  let manifest: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readBounded(file) ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) manifest = parsed as Record<string, unknown>;
  } catch {
    return { file };
  }
  const repository = urlOf(manifest.repository);
  const bugs = urlOf(manifest.bugs);
  return {
    file,
    ...(typeof manifest.name === 'string' ? { name: manifest.name } : {}),
    ...(repository ? { repository } : {}),
    ...(bugs ? { bugs } : {}),
    ...(manifest.renovate !== undefined && manifest.renovate !== null ? { renovate: true } : {}),
  };
}

/**
 * server.json's documented top-level fields (the registry's `server.schema.json`): `name`
 * (`namespace/name`, one slash, reverse-DNS namespace), `description` (1–100 characters), `version`
 * (an exact version, not a range or `latest`), `repository` (`{ url, source }`). No package on the
 * npm registry ships the schema, so these are checked by hand.
 */
function describeServerJson(repo: RepoFacts): OwnershipFacts['serverJson'] {
  const manifest = repo.serverJson;
  if (manifest === undefined) return undefined;
  const problems: { pointer: string; line?: number; message: string }[] = [];
  const at = (pointer: string, message: string) => {
    const line = manifest.lines[pointer] ?? manifest.lines[''];
    problems.push({ pointer, ...(line !== undefined ? { line } : {}), message });
  };
  if (manifest.parsed === undefined || manifest.parsed === null || typeof manifest.parsed !== 'object' || Array.isArray(manifest.parsed)) {
    at('', manifest.parseError ? `server.json ${manifest.parseError}` : 'server.json is not a JSON object');
    return { file: manifest.file, problems };
  }
  const document = manifest.parsed as Record<string, unknown>;
  const name = typeof document.name === 'string' ? document.name : undefined;
  if (name === undefined) at('/name', 'server.json has no "name"');
  else if (!/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/.test(name))
    at('/name', `server.json "name" ${JSON.stringify(name)} is not "<reverse-dns namespace>/<name>" with exactly one slash`);
  const description = document.description;
  if (typeof description !== 'string' || description.trim() === '') at('/description', 'server.json has no "description"');
  else if (description.length > 100) at('/description', `server.json "description" has ${description.length} characters; the registry allows 100`);
  const version = document.version;
  if (typeof version !== 'string' || version.trim() === '') at('/version', 'server.json has no "version"');
  else if (version === 'latest' || /[\^~*<>=|xX]|\s-\s/.test(version))
    at('/version', `server.json "version" ${JSON.stringify(version)} is a range or "latest", not one exact version`);
  const repository = document.repository as { url?: unknown; source?: unknown } | undefined;
  let repositoryUrl: string | undefined;
  if (repository === undefined) at('', 'server.json has no "repository" ({ url, source })');
  else if (typeof repository !== 'object' || repository === null || typeof repository.url !== 'string' || typeof repository.source !== 'string') {
    at('/repository', 'server.json "repository" needs a "url" and a "source" (e.g. "github")');
  } else {
    repositoryUrl = repository.url;
    if (!/^https?:\/\//.test(repository.url)) at('/repository/url', `server.json "repository.url" ${JSON.stringify(repository.url)} is not an http(s) URL`);
  }
  return { file: manifest.file, ...(name ? { name } : {}), ...(repositoryUrl ? { repository: repositoryUrl } : {}), problems };
}

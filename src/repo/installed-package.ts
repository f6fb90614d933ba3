import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { InstalledPackageFacts } from './installed-package-types.js';

/**
 * The installed package a server was started from, and what its own metadata says about who owns it
 * and where to report a vulnerability: package.json `author`, `maintainers`, `repository`, `bugs`, a
 * SECURITY.md shipped in the package, and a `server.json` beside package.json. Found when the
 * command (or a launch argument) resolves, after symlinks (`node_modules/.bin/x`), to a file under
 * `node_modules/<pkg>/`, or when the command is `npx <pkg>` and npx installed it in its cache
 * (`~/.npm/_npx/<hash>/node_modules/<pkg>`). Reads files only; never runs npm.
 */

export type { InstalledPackageFacts } from './installed-package-types.js';

const MAX_BYTES = 256 * 1024;
const SECURITY_POLICY = /^security(?:\.(?:md|markdown|rst|adoc|txt))?$/i;

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    if (statSync(file).size > MAX_BYTES) return undefined;
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function person(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (value && typeof value === 'object') {
    const parts = ['name', 'email', 'url']
      .map((key) => (value as Record<string, unknown>)[key])
      .filter((part): part is string => typeof part === 'string' && part.trim() !== '');
    if (parts.length > 0) return parts.join(' ');
  }
  return undefined;
}

/** A package.json `repository` / `bugs` value (a string, or an object with `url` or `email`), trimmed. */
export function urlOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (value && typeof value === 'object') {
    const url = (value as { url?: unknown }).url ?? (value as { email?: unknown }).email;
    if (typeof url === 'string' && url.trim() !== '') return url.trim();
  }
  return undefined;
}

/** `…/node_modules/@scope/name/dist/x.js` → `…/node_modules/@scope/name` (the innermost node_modules). */
export function packageDirOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  const index = parts.lastIndexOf('node_modules');
  if (index < 0 || index + 1 >= parts.length) return undefined;
  const scoped = parts[index + 1]!.startsWith('@');
  if (scoped && index + 2 >= parts.length) return undefined;
  const dir = parts.slice(0, index + (scoped ? 3 : 2)).join(path.sep);
  return existsSync(path.join(dir, 'package.json')) ? dir : undefined;
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `npx -y @scope/name@1.2.3 --flag` → `@scope/name`. */
function npxPackage(args: string[]): string | undefined {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--package' || arg === '-p') return stripVersion(args[index + 1] ?? '');
    if (arg.startsWith('--package=')) return stripVersion(arg.slice('--package='.length));
    if (arg.startsWith('-')) continue;
    return stripVersion(arg);
  }
  return undefined;
}

function stripVersion(spec: string): string | undefined {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at < 0 ? spec : spec.slice(0, at);
  return /^(?:@[\w.-]+\/)?[\w.-]+$/.test(name) ? name : undefined;
}

/** The most recently installed copy of `name` in npx's cache. */
function npxCached(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const cache = path.join(env.npm_config_cache ?? path.join(homedir(), '.npm'), '_npx');
  let best: { dir: string; mtime: number } | undefined;
  let entries: string[] = [];
  try {
    entries = readdirSync(cache);
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const dir = path.join(cache, entry, 'node_modules', ...name.split('/'));
    try {
      const mtime = statSync(path.join(dir, 'package.json')).mtimeMs;
      if (best === undefined || mtime > best.mtime) best = { dir, mtime };
    } catch {
      // not in this one
    }
  }
  return best?.dir;
}

function describe(dir: string, resolvedFrom: string): InstalledPackageFacts | undefined {
  const packageJson = path.join(dir, 'package.json');
  const manifest = readJson(packageJson);
  if (manifest === undefined || typeof manifest.name !== 'string') return undefined;
  const author = person(manifest.author);
  const maintainers = (Array.isArray(manifest.maintainers) ? manifest.maintainers : []).map(person).filter((entry): entry is string => entry !== undefined);
  const repository = urlOf(manifest.repository);
  const bugs = urlOf(manifest.bugs);
  let securityPolicy: string | undefined;
  try {
    const entry = readdirSync(dir).find((name) => SECURITY_POLICY.test(name));
    if (entry !== undefined && statSync(path.join(dir, entry)).size > 0) securityPolicy = path.join(dir, entry);
  } catch {
    // unreadable: none
  }
  const serverJsonFile = path.join(dir, 'server.json');
  const serverManifest = existsSync(serverJsonFile) ? readJson(serverJsonFile) : undefined;
  const serverRepository = serverManifest === undefined ? undefined : urlOf(serverManifest.repository);
  return {
    name: manifest.name,
    ...(typeof manifest.version === 'string' ? { version: manifest.version } : {}),
    dir,
    packageJson,
    resolvedFrom,
    ...(author ? { author } : {}),
    maintainers,
    ...(repository ? { repository } : {}),
    ...(bugs ? { bugs } : {}),
    ...(securityPolicy ? { securityPolicy } : {}),
    ...(existsSync(serverJsonFile)
      ? {
          serverJson: {
            file: serverJsonFile,
            ...(typeof serverManifest?.name === 'string' ? { name: serverManifest.name } : {}),
            ...(serverRepository ? { repository: serverRepository } : {}),
          },
        }
      : {}),
  };
}

/** Programs that run a script: the package is the script's, not theirs (`tsx` itself lives in node_modules). */
const INTERPRETERS = new Set(['node', 'nodejs', 'bun', 'deno', 'tsx', 'ts-node', 'python', 'python3', 'uv', 'uvx']);

/** The installed package behind a server's command line, if it is one. */
export function installedPackageOf(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): InstalledPackageFacts | undefined {
  if (path.basename(command).replace(/\.(?:cmd|exe)$/i, '') === 'npx') {
    const name = npxPackage([...args]);
    const local =
      name === undefined
        ? undefined
        : [cwd, ...ancestors(cwd)].map((dir) => path.join(dir, 'node_modules', ...name.split('/'))).find((dir) => existsSync(path.join(dir, 'package.json')));
    const dir = local ?? (name === undefined ? undefined : npxCached(name, env));
    return dir === undefined ? undefined : describe(dir, local ? `npx ${name} (node_modules)` : `npx ${name} (npx cache)`);
  }
  const interpreter = INTERPRETERS.has(path.basename(command).replace(/\.(?:cmd|exe)$/i, ''));
  for (const candidate of interpreter ? args : [command, ...args]) {
    if (candidate.startsWith('-')) continue;
    const located =
      candidate.includes('/') || candidate.includes(path.sep) ? path.resolve(cwd, candidate) : candidate === command ? onPath(command, env) : undefined;
    if (located === undefined) continue;
    let real: string;
    try {
      real = realpathSync(located);
    } catch {
      continue;
    }
    const dir = packageDirOf(real);
    if (dir !== undefined) return describe(dir, candidate);
  }
  return undefined;
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let current = path.dirname(dir); current !== path.dirname(current); current = path.dirname(current)) out.push(current);
  return out;
}

import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let file;

export function initialize(data) {
  file = data?.file;
}

/** The bundle's chunk -> modules map (dist/bundle/modules.json, written by scripts/bundle.mjs), per directory. */
const manifests = new Map();
function manifestFor(directory) {
  if (!manifests.has(directory)) {
    const path = join(directory, 'modules.json');
    manifests.set(directory, existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined);
  }
  return manifests.get(directory);
}

/** A bundled chunk stands for the modules esbuild put in it: record those too, as file URLs under the repository. */
function bundledModules(url) {
  if (!url.startsWith('file:')) return [];
  const path = fileURLToPath(url);
  const directory = dirname(path);
  if (!directory.endsWith(join('dist', 'bundle'))) return [];
  const inputs = manifestFor(directory)?.[path.slice(directory.length + 1)] ?? [];
  const root = resolvePath(directory, '..', '..');
  return inputs.map((input) => pathToFileURL(resolvePath(root, input)).href);
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (file) appendFileSync(file, [result.url, ...bundledModules(result.url)].map((url) => `${url}\n`).join(''));
  return result;
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Our own package.json, found by walking up from this module: src/version.ts and dist/version.js sit
 * one level below it, the bundled chunk that holds this code (dist/bundle/) two.
 */
function ownPackageJson(): { version: string; repository: { url: string } } {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string; repository: { url: string } };
      if (json.name === 'mcp-preflight') return json;
    }
    if (dirname(dir) === dir) throw new Error('cannot find the package.json of mcp-preflight above its own module');
  }
}

const packageJson = ownPackageJson();

export const TOOL_NAME = 'mcp-preflight';
export const TOOL_VERSION: string = packageJson.version;
/**
 * The repository's web address, written once, in package.json `repository` (npm shows it too): rule
 * documentation links (helpUri), SARIF informationUri and the config schema URL all derive from it.
 */
export const REPOSITORY_URL: string = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

import { createRequire } from 'node:module';

// dist/version.js and src/version.ts both sit one level below package.json.
const packageJson = createRequire(import.meta.url)('../package.json') as { version: string; repository: { url: string } };

export const TOOL_NAME = 'mcp-preflight';
export const TOOL_VERSION: string = packageJson.version;
/**
 * The repository's web address, written once, in package.json `repository` (npm shows it too): rule
 * documentation links (helpUri), SARIF informationUri and the config schema URL all derive from it.
 */
export const REPOSITORY_URL: string = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

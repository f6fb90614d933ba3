import { createRequire } from 'node:module';

// dist/version.js and src/version.ts both sit one level below package.json.
const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

export const TOOL_NAME = 'mcp-preflight';
export const TOOL_VERSION: string = packageJson.version;

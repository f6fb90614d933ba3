#!/usr/bin/env node
// The shim only loads the compiled CLI; everything else lives in src/.
import('../dist/cli/main.js').catch((error) => {
  process.stderr.write(`mcp-preflight: cannot start (${error && error.message ? error.message : error}). Run "npm run build" first.\n`);
  process.exitCode = 2;
});

#!/usr/bin/env node
// The shim only loads the bundled CLI (dist/bundle/, scripts/bundle.mjs); everything else lives in src/.
import('../dist/bundle/main.js').catch((error) => {
  process.stderr.write(`mcp-preflight: cannot start (${error && error.message ? error.message : error}). Run "npm run build" first.\n`);
  process.exitCode = 2;
});

#!/usr/bin/env node
// npm run build, step 3 (after tsc): bundles dist/cli/main.js and everything it imports into
// dist/bundle/ with esbuild, which bin/mcp-preflight.js loads. Why: Node resolves, reads and links
// each ES module on its own; the ~460 modules a check loads (ours, the MCP client, zod, commander)
// cost about 0.15-0.3 s before any work starts (issue 18). Code splitting keeps every lazy
// `import()` lazy: `--version` and `rules` still load only their own chunks. Left outside the bundle
// and loaded from node_modules when used: ts-morph and the TypeScript compiler (large, only for
// --source) and secretlint (only for repository scans), and what the code loads with
// createRequire: yaml, and ajv with ajv-formats for config validation (src/util/yaml-schema.ts).
// dist/bundle/modules.json maps each chunk to the modules it holds (esbuild's metafile), so a test
// can still prove which modules a command loads (test/helpers/record-modules-hooks.mjs).
import { rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, 'dist/bundle');

// Chunk names are content hashes: chunks of an earlier build would stay beside the new ones.
rmSync(outdir, { recursive: true, force: true });
try {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['dist/cli/main.js'],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ts-morph', 'typescript', '@secretlint/*'],
    // CommonJS dependencies (commander) call require('node:events'): an ES module has no require.
    banner: { js: "import { createRequire as __mcpPreflightCreateRequire } from 'node:module'; const require = __mcpPreflightCreateRequire(import.meta.url);" },
    chunkNames: 'chunk-[hash]',
    // No source maps: the tarball ships runtime files only (scripts/package-test.mjs); the chunks are
    // not minified, so a --debug stack trace still names our functions.
    metafile: true,
    logLevel: 'warning',
  });
  const modules = {};
  for (const [output, info] of Object.entries(result.metafile.outputs)) {
    if (!output.endsWith('.js')) continue;
    modules[basename(output)] = Object.keys(info.inputs).map((input) => relative(root, resolve(root, input)));
  }
  writeFileSync(resolve(outdir, 'modules.json'), `${JSON.stringify(modules, null, 1)}\n`);
} catch (error) {
  process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

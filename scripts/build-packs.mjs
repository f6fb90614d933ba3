#!/usr/bin/env node
// npm run build, step 1 (before tsc): compiles rules/*.yaml into src/engine/generated/ (packs as
// validated JSON, the rule types checks are typed with, the check registry); see
// src/engine/compile-packs.ts. Also the standalone 2020-12 meta-schema validator (meta-validator.mjs). `--check` writes nothing and exits 1 when a generated file is stale.
// Runs the TypeScript sources through scripts/ts-loader.mjs, so it works before dist/ exists.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const generated = resolve(root, 'src/engine/generated');

// packs.ts imports the compiled packs it is about to produce: on a fresh clone, start from none.
mkdirSync(generated, { recursive: true });
const stub = resolve(generated, 'packs.ts');
if (!existsSync(stub)) writeFileSync(stub, "export const COMPILED_PACKS_JSON = '[]';\n");

register(pathToFileURL(resolve(root, 'scripts/ts-loader.mjs')));
const { compilePacks } = await import(pathToFileURL(resolve(root, 'src/engine/compile-packs.ts')).href);

const { metaValidatorFile } = await import(pathToFileURL(resolve(root, 'scripts/meta-validator.mjs')).href);

let files;
try {
  files = [...compilePacks(root), metaValidatorFile()];
} catch (error) {
  process.stderr.write(`build-packs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const stale = files.filter((file) => {
  const path = resolve(root, file.path);
  return !existsSync(path) || readFileSync(path, 'utf8') !== file.content;
});
if (check) {
  if (stale.length > 0) {
    process.stderr.write(`build-packs: stale: ${stale.map((file) => file.path).join(', ')} (run "npm run build")\n`);
    process.exit(1);
  }
} else {
  for (const file of stale) writeFileSync(resolve(root, file.path), file.content);
  process.stdout.write(`build-packs: ${files.length} generated files, ${stale.length} rewritten\n`);
}

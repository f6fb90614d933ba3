#!/usr/bin/env node
// Writes docs/rules/<pack>/<name>.md and docs/rules/README.md from the built-in packs (rules/*.yaml),
// and deletes generated pages whose rule is gone. `--check` writes nothing and exits 1 when the
// checked-in docs are stale. Uses the compiled code in dist/: run `npm run build` first.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let docs;
let packs;
try {
  docs = await import('../dist/docs/rule-docs.js');
  packs = await import('../dist/engine/packs.js');
} catch (error) {
  process.stderr.write(`generate-rule-docs: cannot load dist/ (${error.message}). Run "npm run build" first.\n`);
  process.exit(2);
}

const check = process.argv.includes('--check');
const files = docs.renderRuleDocs(packs.loadBuiltinRules());
const wanted = new Set(files.map((file) => file.path));

function generatedPages(dir) {
  const out = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...generatedPages(full));
    else if (entry.name.endsWith('.md') && readFileSync(full, 'utf8').startsWith(docs.GENERATED_MARKER)) out.push(full);
  }
  return out;
}

const stale = [];
for (const file of files) {
  const target = join(root, file.path);
  let current;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === file.content) continue;
  stale.push(file.path);
  if (!check) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}
for (const page of generatedPages(join(root, docs.RULE_DOCS_DIR))) {
  const path = relative(root, page).split('\\').join('/');
  if (wanted.has(path)) continue;
  stale.push(`${path} (rule removed)`);
  if (!check) rmSync(page);
}

if (check) {
  if (stale.length > 0) {
    process.stderr.write(`Rule docs are stale; run "npm run docs:rules":\n${stale.map((path) => `  ${path}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`Rule docs are up to date (${files.length} files).\n`);
} else {
  process.stdout.write(`Rule docs: ${stale.length} of ${files.length} files written or removed.\n`);
}

#!/usr/bin/env node
// Scaffolds a built-in rule: `npm run new-rule -- <pack>/<name> [--dry-run] [--root <dir>]`.
// Writes the YAML stub (appended to rules/<pack>.yaml, which carries the rule's documentation), the
// check (src/checks/<pack>/<name>.ts) and its test cases (test/rules/<pack>/<name>.test.ts), and
// adds the check to src/engine/registry.ts while that registry is a hand-kept list. The rule page
// (docs/rules/<pack>/<name>.md) is generated from the YAML: `npm run build && npm run docs:rules`.
// Prints each file it wrote (or would write, with --dry-run), one per line. Exit 2 on bad input.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? resolve(args[rootAt + 1] ?? '.') : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const id = args.find((arg, index) => !arg.startsWith('--') && (rootAt < 0 || index !== rootAt + 1));

function fail(message) {
  process.stderr.write(`new-rule: ${message}\n`);
  process.exit(2);
}

const KEBAB = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
if (id === undefined) fail('give the rule id, e.g. "npm run new-rule -- design/too-many-prompts"');
const match = new RegExp(`^(${KEBAB})/(${KEBAB})$`).exec(id);
if (!match) fail(`"${id}" is not <pack>/<name> in kebab-case, e.g. design/too-many-prompts`);
const [, pack, name] = match;
const camel = name.replace(/-([a-z0-9])/g, (_, letter) => letter.toUpperCase());

const packFile = `rules/${pack}.yaml`;
const checkFile = `src/checks/${pack}/${name}.ts`;
const testFile = `test/rules/${pack}/${name}.test.ts`;
const registryFile = 'src/engine/registry.ts';
if (!existsSync(join(root, packFile))) fail(`${packFile} does not exist; add a rule to an existing pack (ls rules/)`);
const packText = readFileSync(join(root, packFile), 'utf8');
if (new RegExp(`^\\s*- id: ${id}\\s*$`, 'm').test(packText)) fail(`${id} already exists in ${packFile}`);
for (const file of [checkFile, testFile]) if (existsSync(join(root, file))) fail(`${file} already exists`);

// The registry is hand-kept (an import and an entry per check) until it is generated from the tree;
// then there is nothing to add and the scaffold leaves it alone.
const registryText = existsSync(join(root, registryFile)) ? readFileSync(join(root, registryFile), 'utf8') : '';
const HAND_KEPT_END = '\n});\n\nexport function checkNames()';
const handKept = registryText.includes('export const CHECKS') && registryText.includes(HAND_KEPT_END);

const yamlStub = `
  - id: ${id}
    level: note
    title: TODO one line that names the problem
    rationale: >-
      TODO why it matters: what goes wrong for the user or the model when a server does this.
    fix: >-
      TODO what the server's author changes.
    references: []
    tags: [${pack}]
    facts: [live]
    securitySeverity: "2.0"
    precision: medium
    messages:
      found: 'Tool "{{name}}" TODO says what is wrong.'
${handKept ? `    check: ${id}\n` : ''}    examples:
      bad: 'tools/list → a tool named "example_tool"'
      good: 'tools/list → a tool named "other_tool"'
    options:
      names: [example_tool]
    optionsSchema:
      type: object
      additionalProperties: false
      required: [names]
      properties:
        names:
          description: "TODO what the option means. Tools with one of these names are reported."
          type: array
          items: { type: string }
`;

const checkStub = `import { defineCheck } from '../../engine/define-check.js';

/** ${id}: TODO one sentence on what the check looks at and why that is the problem. */
export const ${camel} = defineCheck('${id}', ({ inventory, options, report }) => {
  // \`options\` and the message ids of \`report\` are typed from the rule's YAML (npm run build).
  for (const tool of inventory.tools) {
    if (!options.names.includes(tool.name)) continue;
    report({ messageId: 'found', data: { name: tool.name }, capability: { kind: 'tool', name: tool.name }, field: 'name', evidence: tool.name });
  }
});
`;

const testStub = `import { describe, expect, it } from 'vitest';
import { tool, withTools } from '../../helpers/inventory.js';
import { runRule, shape } from '../run-rule.js';

const RULE = '${id}';

describe(RULE, () => {
  it('catches the bad example', () => {
    const findings = runRule(RULE, withTools(tool('example_tool')));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'found', capability: { kind: 'tool', name: 'example_tool' }, field: 'name' }]);
  });
  it('passes the good example', () => {
    expect(runRule(RULE, withTools(tool('other_tool')))).toEqual([]);
  });
});
`;

function withRegistryEntry(text) {
  const lastImport = text.lastIndexOf('\nimport { ', text.lastIndexOf("from '../checks/", text.indexOf('export const CHECKS')));
  const lineEnd = text.indexOf('\n', lastImport + 1);
  const importLine = `\nimport { ${camel} } from '../checks/${pack}/${name}.js';`;
  const withImport = text.slice(0, lineEnd) + importLine + text.slice(lineEnd);
  return withImport.replace(HAND_KEPT_END, `\n  '${id}': ${camel},${HAND_KEPT_END}`);
}

const writes = [
  [packFile, packText.replace(/\n*$/, '\n') + yamlStub],
  [checkFile, checkStub],
  [testFile, testStub],
];
if (handKept) writes.push([registryFile, withRegistryEntry(registryText)]);

for (const [file, content] of writes) {
  if (!dryRun) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
  process.stdout.write(`${file}\n`);
}
if (!dryRun) {
  process.stderr.write(
    `new-rule: next, fill in the TODOs, then run:\n` +
      `  npx vitest run ${testFile}\n` +
      `  npm run build && npm run docs:rules   # writes docs/rules/${pack}/${name}.md and the index line\n`,
  );
}

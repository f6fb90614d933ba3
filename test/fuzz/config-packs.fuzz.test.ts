// Fuzzing what users write (issue 12, Build 10): config files and rule packs, as YAML text in temp
// files. Loading either must return, or throw the project's own error (ConfigError / PackError) with
// one line; never another exception, never a stack trace in the message. A pack that loads must
// also run over an inventory without crashing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, checkRuleIds, loadConfig } from '../../src/config/load.js';
import { loadBuiltinRules, loadPackFile, PackError, rulesOf } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import { inventory, tool } from '../helpers/inventory.js';
import { FUZZ_TIMEOUT_MS, fuzzParameters, json, shaped, text } from './arbitraries.js';

const directory = mkdtempSync(join(tmpdir(), 'preflight-fuzz-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const builtin = loadBuiltinRules();
let written = 0;

function writeTemp(name: string, content: string): string {
  const file = join(directory, `${written++}-${name}`);
  writeFileSync(file, content);
  return file;
}

/**
 * Returns normally, or throws one of `expected` with a clear message: one line, or for a config with
 * several schema problems one line per problem (at most 10 plus "and N more"), each naming the file
 * (`file:line:col: …` or `file: …`); never a stack trace. Anything else fails the property.
 */
function loadsOrFailsClearly(load: () => void, ...expected: Array<new (...args: never[]) => Error>): void {
  try {
    load();
  } catch (error) {
    if (!expected.some((type) => error instanceof type)) throw error;
    const message = (error as Error).message;
    expect(message.length).toBeGreaterThan(0);
    const lines = message.split('\n');
    expect(lines.length).toBeLessThanOrEqual(11);
    if (lines.length > 1) for (const line of lines) expect(line).toMatch(/^[^\s:][^:]*:(\d+:\d+:)? /);
    expect(message).not.toMatch(/^\s+at /m);
  }
}

const yamlText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    '---',
    '- a\n- b',
    '{',
    'a: [',
    'targets: !!binary x',
    '&a [*a]',
    'a: *b',
    '? [a]\n: b',
    'targets:\n  - name: x\n    command: [1, {a: b}]',
    'rules: {a/b: {options: {x: *y}}}',
  ),
);
const levels = fc.constantFrom('off', 'note', 'warning', 'error', 'fatal', 'Error', '');
const ruleIds = fc.oneof(fc.constantFrom(...builtin.slice(0, 20).map((rule) => rule.id), 'schema/open-input-schemas', 'nope', 'a/b', 'A/B'), text);
const target = shaped({
  name: text,
  command: fc.oneof(text, fc.constant('node')),
  args: fc.array(text, { maxLength: 3 }),
  env: fc.dictionary(text, text, { maxKeys: 2 }),
  cwd: text,
  url: fc.constantFrom('http://127.0.0.1:1/mcp', 'https://localhost/', 'ftp://x', 'http://[::1', ''),
  headers: fc.dictionary(text, text, { maxKeys: 2 }),
  source: text,
  timeout: fc.oneof(fc.integer(), fc.double(), text),
  killSwitches: json,
});
const config = shaped({
  version: fc.oneof(fc.constant(1), fc.integer()),
  targets: fc.array(target, { maxLength: 3 }),
  rules: fc.dictionary(ruleIds, fc.oneof(levels, shaped({ level: levels, options: fc.dictionary(text, json, { maxKeys: 3 }) })), { maxKeys: 3 }),
  packs: fc.array(text, { maxLength: 2 }),
  gate: shaped({ failOn: levels, maxWarnings: fc.integer() }),
  timeout: fc.oneof(fc.integer(), text),
  concurrency: fc.integer(),
  sarifRoot: text,
  secrets: shaped({ allow: fc.array(shaped({ path: text, value: text, reason: text }), { maxLength: 2 }) }),
  owners: shaped({ code: fc.oneof(text, fc.array(text, { maxLength: 2 })), security: text }),
  risk: shaped({
    tools: fc.dictionary(text, shaped({ class: fc.constantFrom('exec', 'write', 'read-only', 'nope'), approval: text, tenant: text }), { maxKeys: 2 }),
  }),
  killSwitches: json,
  probe: shaped({ allow: fc.array(text, { maxLength: 2 }), timeout: fc.oneof(fc.integer(), text) }),
  baseline: json,
});

const referenceList = fc.array(shaped({ title: text, url: fc.constantFrom('https://example.com/x', 'not a url', '') }), { maxLength: 2 });
const packRule = shaped({
  id: fc.oneof(fc.constantFrom('custom/a-rule', 'custom/b', 'x'), text),
  level: levels,
  title: text,
  rationale: text,
  fix: text,
  references: referenceList,
  tags: fc.array(text, { maxLength: 3 }),
  facts: fc.array(fc.constantFrom('live', 'source', 'http', 'repo', 'probe', 'nope'), { maxLength: 3 }),
  factsMatch: fc.constantFrom('any', 'all', 'some'),
  securitySeverity: fc.oneof(fc.constantFrom('8.1', '0', '10.0', '11', 'x'), text),
  precision: fc.constantFrom('very-high', 'high', 'medium', 'low', 'best'),
  messages: fc.dictionary(fc.oneof(fc.constantFrom('found', 'default'), text), fc.oneof(fc.constant('Tool {{capability}}: {{field}} {{missing}}'), text), {
    maxKeys: 2,
  }),
  check: fc.oneof(fc.constantFrom('schema/open-input-schema', 'nope/nope'), text),
  match: shaped({
    capability: fc.constantFrom('tool', 'resource', 'prompt', 'resourceTemplate', 'server', 'nope'),
    field: fc.constantFrom('description', 'name', 'inputSchema', 'title', 'nope'),
    pattern: fc.constantFrom('(a+)+$', '[', 'delete|drop', '', '.*'),
    flags: fc.constantFrom('i', 'g', 'zz', ''),
    message: fc.constantFrom('found', 'default', 'nope'),
  }),
  options: fc.dictionary(text, json, { maxKeys: 2 }),
  appliesTo: fc.array(fc.constantFrom('2025-06-18', '2025-11-25', 'x'), { maxLength: 2 }),
  examples: shaped({ bad: text, good: text }),
  helpUri: fc.constantFrom('https://example.com/rule', 'nope'),
});
const pack = shaped({ pack: fc.constantFrom('custom', 'schema', ''), version: fc.oneof(fc.constant(1), json), rules: fc.array(packRule, { maxLength: 3 }) });

describe('fuzz: config files', () => {
  it(
    'any YAML text: a config, or one ConfigError line',
    () => {
      fc.assert(
        fc.property(yamlText, (content) => loadsOrFailsClearly(() => loadConfig(writeTemp('mcp-preflight.yaml', content), {}), ConfigError)),
        fuzzParameters(100),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'config-shaped YAML with wrong types in every place: a config (whose rule ids are then checked), or one ConfigError line',
    () => {
      fc.assert(
        fc.property(config, (value) =>
          loadsOrFailsClearly(() => {
            const loaded = loadConfig(writeTemp('mcp-preflight.yaml', stringify(value)), {});
            checkRuleIds(loaded, builtin);
          }, ConfigError),
        ),
        fuzzParameters(80),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('fuzz: rule packs', () => {
  const judged = inventory({ tools: [tool('delete_all', { description: 'Deletes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' })] });

  it(
    'any YAML text: a pack, or one PackError line',
    () => {
      fc.assert(
        fc.property(yamlText, (content) => loadsOrFailsClearly(() => loadPackFile(writeTemp('pack.yaml', content), true), PackError)),
        fuzzParameters(100),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'pack-shaped YAML: one PackError line, or rules that run over an inventory without crashing',
    () => {
      fc.assert(
        fc.property(pack, (value) =>
          loadsOrFailsClearly(() => {
            const loaded = loadPackFile(writeTemp('pack.yaml', stringify(value)), true);
            runRules(judged, rulesOf([loaded]), { targetId: 'fuzz' });
          }, PackError),
        ),
        fuzzParameters(80),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

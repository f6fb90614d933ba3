import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPackFile, PackError, parsePack, type PackRule } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import { closedSchema, inventory, prompt, tool, withTools } from '../helpers/inventory.js';
import { repoRoot } from '../helpers/fixtures.js';
import { shape } from '../rules/run-rule.js';

const pack = loadPackFile(resolve(repoRoot, 'fixtures/packs/our-pack.yaml'), true);
const rule = (id: string): PackRule => pack.rules.find((candidate) => candidate.id === id)!;
const run = (id: string, inv: ReturnType<typeof inventory>) => runRules(inv, [rule(id)], { targetId: 't' }).findings;

describe('declarative match: the custom pack written in YAML alone', () => {
  it('admin_* tools must declare destructiveHint', () => {
    const findings = run(
      'our/admin-tools-declare-destructive',
      withTools(
        tool('admin_delete_user', { inputSchema: closedSchema('id') }),
        tool('admin_list_users', { inputSchema: closedSchema(), annotations: { destructiveHint: false } }),
        tool('delete_user', { inputSchema: closedSchema('id') }),
      ),
    );
    expect(findings.map(shape)).toEqual([
      {
        ruleId: 'our/admin-tools-declare-destructive',
        messageId: 'missingHint',
        capability: { kind: 'tool', name: 'admin_delete_user' },
        field: 'annotations.destructiveHint',
      },
    ]);
    expect(findings[0]!.message).toBe('Admin tool "admin_delete_user" does not declare annotations.destructiveHint.');
  });

  it('no parameter named password (tokens from the rule options, nested parameters too)', () => {
    const nested = { type: 'object', properties: { auth: { type: 'object', properties: { userPassword: { type: 'string' } } } }, additionalProperties: false };
    const findings = run(
      'our/no-password-parameter',
      withTools(
        tool('login', { inputSchema: closedSchema('username', 'password') }),
        tool('connect', { inputSchema: nested }),
        tool('search', { inputSchema: closedSchema('passage') }),
      ),
    );
    expect(findings.map((finding) => [finding.capability.name, finding.field, finding.data.parameter])).toEqual([
      ['connect', 'inputSchema.properties.auth.properties.userPassword', 'userPassword'],
      ['login', 'inputSchema.properties.password', 'password'],
    ]);
  });

  it('no internal hostnames in any model-visible text, server instructions included', () => {
    const inv = inventory({
      tools: [
        tool('fetch', { description: 'Reads from reports.db.corp.example daily.' }),
        tool('ok', { description: 'Reads corp.example.com and example.corp.' }),
      ],
      prompts: [prompt('p', { description: 'nothing internal' })],
    });
    inv.server.instructions = 'Mirror at build01.corp.example.';
    const findings = run('our/no-internal-hostnames', inv);
    expect(findings.map((finding) => [finding.capability.kind, finding.capability.name ?? null, finding.field, finding.evidence])).toEqual([
      ['server', null, 'instructions', 'build01.corp.example'],
      ['tool', 'fetch', 'description', 'reports.db.corp.example'],
    ]);
  });
});

const RULE_HEAD = `pack: demo
version: 1
rules:
  - id: demo/x
    level: warning
    title: T
    rationale: R
    fix: F
    references: []
    tags: []
    messages: { hit: "{{capability}} {{field}} {{match}}" }
`;

function demo(match: string): PackRule {
  return parsePack(`${RULE_HEAD}    match:\n${match}`, 'demo.yaml', true).rules[0]!;
}

describe('declarative match predicates', () => {
  it('schema predicates: open additionalProperties, strings without maxLength', () => {
    const open = demo('      kinds: [tool]\n      all:\n        - field: inputSchema\n          schema: { additionalProperties: open }\n');
    const unbounded = demo('      kinds: [tool]\n      all:\n        - parameter:\n            schema: { type: string, lacks: [maxLength, enum, pattern] }\n');
    const inv = withTools(
      tool('a', { inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }),
      tool('b', { inputSchema: { type: 'object', properties: { q: { type: 'string', maxLength: 10 } }, additionalProperties: false } }),
    );
    expect(runRules(inv, [open], { targetId: 't' }).findings.map((f) => f.capability.name)).toEqual(['a']);
    expect(runRules(inv, [unbounded], { targetId: 't' }).findings.map((f) => [f.capability.name, f.field])).toEqual([['a', 'inputSchema.properties.q']]);
  });

  it('annotation conditions, not and any', () => {
    const rule = demo(
      '      kinds: [tool]\n      all:\n        - any:\n            - field: name\n              tokens: [delete, drop]\n            - field: description\n              contains: [permanently]\n        - not:\n            field: annotations.destructiveHint\n            equals: true\n',
    );
    const inv = withTools(
      tool('delete_file'),
      tool('drop_table', { annotations: { destructiveHint: true } }),
      tool('purge', { description: 'Permanently removes it.' }),
      tool('read_file'),
    );
    expect(runRules(inv, [rule], { targetId: 't' }).findings.map((f) => f.capability.name)).toEqual(['delete_file', 'purge']);
  });

  it('rejects a broken match at load with the file and line', () => {
    expect(() => demo('      all:\n        - field: name\n          regex: "("\n')).toThrow(
      /demo\.yaml:15:18: rule "demo\/x": match: "regex" is not a valid regular expression/,
    );
    expect(() => demo('      all:\n        - field: name\n          parameter: {}\n')).toThrow(/demo\.yaml:14:11: .*exactly one of field, parameter/);
    expect(() => demo('      all:\n        - parameter: { name: { tokens: nope } }\n')).toThrow(/names option "nope"/);
    expect(() => demo('      all:\n        - feild: name\n')).toThrow(/demo\.yaml:14:11: .*unknown key "feild".*did you mean "field"\?/);
    expect(() => parsePack(RULE_HEAD, 'demo.yaml', true)).toThrow(PackError);
    expect(() => parsePack(RULE_HEAD, 'demo.yaml', true)).toThrow(/needs either "check" .* or "match"/);
    // A built-in rule without either runs the check registered under its id.
    expect(parsePack(RULE_HEAD, 'demo.yaml').rules[0]?.check).toBe('demo/x');
  });
});

import { describe, expect, it } from 'vitest';
import { parsePack, type PackRule } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import type { Inventory } from '../../src/inventory/model.js';
import { closedSchema, inventory, prompt, tool, withTools } from '../helpers/inventory.js';

// The `match` features built-in rules needed (issue 13): a list of patterns (one per message),
// `rivals` beside `tokens` (the first word of either list decides), `as:` placeholders carried to
// every finding of the pattern, `field`/`evidence`/`data` templates, prompt `argument`s, the `blank`
// schema test, and `group: true` parameters (one finding per tool). Each is also documented in
// docs/custom-packs.md.

function pack(messages: string, match: string, options = ''): PackRule {
  const text = `pack: demo
version: 1
rules:
  - id: demo/x
    level: warning
    title: T
    rationale: R
    fix: F
    references: []
    tags: []
    messages:
${messages}
    match:
${match}${options}`;
  return parsePack(text, 'demo.yaml', true).rules[0]!;
}

const run = (rule: PackRule, inv: Inventory): Finding[] => runRules(inv, [rule], { targetId: 't' }).findings;
const brief = (findings: Finding[]) => findings.map((f) => [f.messageId, f.capability.name ?? null, f.field ?? null, f.evidence ?? null, f.message]);

describe('declarative match: patterns built-in rules use', () => {
  it('a list of patterns reports each with its own message; `argument` and `blank` find undocumented ones', () => {
    const rule = pack(
      '      param: "{{tool}}.{{parameter}}"\n      arg: "{{prompt}}: {{argument}}"\n',
      [
        '      - kinds: [tool]',
        '        message: param',
        '        all:',
        '          - parameter: { nested: false, schema: { blank: [description, title] } }',
        "        field: '{{field}}.description'",
        '      - kinds: [prompt]',
        '        message: arg',
        '        all:',
        '          - argument: { schema: { blank: [description] } }',
        "        field: '{{field}}.description'",
        '',
      ].join('\n'),
    );
    const inv = inventory({
      tools: [
        tool('get', {
          inputSchema: {
            type: 'object',
            properties: { id: { type: 'string', description: '  ' }, ok: { description: 'Fine.' }, t: { title: 'T' }, any: true },
          },
        }),
      ],
      prompts: [prompt('p', { arguments: [{ name: 'state' }, { name: 'city', description: 'City.' }] })],
    });
    expect(brief(run(rule, inv))).toEqual([
      ['arg', 'p', 'arguments.state.description', 'state', 'p: state'],
      ['param', 'get', 'inputSchema.properties.id.description', 'id', 'get.id'],
    ]);
  });

  it('`rivals`: the first word of either list decides, and `as:` names it for the message', () => {
    const rule = pack(
      '      lists: "{{tool}} lists ({{verb}})"\n',
      '      kinds: [tool]\n      all:\n        - field: name\n          tokens: verbs\n          rivals: [get, create]\n          as: verb\n',
      '\n    options: { verbs: [list, search] }\n    optionsSchema: { type: object, additionalProperties: false, properties: { verbs: { type: array, items: { type: string } } } }\n',
    );
    const inv = withTools(tool('list_issues'), tool('get_roots_list'), tool('brave_web_search'), tool('createList'), tool('describe'));
    expect(run(rule, inv).map((f) => f.message)).toEqual(['brave_web_search lists (search)', 'list_issues lists (list)']);
  });

  it('`field` and `evidence` templates fill placeholders, `{{parameterNames}}` and option values; `data` adds message data', () => {
    const rule = pack(
      '      hit: "{{tool}} has no {{wanted}} ({{why}})"\n',
      [
        '      kinds: [tool]',
        '      all:',
        '        - field: name',
        '          glob: "list_*"',
        '        - not:',
        '            parameter: { name: { tokens: [limit] } }',
        '      field: inputSchema.properties',
        "      evidence: '{{tool}}({{parameterNames}})'",
        "      data: { why: 'max {{maxItems}}', wanted: limit }",
        '',
      ].join('\n'),
      '    options: { maxItems: 50 }\n    optionsSchema: { type: object, additionalProperties: false, properties: { maxItems: { type: integer } } }\n',
    );
    const inv = withTools(
      tool('list_a', { inputSchema: closedSchema('repo', 'owner') }),
      tool('list_b', { inputSchema: closedSchema('limit') }),
      tool('list_c', { inputSchema: undefined }),
    );
    expect(brief(run(rule, inv))).toEqual([
      ['hit', 'list_a', 'inputSchema.properties', 'list_a(repo, owner)', 'list_a has no limit (max 50)'],
      ['hit', 'list_c', 'inputSchema.properties', 'list_c()', 'list_c has no limit (max 50)'],
    ]);
  });

  it('`group: true` reports matching parameters once per tool, with their names', () => {
    const rule = pack(
      '      paths: "{{tool}} takes paths in {{parameters}}"\n',
      '      kinds: [tool]\n      all:\n        - parameter: { name: { tokens: [path] }, schema: { lacks: [pattern, enum] }, group: true }\n',
    );
    const nested = { type: 'object', properties: { opts: { type: 'object', properties: { outPath: { type: 'string' } } } } };
    const inv = withTools(
      tool('copy', { inputSchema: closedSchema('sourcePath', 'targetPath', 'mode') }),
      tool('nest', { inputSchema: nested }),
      tool('none', { inputSchema: closedSchema('id') }),
    );
    expect(brief(run(rule, inv))).toEqual([
      ['paths', 'copy', 'inputSchema.properties', 'sourcePath, targetPath', 'copy takes paths in sourcePath, targetPath'],
      ['paths', 'nest', 'inputSchema', 'outPath', 'nest takes paths in outPath'],
    ]);
  });

  it('rejects what cannot work with one line naming the file, line and column', () => {
    const bad = (match: string) => () => pack('      hit: "x"\n      other: "y"\n', match);
    const cases: Array<[string, RegExp]> = [
      [
        '      all: [{ field: name }]\n      evidence: "{{nope}}"\n',
        /demo\.yaml:\d+:\d+: rule "demo\/x": match: "\{\{nope\}\}" is not a placeholder a match fills/,
      ],
      ['      all:\n        - field: name\n          rivals: [get]\n', /"rivals" needs "tokens" beside it/],
      ['      all:\n        - not: { field: name }\n          as: n\n', /"as" names what a condition matched; a "not" matches nothing/],
      ['      - all: [{ field: name }]\n      - all: [{ field: name }]\n        message: missing\n', /demo\.yaml:18:18: .*"message" names "missing"/],
      ['      []\n', /demo\.yaml:\d+:\d+: .*(fewer than 1|at least one)/],
      ['      all: [{ argument: { nme: {} } }]\n', /unknown key "nme".*did you mean "name"\?/],
      ['      all: [{ field: name, as: "two words" }]\n', /demo\.yaml:\d+:\d+: /],
    ];
    for (const [match, expected] of cases) {
      expect(bad(match)).toThrow(expected);
      try {
        bad(match)();
      } catch (error) {
        expect((error as Error).message, match).not.toContain('\n');
      }
    }
  });
});

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEffectiveConfig } from '../../src/config/effective.js';
import { expandEnv } from '../../src/config/env.js';
import { checkRuleIds, ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { repoRoot } from '../helpers/fixtures.js';

const FILE = resolve(repoRoot, 'fixtures/configs/inline.yaml');
const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseConfig(text, FILE, env);

describe('config validation', () => {
  it('names the file, the line and the closest valid key', () => {
    expect(() => parse('version: 1\ntaregts:\n  - name: a\n    command: node s.js\n')).toThrow(
      /inline\.yaml:2:1: unknown key "taregts"; did you mean "targets"\?/,
    );
    expect(() => parse('targets:\n  - name: a\n    comand: node s.js\n')).toThrow(
      /inline\.yaml:3:5: unknown key "comand" in "targets\[0\]"; did you mean "command"\?/,
    );
    expect(() => loadConfig(resolve(repoRoot, 'fixtures/configs/misspelled-key.yaml'))).toThrow(
      /misspelled-key\.yaml:7:3: unknown key "maxWarning" in "gate"; did you mean "maxWarnings"\?/,
    );
  });

  it('says what was expected for a wrong value', () => {
    expect(() => parse('gate:\n  failOn: critical\n')).toThrow(/inline\.yaml:2:11: "gate\.failOn" must be one of error, warning, note \(got "critical"\)/);
    expect(() => parse('rules:\n  design/shell-like-tool: critical\n')).toThrow(
      /inline\.yaml:2:27: "rules\[\"design\/shell-like-tool\"\]" must be off, note, warning, error, or \{ level, options \}/,
    );
    expect(() => parse('targets:\n  - name: a\n')).toThrow(/inline\.yaml:2:5: target "a" needs "command" \(stdio\) or "url" \(HTTP\)/);
    expect(() => parse('targets:\n  - name: a\n    url: http://x/mcp\n    env: { A: b }\n')).toThrow(/inline\.yaml:4:10: "env" applies to stdio/);
    expect(() => parse('targets: [')).toThrow(ConfigError);
  });

  it('reports every schema problem at once (up to 10), each on its own file:line:col line', () => {
    const text = 'gate:\n  failOn: critical\n  maxWarnings: many\nconcurrency: lots\n';
    let message = '';
    try {
      parse(text);
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^.*inline\.yaml:2:11: "gate\.failOn" must be one of error, warning, note/);
    expect(lines[1]).toMatch(/^.*inline\.yaml:3:16: "gate\.maxWarnings" /);
    expect(lines[2]).toMatch(/^.*inline\.yaml:4:14: "concurrency" /);
    const many = Array.from({ length: 12 }, (_, index) => `unknown${index}: 1`).join('\n');
    const cut = (() => {
      try {
        parse(`${many}\n`);
      } catch (error) {
        return (error as Error).message.split('\n');
      }
      return [];
    })();
    expect(cut).toHaveLength(11);
    expect(cut[10]).toMatch(/inline\.yaml: and 2 more problems$/);
  });

  it("accepts ESLint's `warn` for `warning` in rules:", () => {
    const config = parse('rules:\n  design/shell-like-tool: warn\n  schema/open-input-schema: { level: warn }\n');
    expect(config.rules['design/shell-like-tool']).toEqual({ level: 'warning' });
    expect(config.rules['schema/open-input-schema']).toEqual({ level: 'warning' });
  });

  it('rejects an unknown rule id with its line and the closest id', () => {
    const rules = loadBuiltinRules();
    const config = loadConfig(resolve(repoRoot, 'fixtures/configs/misspelled-rule.yaml'));
    expect(() => checkRuleIds(config, rules)).toThrow(
      /misspelled-rule\.yaml:7:3: unknown rule id "design\/shell-like-tol" in "rules"; did you mean "design\/shell-like-tool"\?/,
    );
  });

  it('reads targets, levels, options, packs and the gate', () => {
    const config = parse(
      'targets:\n  - name: a\n    command: node server.js --flag\n  - name: b\n    url: https://example.com/mcp\n    headers: { X-Key: k }\nrules:\n  design/shell-like-tool: off\n  schema/open-input-schema: { level: note, options: { x: 1 } }\npacks: [./p.yaml]\ngate: { failOn: warning, maxWarnings: 2 }\nconcurrency: 3\ntimeout: 5\nprobe: { allow: [get_report], timeout: 2.5 }\nbaseline: b.json\n',
    );
    expect(config.targets.map((target) => [target.name, target.line, target.spec.kind])).toEqual([
      ['a', 2, 'stdio'],
      ['b', 4, 'http'],
    ]);
    expect(config.targets[0]!.spec).toMatchObject({ command: 'node', args: ['server.js', '--flag'], cwd: resolve(repoRoot, 'fixtures/configs') });
    expect(config.rules).toEqual({ 'design/shell-like-tool': { level: 'off' }, 'schema/open-input-schema': { level: 'note', options: { x: 1 } } });
    expect(config.packs).toEqual([resolve(repoRoot, 'fixtures/configs/p.yaml')]);
    expect(config.gate).toEqual({ failOn: 'warning', maxWarnings: 2 });
    expect([config.concurrency, config.timeoutMs]).toEqual([3, 5000]);
    expect(config.probe).toEqual({ allow: ['get_report'], timeoutMs: 2500 });
    expect(config.reserved).toEqual({ baseline: 'b.json' });
  });
});

describe('${ENV} expansion', () => {
  it('expands from the environment, keeps $${X} literal, and reports unset variables', () => {
    expect(expandEnv({ a: ['x ${A} y', '$${A}'], b: 1 }, { A: 'one' })).toEqual({
      value: { a: ['x one y', '${A}'], b: 1 },
      unset: [],
      expandedPaths: [
        ['a', 0],
        ['a', 1],
      ],
    });
    expect(expandEnv({ k: '${NOPE}' }, {}).unset).toEqual([{ name: 'NOPE', path: ['k'] }]);
  });

  it('fills target secrets at load, fails on an unset one with its line, and never prints them', () => {
    const text =
      'targets:\n  - name: a\n    command: node s.js\n    env:\n      API_TOKEN: ${TOKEN}\n  - name: b\n    url: ${URL}\n    headers:\n      Authorization: Bearer ${TOKEN}\n';
    const secret = 'sk-live-0123456789abcdefABCDEF';
    const config = parse(text, { TOKEN: secret, URL: 'http://127.0.0.1:1/mcp' });
    expect(config.targets[0]!.spec).toMatchObject({ env: { API_TOKEN: secret } });
    expect(config.targets[1]!.spec).toMatchObject({ url: 'http://127.0.0.1:1/mcp', headers: { Authorization: `Bearer ${secret}` } });
    expect(() => parse(text, { URL: 'http://x/mcp' })).toThrow(
      /inline\.yaml:5:18: \$\{TOKEN\} is not set in the environment \(used in "targets\[0\]\.env\.API_TOKEN"\)/,
    );

    const printed = renderEffectiveConfig({
      targets: config.targets.map((target) => ({ spec: target.spec, timeoutMs: 30_000 })),
      rules: {},
      levels: {},
      packs: [],
      gate: { failOn: 'error' },
      concurrency: 4,
      reserved: {},
    });
    expect(printed).not.toContain(secret);
    expect(printed).not.toContain(secret.slice(-4));
    expect(printed).toMatch(/API_TOKEN: "\*\*\*\*"/);
    expect(printed).toMatch(/Authorization: "\*\*\*\*"/);
  });
});

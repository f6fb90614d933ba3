import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

/**
 * The ranked risk inventory end to end: the built CLI against fixtures/servers/bad-stdio.mjs (seven
 * tools, run_command first), with a config that asserts classes and notes, in text, JSON, Markdown
 * and `discover --risk`; and risk/class-mismatch at the assertion's line.
 */

const SERVER = fixturePath('bad-stdio.mjs');
let directory: string;
let config: string;

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-risk-'));
  config = path.join(directory, 'mcp-preflight.yaml');
  writeFileSync(
    config,
    [
      'targets:',
      '  - name: bad',
      '    command: node',
      `    args: [${JSON.stringify(SERVER)}]`,
      'risk:',
      '  tools:',
      '    run_command: { class: exec, approval: "two-person review", tenant: per-customer }',
      '    debug_info: { class: read-only }',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface RiskRow {
  capability: { kind: string; name: string };
  class: string;
  reasons: string[];
  declared?: { class?: string; approval?: string; tenant?: string };
  mismatch: boolean;
}

describe('risk inventory', () => {
  it('check prints the top of the ranking in text, JSON and Markdown, with the declarations', async () => {
    const markdownFile = path.join(directory, 'report.md');
    const jsonFile = path.join(directory, 'report.json');
    const result = await runCli(['check', '--config', config, '--format', 'json,markdown', '--output', `${jsonFile},${markdownFile}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);

    const text = result.stdout;
    expect(text).toMatch(
      /\n {2}capabilities by risk \(top 5 of 7\)\n {4}exec +tool run_command +name word "command"; parameter "command" takes a command  declared exec · approval: two-person review · tenant: per-customer/,
    );
    expect(text).toContain('    … and 2 more capabilities (discover --risk lists them all)');

    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
      targets: {
        inventory: { risk: RiskRow[] };
        findings: { ruleId: string; messageId: string; message: string; location?: { file: string; line: number } }[];
      }[];
    };
    const risk = report.targets[0]!.inventory.risk;
    expect(risk).toHaveLength(7);
    expect(risk[0]).toMatchObject({
      capability: { kind: 'tool', name: 'run_command' },
      class: 'exec',
      mismatch: false,
      declared: { approval: 'two-person review' },
    });
    expect(risk.map((row) => row.class)).toEqual([...risk.map((row) => row.class)].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)));

    const mismatches = report.targets[0]!.findings.filter((finding) => finding.ruleId === 'risk/class-mismatch');
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]).toMatchObject({ messageId: 'understated', location: { file: config, line: 8 } });
    // `debug_info` has no read verb and no readOnlyHint, so it is assumed to write, which is what the
    // declaration understates (`add_numbers` would not do: arithmetic `add` is a read).
    expect(mismatches[0]!.message).toBe(
      'The config declares tool "debug_info" "read-only", but it is computed as "write" (no readOnlyHint and no read verb in the name: assumed to write): it may do more than its owners planned for.',
    );

    const markdown = readFileSync(markdownFile, 'utf8');
    expect(markdown).toContain('**Capabilities by risk**\n\n| # | capability | class | why | declared | notes |');
    expect(markdown).toContain(
      '| 1 | tool run\\_command | `exec` | name word "command"; parameter "command" takes a command | `exec` | approval: two-person review<br>tenant: per-customer |',
    );
    expect(markdown).toContain('| `read-only` ⚠️ mismatch |');
  });

  it('a declaration that agrees with the computed class is no finding', async () => {
    const agreeing = path.join(directory, 'agree.yaml');
    writeFileSync(agreeing, readFileSync(config, 'utf8').replace('debug_info: { class: read-only }', 'debug_info: { class: write }'));
    const result = await runCli(['check', '--config', agreeing, '--format', 'json']);
    const report = JSON.parse(result.stdout) as { targets: { findings: { ruleId: string }[]; outcomes: { ruleId: string; status: string }[] }[] };
    expect(report.targets[0]!.findings.filter((finding) => finding.ruleId === 'risk/class-mismatch')).toEqual([]);
    expect(report.targets[0]!.outcomes).toContainEqual({ ruleId: 'risk/class-mismatch', status: 'ran', findings: 0 });
  });

  it('discover --risk prints the whole table; discover JSON always carries it', async () => {
    const text = await runCli(['discover', '--stdio', `node ${SERVER}`, '--risk', '--config', config]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('\ncapabilities by risk (7)\n  exec       tool run_command');
    expect(text.stdout).toContain('declared read-only (mismatch)');
    expect(text.stdout).not.toContain('more capabilities');
    const plain = await runCli(['discover', '--stdio', `node ${SERVER}`]);
    expect(plain.stdout).not.toContain('capabilities by risk');

    const json = await runCli(['discover', '--stdio', `node ${SERVER}`, '--format', 'json']);
    const inventory = JSON.parse(json.stdout) as { risk: RiskRow[] };
    expect(inventory.risk.map((row) => row.capability.name)[0]).toBe('run_command');
    expect(inventory.risk.every((row) => row.declared === undefined && row.mismatch === false)).toBe(true);
  });
});

const ORDER = ['exec', 'destructive', 'write', 'open-world', 'read-only'];

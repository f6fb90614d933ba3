import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { parseXml } from '../helpers/xml.js';

const bad = ['--stdio', `${process.execPath} ${fixturePath('bad-stdio.mjs')}`];
const gateLine = /^✖ \d+ errors?, \d+ warnings?, \d+ notes? — gate failed \(fail-on: error\)$/;

describe('check flags for CI: --quiet, --exit-zero, github and junit formats, --rule selectors', () => {
  it('--quiet prints only the gate line and its reasons', async () => {
    const result = await runCli(['check', ...bad, '--quiet']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(gateLine);
    expect(lines.slice(1).every((line) => line.startsWith('  - '))).toBe(true);
    expect(result.stdout).not.toContain('run_command');
  });

  it('--exit-zero turns a failed gate into exit 0 but never hides exit 3 or exit 2', async () => {
    const failed = await runCli(['check', ...bad, '--exit-zero', '--quiet']);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toMatch(/gate failed/);
    const unreachable = await runCli(['check', '--stdio', `${process.execPath} ${fixturePath('crash-stdio.mjs')}`, '--exit-zero', '--quiet']);
    expect(unreachable.code).toBe(3);
    const usage = await runCli(['check', ...bad, '--exit-zero', '--rule', 'nope/x=off']);
    expect(usage.code).toBe(2);
  }, 240_000);

  it('writes github annotations to stdout and JUnit to a file in the same run', async () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'preflight-junit-')), 'report.xml');
    const result = await runCli(['check', ...bad, '--format', 'github,junit', '--output', `-,${junit}`]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.every((line) => /^::(error|warning|notice) [^:]*::/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('::error file=fixtures/servers/bad-stdio.mjs,line=1,col=1,title=design/shell-like-tool::'))).toBe(true);
    const root = parseXml(readFileSync(junit, 'utf8'));
    const cases = root.children[0]!.children;
    const shell = cases.find((entry) => entry.attributes.name === 'design/shell-like-tool')!;
    expect(shell.children.map((entry) => entry.name)).toEqual(['failure']);
    expect(Number(root.attributes.failures)).toBeGreaterThan(0);
  });

  it('--rule accepts warn, pack/* and *, later entries winning; an unknown pack gets a did-you-mean', async () => {
    const onlySchema = await runCli(['check', ...bad, '--rule', '*=off', '--rule', 'schema/*=warn', '--format', 'json', '--output', '-']);
    expect(onlySchema.code).toBe(0);
    const json = JSON.parse(onlySchema.stdout);
    const findings = json.targets[0].findings as Array<{ ruleId: string; level: string }>;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((entry) => entry.ruleId.startsWith('schema/') && entry.level === 'warning')).toBe(true);
    expect(json.rules.every((rule: { id: string }) => rule.id.startsWith('schema/'))).toBe(true);
    const typo = await runCli(['check', ...bad, '--rule', 'shema/*=off']);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
    expect(typo.stderr).toContain('did you mean "schema/*"?');
    const badLevel = await runCli(['check', ...bad, '--rule', 'schema/*=loud']);
    expect(badLevel.code).toBe(2);
    expect(badLevel.stderr).toContain('expected <rule-id|pack/*|*>=<off|note|warning|error>');
  }, 240_000);
});

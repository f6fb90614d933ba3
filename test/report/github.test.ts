import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithub } from '../../src/report/github.js';
import { fakeSecrets } from '../secrets/fake-secrets.js';
import { finding, goodTarget, report } from './fixture.js';

/** The runner's parser: `::name k=v,k=v::message`, then GitHub's unescaping of each part. */
function parseCommand(line: string): { name: string; properties: Record<string, string>; message: string } {
  const match = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const unescape = (text: string) => text.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const equals = pair.indexOf('=');
    properties[pair.slice(0, equals)] = unescape(pair.slice(equals + 1));
  }
  return { name: match[1]!, properties, message: unescape(match[3]!) };
}

describe('renderGithub', () => {
  const lines = renderGithub(report()).trimEnd().split('\n');
  const commands = lines.map(parseCommand);

  it('writes only workflow commands: the gate first, the unscanned target, then findings most severe first', () => {
    expect(commands.map((command) => command.name)).toEqual(['error', 'error', 'error', 'error', 'warning']);
    expect(commands[0]!.properties.title).toBe('mcp-preflight gate (fail-on: error)');
    expect(commands[0]!.message).toBe(
      'gate failed: 2 errors, 1 warning, 0 notes\n- 2 errors at or above fail-on: error\n- target Remote B could not be discovered',
    );
    expect(commands[1]!.properties.title).toBe('mcp-preflight: Remote B could not be scanned');
  });

  it('places a finding at its file, line and columns relative to the SARIF root, titled by rule and target', () => {
    const secret = commands.find((command) => command.properties.title === 'secrets/hardcoded-secret [Server A]')!;
    expect(secret.properties).toMatchObject({ file: 'src/my tools/add.ts', line: '12', col: '7', endLine: '12', endColumn: '30' });
    expect(secret.message).toBe(
      'Hard-coded secret sk-****abcd in the tool handler.\nhttps://github.com/mcp-preflight/mcp-preflight/blob/main/docs/rules/secrets/hardcoded-secret.md',
    );
    const anchored = commands.find((command) => command.properties.title === 'schema/missing-input-schema [Server A]')!;
    expect(anchored.name).toBe('warning');
    expect(anchored.properties).toMatchObject({ file: '.mcp.json', line: '4', col: '5' });
  });

  it('leaves the title without a target name when there is one target, and notes as notices', () => {
    const single = renderGithub(
      report({ targets: [goodTarget()], gate: { passed: true, exitCode: 0, failOn: 'error', counts: { error: 0, warning: 0, note: 0 }, reasons: [] } }),
    );
    const parsed = single.trimEnd().split('\n').map(parseCommand);
    expect(parsed[0]).toMatchObject({ name: 'notice', message: 'gate passed: 0 errors, 0 warnings, 0 notes' });
    expect(parsed.map((command) => command.properties.title)).toContain('design/shell-like-tool');
  });

  it('escapes %, CR, LF in messages and also : and , in properties, so no text can end or start a command', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const target = goodTarget();
    target.target.name = 'evil,title=x::y';
    target.findings = [
      finding('design/shell-like-tool', {
        level: 'error',
        message: 'line one\n::warning::injected\r\n50%',
        location: { file: '/home/ci/work/my repo/a,b:c.ts', line: 2, column: 1 },
      }),
    ];
    const out = renderGithub(report({ targets: [target, goodTarget()] }));
    const injected = out.split('\n').filter((line) => line.includes('injected'));
    expect(injected).toHaveLength(1);
    expect(injected[0]!.startsWith('::error ')).toBe(true);
    const parsed = parseCommand(injected[0]!);
    expect(parsed.properties).toMatchObject({ file: 'a,b:c.ts', title: 'design/shell-like-tool [evil,title=x::y]' });
    expect(parsed.message.startsWith('line one\n::warning::injected\r\n50%')).toBe(true);
  });

  it('masks secrets in every part', () => {
    const { github } = fakeSecrets();
    const target = goodTarget();
    target.target.name = `srv ${github}`;
    target.findings = [finding('design/shell-like-tool', { level: 'error', message: `token ${github}` })];
    const out = renderGithub(report({ targets: [target, goodTarget()] }));
    expect(out).not.toContain(github);
    expect(out).not.toContain(github.slice(4, 20));
  });

  it('omits the file when the finding lies outside the SARIF root (GitHub could not place it)', () => {
    const target = goodTarget();
    target.findings = [finding('design/shell-like-tool', { level: 'error', location: { file: '/elsewhere/x.ts', line: 3, column: 1 } })];
    const parsed = renderGithub(report({ targets: [target] }))
      .trimEnd()
      .split('\n')
      .map(parseCommand);
    expect(parsed[1]!.properties.file).toBeUndefined();
    expect(parsed[1]!.properties.title).toBe('design/shell-like-tool');
  });
});

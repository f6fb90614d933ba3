import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

/**
 * Issue 17, Build 4: a client config's servers are the targets (`--mcp-config FILE`, or found when
 * there is no mcp-preflight.yaml). Real fixture servers over stdio.
 */

const node = process.execPath;
// Made up, high-entropy, test only: it must reach the server and never appear in any output.
const VALUE = 'q8ZrT3vLw9XyKp2MnB7cD4fG';

function project(): string {
  const directory = mkdtempSync(join(tmpdir(), 'preflight-mcp-config-'));
  writeFileSync(
    join(directory, '.mcp.json'),
    JSON.stringify(
      {
        mcpServers: {
          echo: { command: node, args: [fixturePath('env-echo-stdio.mjs')], env: { DECLARED_KEY: '${DECLARED_KEY}' } },
          clean: { command: node, args: [fixturePath('clean-stdio.mjs')] },
        },
      },
      null,
      2,
    ),
  );
  return directory;
}

describe('client configs as targets', () => {
  it('finds .mcp.json without mcp-preflight.yaml, checks each server, passes env as declared and masks it', async () => {
    const directory = project();
    const report = join(directory, 'report.json');
    const sarif = join(directory, 'report.sarif');
    const result = await runCli(['check', '--format', 'json,sarif,text', '--output', `${report},${sarif}`], {
      cwd: directory,
      env: { DECLARED_KEY: VALUE, UNDECLARED_LEAK: 'x' },
    });
    expect(result.stderr.split('\n')[0]).toBe('mcp-preflight: no mcp-preflight.yaml; checking the 2 servers of .mcp.json (--mcp-config)');
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      targets: Array<{ target: { name: string }; inventory?: { server: { instructions?: string } } }>;
    };
    expect(json.targets.map((target) => target.target.name).sort()).toEqual(['clean', 'echo']);
    const names = json.targets.find((target) => target.target.name === 'echo')!.inventory!.server.instructions!.split(',');
    expect(names).toContain('DECLARED_KEY');
    expect(names).not.toContain('UNDECLARED_LEAK');
    for (const text of [result.stdout, result.stderr, readFileSync(report, 'utf8'), readFileSync(sarif, 'utf8')]) expect(text).not.toContain(VALUE);
    // Live findings are anchored at the server's entry in the client config.
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as {
      runs: Array<{ automationDetails: { id: string }; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    expect(log.runs.map((run) => run.automationDetails.id).sort()).toEqual(['mcp-preflight/clean/', 'mcp-preflight/echo/']);
    const printed = await runCli(['check', '--print-config'], { cwd: directory, env: { DECLARED_KEY: VALUE } });
    expect(printed.stdout).toMatch(/DECLARED_KEY: "\*\*\*\*"/);
    expect(printed.stdout).not.toContain(VALUE);
  });

  it('--mcp-config reads a VS Code file; --target picks one server', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'preflight-vscode-'));
    mkdirSync(join(directory, '.vscode'));
    writeFileSync(
      join(directory, '.vscode', 'mcp.json'),
      `{\n  // VS Code\n  "servers": {\n    "clean": { "type": "stdio", "command": ${JSON.stringify(node)}, "args": [${JSON.stringify(fixturePath('clean-stdio.mjs'))}] },\n    "other": { "type": "stdio", "command": "does-not-exist" },\n  }\n}\n`,
    );
    const result = await runCli(['check', '--mcp-config', '.vscode/mcp.json', '--target', 'clean', '--format', 'json'], { cwd: directory });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { targets: Array<{ target: { name: string } }> }).targets.map((target) => target.target.name)).toEqual(['clean']);
  });

  it('a broken client config is one line with file:line:column and exit 2, no server started', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'preflight-bad-client-'));
    writeFileSync(
      join(directory, 'claude_desktop_config.json'),
      '{\n  "mcpServers": {\n    "x": { "command": "node", "env": { "K": "${NOT_SET_ANYWHERE_1234}" } }\n  }\n}\n',
    );
    const result = await runCli(['check', '--mcp-config', 'claude_desktop_config.json'], { cwd: directory });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'mcp-preflight: claude_desktop_config.json:3:45: ${NOT_SET_ANYWHERE_1234}: NOT_SET_ANYWHERE_1234 is not set in the environment; export it (the client would pass it to the server)',
    ]);
  });
});

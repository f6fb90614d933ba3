import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { parseMcpConfig, stripJsonc } from '../../src/config/mcp-config.js';

const FILE = '/project/.mcp.json';

function problem(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseMcpConfig(text, FILE, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseMcpConfig', () => {
  it('reads Claude-style mcpServers (command/args/env and url/headers), with comments and trailing commas', () => {
    const config = parseMcpConfig(
      `{
  // project servers
  "mcpServers": {
    "files": { "command": "npx", "args": ["-y", "@scope/files@1.0", "\${workspaceFolder}/data"], "env": { "TOKEN": "\${TOKEN}", "MODE": "\${MODE:-ro}", "N": 3 } },
    "remote": { "url": "https://mcp.example.test/mcp", "headers": { "Authorization": "Bearer \${env:TOKEN}" }, },
    /* not loaded by the client */
    "old": { "command": "x", "disabled": true },
  },
}`,
      FILE,
      { TOKEN: 'abc123' },
    );
    expect(config.targets.map((target) => [target.name, target.line, target.file])).toEqual([
      ['files', 4, FILE],
      ['remote', 5, FILE],
    ]);
    expect(config.targets[0]!.spec).toEqual({
      kind: 'stdio',
      name: 'files',
      command: 'npx',
      args: ['-y', '@scope/files@1.0', '/project/data'],
      env: { TOKEN: 'abc123', MODE: 'ro', N: '3' },
      cwd: '/project',
    });
    expect(config.targets[1]!.spec).toEqual({ kind: 'http', name: 'remote', url: 'https://mcp.example.test/mcp', headers: { Authorization: 'Bearer abc123' } });
  });

  it('reads VS Code servers with type, resolving ${workspaceFolder} to the folder above .vscode', () => {
    const config = parseMcpConfig(
      '{ "servers": { "a": { "type": "stdio", "command": "node", "args": ["${workspaceFolder}/s.mjs"] }, "b": { "type": "sse", "url": "http://127.0.0.1:9/sse" } } }',
      '/project/.vscode/mcp.json',
    );
    expect(config.targets[0]!.spec).toMatchObject({ kind: 'stdio', args: ['/project/s.mjs'], cwd: '/project' });
    expect(config.targets[1]!.spec).toMatchObject({ kind: 'http', url: 'http://127.0.0.1:9/sse' });
  });

  it('says what is wrong, at file:line:column, in one line', () => {
    expect(problem('{ "mcpServers": {\n  "x": { "command": 3 } } }')).toBe(
      '/project/.mcp.json:2:21: server "x" needs "command" (a program, e.g. "npx") or "url"',
    );
    expect(problem('{ "servers": { "x": { "type": "websocket", "url": "ws://h" } } }')).toMatch(
      /^\/project\/\.mcp\.json:1:31: server "x": "type" must be "stdio", "http" or "sse"/,
    );
    expect(problem('{ "mcpServers": { "x": { "command": "node", "url": "http://h" } } }')).toMatch(
      /:1:\d+: server "x": "url" applies to HTTP \(url\) servers only$/,
    );
    expect(problem('{ "mcpServers": { "x": { "command": "node", "env": { "K": "${MISSING}" } } } }')).toMatch(
      /:1:\d+: \$\{MISSING\}: MISSING is not set in the environment/,
    );
    expect(problem('{ "servers": { "x": { "command": "node", "env": { "K": "${input:key}" } } } }')).toMatch(/\$\{input:key\} is asked of the user by VS Code/);
    expect(problem('{ "mcpServers": { "x": { "url": "http://user:pw@h/mcp" } } }')).toMatch(/"url" must not carry credentials/);
    expect(problem('{ "other": 1 }')).toMatch(/^\/project\/\.mcp\.json:1:1: has no "mcpServers" .* or "servers" \(VS Code\) object/);
    expect(problem('{ "mcpServers": { "x": { "command": "a" } }')).toMatch(/^\/project\/\.mcp\.json:\d+:\d+: is not valid JSON/);
    expect(problem('{ "mcpServers": { "x": { "command": "a", "disabled": true } } }')).toMatch(/"mcpServers" declares no enabled server/);
    for (const text of ['{ "mcpServers": {\n  "x": { "command": 3 } } }', '{ "other": 1 }']) expect(problem(text)).not.toContain('\n');
  });
});

describe('stripJsonc', () => {
  it('blanks comments and trailing commas but keeps every offset and string', () => {
    const text = '{ "a": "x // not a comment, }", // c\n  "b": [1, 2,], /* d\n e */ }';
    const stripped = stripJsonc(text);
    expect(stripped).toHaveLength(text.length);
    expect(stripped.split('\n').length).toBe(text.split('\n').length);
    expect(JSON.parse(stripped)).toEqual({ a: 'x // not a comment, }', b: [1, 2] });
  });
});

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgsStringToArgv } from 'string-argv';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The README's quick start must run on a fresh clone (after its two set-up commands) as it says. */
describe('README quick start', () => {
  const block = /Quick start[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const commands = block
    .split('\n')
    .filter((line) => line.startsWith('npx mcp-preflight '))
    .map((line) => ({ argv: parseArgsStringToArgv(line.replace(/\s+#.*$/, '')).slice(2), comment: /#\s*(.*)$/.exec(line)?.[1] ?? '' }));

  it('opens with the two set-up commands, then a quick start on bundled fixture servers', () => {
    expect(
      readme.startsWith('# mcp-preflight\n\nSet up (Node.js 20 or later):\n\n```sh\nnpm ci && npm run build\n```\n\nTest:\n\n```sh\nnpm test\n```\n'),
    ).toBe(true);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const { argv } of commands) {
      const stdio = argv[argv.indexOf('--stdio') + 1]!;
      expect(existsSync(join(repoRoot, stdio.split(' ')[1]!))).toBe(true);
    }
  });

  it('each command exits as its comment says, and the CI line writes SARIF and a Markdown summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-readme-'));
    for (const { argv, comment } of commands) {
      const output = argv.indexOf('--output');
      const files = output === -1 ? [] : argv[output + 1]!.split(',').map((file) => join(dir, file));
      if (output !== -1) argv[output + 1] = files.join(',');
      const result = await runCli(argv);
      const expected = /exit (\d)/.exec(comment)?.[1];
      if (expected !== undefined) expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(Number(expected));
      else expect([0, 1], `${argv.join(' ')}: ${result.stderr}`).toContain(result.code);
      for (const file of files) expect(existsSync(file), file).toBe(true);
    }
    const sarif = JSON.parse(readFileSync(join(dir, 'mcp.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(readFileSync(join(dir, 'mcp.md'), 'utf8')).toMatch(/^<!-- mcp-preflight-report -->\n## mcp-preflight /);
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { globMatches } from '../../src/suppress/apply.js';
import { directivesInText } from '../../src/suppress/directives.js';

describe('directivesInText', () => {
  it('reads each form with its rules, reason and the lines it covers', () => {
    const text = [
      '// mcp-preflight-disable-next-line design/shell-like-tool, schema/* -- admin-only',
      'server.tool("run", handler);',
      '/* mcp-preflight-disable schema/undocumented-params -- documented elsewhere */',
      'a();',
      '// mcp-preflight-enable schema/undocumented-params',
      '# mcp-preflight-disable-file runtime/*',
    ].join('\n');
    const found = directivesInText('/p/a.ts', text);
    expect(found.map((entry) => [entry.rules, entry.reason, entry.scope, entry.at.line])).toEqual([
      [['design/shell-like-tool', 'schema/*'], 'admin-only', { form: 'next-line', lines: [1, 2] }, 1],
      [['schema/undocumented-params'], 'documented elsewhere', { form: 'block', from: 3, to: 5 }, 3],
      [['runtime/*'], undefined, { form: 'file' }, 6],
    ]);
  });

  it('an enable naming another rule leaves a block open to the end of the file; a bare enable closes it', () => {
    const open = directivesInText('/p/a.ts', '// mcp-preflight-disable a/b -- r\nx\n// mcp-preflight-enable c/d\ny');
    expect(open[0]!.scope).toEqual({ form: 'block', from: 1, to: 4 });
    const closed = directivesInText('/p/a.ts', '// mcp-preflight-disable a/b -- r\nx\n// mcp-preflight-enable\ny');
    expect(closed[0]!.scope).toEqual({ form: 'block', from: 1, to: 3 });
  });

  it('ignores the words in ordinary text that is not a comment directive', () => {
    expect(directivesInText('/p/a.ts', 'const s = "mcp-preflight-disable is documented";')).toEqual([]);
  });
});

describe('globMatches', () => {
  it('matches * and ? and nothing else specially', () => {
    expect(globMatches('read_*', 'read_file')).toBe(true);
    expect(globMatches('read_?ile', 'read_file')).toBe(true);
    expect(globMatches('read.file', 'read_file')).toBe(false);
    expect(globMatches('*', 'anything')).toBe(true);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fallbackLines, settleLocations } from '../../src/inventory/anchor.js';
import { packageRunBy } from '../../src/collect/run-category.js';

describe('settleLocations', () => {
  const root = mkdtempSync(join(tmpdir(), 'preflight-settle-'));
  const config = join(root, 'mcp-preflight.yaml');
  const source = join(root, 'server.ts');
  writeFileSync(config, 'version: 1\n');
  writeFileSync(source, 'export {};\n');
  const outside = join(mkdtempSync(join(tmpdir(), 'preflight-outside-')), 'tool.ts');
  writeFileSync(outside, 'export {};\n');
  const anchor = { location: { file: config, line: 3, column: 1 }, why: 'config' as const };

  it('moves findings whose file is missing to the anchor (keeping where they were), and counts those outside the root', () => {
    const kept = { data: {}, location: { file: source, line: 1, column: 1 } };
    const missing = { data: {} as Record<string, string | number>, location: { file: join(root, 'gone.ts'), line: 7, column: 2 } };
    const away = { data: {} as Record<string, string | number>, location: { file: outside, line: 2, column: 1 } };
    const fallbacks = settleLocations([{ target: { name: 'api' }, findings: [kept, missing, away], anchor }], root);
    expect(kept.location).toEqual({ file: source, line: 1, column: 1 });
    expect(missing.location).toBeUndefined();
    expect(missing.data.reportedAt).toBe(`${join(root, 'gone.ts')}:7`);
    expect(away.location).toEqual({ file: outside, line: 2, column: 1 });
    expect(fallbacks).toEqual([{ target: 'api', moved: 1, outside: 1, anchorMissing: false, anchor: config }]);
    expect(fallbackLines(fallbacks, root)).toEqual([
      'target api: 1 finding pointed at files that do not exist and is anchored at mcp-preflight.yaml instead; 1 finding points at files outside the SARIF root, which SARIF shows by file name only (pass --sarif-root)',
    ]);
  });

  it('(control) reports nothing when every file exists inside the root', () => {
    const finding = { data: {}, location: { file: source, line: 1, column: 1 } };
    expect(settleLocations([{ target: { name: 'api' }, findings: [finding, { data: {} }], anchor }], root)).toEqual([]);
  });
});

describe('packageRunBy', () => {
  it('names the package an npx, pnpm dlx or bunx line runs, without its version', () => {
    expect(packageRunBy('npx', ['-y', '@modelcontextprotocol/server-filesystem@1.2.0', '/root'])).toBe('@modelcontextprotocol/server-filesystem');
    expect(packageRunBy('pnpm', ['dlx', 'mcp-server-x', '--flag'])).toBe('mcp-server-x');
    expect(packageRunBy('bunx', ['tool@latest'])).toBe('tool');
    expect(packageRunBy('node', ['dist/index.js'])).toBeUndefined();
    expect(packageRunBy('pnpm', ['run', 'serve'])).toBeUndefined();
  });
});

import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';

/**
 * Issue 17, Build 6: how code scanning files our SARIF. Real fixture servers over stdio; the run's
 * category must not depend on the command line, and every result must point at a file that exists
 * inside the SARIF root (else a warning says where it fell back to).
 */

const node = process.execPath;

function readSarif(file: string): Sarif.Log {
  const log = JSON.parse(readFileSync(file, 'utf8')) as Sarif.Log;
  expect(validateSarifSchema(log)).toEqual([]);
  assertGithubContract(log);
  return log;
}

describe('SARIF filing (security vs quality, categories, anchors)', () => {
  it('tags security and security-severity only on security rules; the rest carry problem.severity', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'preflight-filing-'));
    const file = join(directory, 'out.sarif');
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('bad-stdio.mjs')}`, '--format', 'sarif', '--output', file, '--quiet']);
    expect(result.code).toBe(1);
    const rules = readSarif(file).runs[0]!.tool.driver.rules!;
    const builtin = new Map(loadBuiltinRules().map((rule) => [rule.id, rule]));
    const undocumented = rules.find((rule) => rule.id === 'schema/undocumented-params')!;
    expect(undocumented.properties).toMatchObject({ 'problem.severity': 'recommendation' });
    expect(undocumented.properties!.tags).not.toContain('security');
    expect(undocumented.properties).not.toHaveProperty('security-severity');
    const capabilityMismatch = rules.find((rule) => rule.id === 'protocol/capability-mismatch')!;
    expect(capabilityMismatch.properties).toMatchObject({ 'problem.severity': 'error' });
    let security = 0;
    for (const rule of rules) {
      const isSecurity = builtin.get(rule.id)!.tags.includes('security');
      security += Number(isSecurity);
      expect(rule.properties!.tags!.includes('security'), rule.id).toBe(isSecurity);
      expect(rule.properties!['security-severity'] !== undefined, rule.id).toBe(isSecurity);
    }
    // Both kinds are present, so the loop above checked each way at least once.
    expect(security).toBeGreaterThan(0);
    expect(security).toBeLessThan(rules.length);
    const shell = rules.find((rule) => rule.id === 'design/shell-like-tool')!;
    expect(shell.properties!.tags).toEqual(expect.arrayContaining(['security', 'external/cwe/cwe-78', 'owasp-mcp05']));
    expect(shell.relationships?.[0]?.target).toMatchObject({ id: 'MCP05', toolComponent: { name: 'OWASP MCP Top 10' } });
  });

  it("files an ad-hoc run under the server's package name, not its command line; --category overrides", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'preflight-category-'));
    mkdirSync(join(directory, 'dist'));
    // The entry script of a project that is not this repository: it just runs the clean fixture.
    writeFileSync(join(directory, 'dist', 'index.mjs'), `import ${JSON.stringify(pathToFileURL(fixturePath('clean-stdio.mjs')).href)};\n`);
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: '@acme/files-server', version: '1.0.0' }));
    const run = async (args: string[]) => {
      const file = join(directory, `${args.length}.sarif`);
      const result = await runCli(['check', '--stdio', `${node} dist/index.mjs`, ...args, '--format', 'sarif', '--output', file, '--quiet'], {
        cwd: directory,
      });
      expect(result.code, result.stderr).toBe(0);
      return readSarif(file).runs[0]!.automationDetails?.id;
    };
    expect(await run([])).toBe('mcp-preflight/acme-files-server/');
    expect(await run(['--category', 'mcp/files'])).toBe('mcp/files/');
    expect(await run(['--name', 'files'])).toBe('mcp-preflight/files/');
  });

  it('warns when findings must fall back because their anchor is outside the SARIF root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'preflight-root-'));
    const file = join(root, 'out.sarif');
    const result = await runCli([
      'check',
      '--stdio',
      `${node} ${fixturePath('bad-stdio.mjs')}`,
      '--format',
      'sarif',
      '--output',
      file,
      '--quiet',
      '--sarif-root',
      root,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^mcp-preflight: warning: target bad-stdio: findings without a file of their own point at bad-stdio\.mjs, which lies outside the SARIF root/m,
    );
    readSarif(file);
  });

  it('warns, and points at no made-up file silently, when nothing to anchor at exists', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'preflight-empty-'));
    const file = join(empty, 'out.sarif');
    // Through sh, so the command line names no entry script; the empty directory has no package.json.
    const result = await runCli(
      [
        'check',
        '--stdio',
        `sh -c "exec ${node} ${fixturePath('bad-stdio.mjs')}"`,
        '--name',
        'bad',
        '--format',
        'sarif',
        '--output',
        file,
        '--quiet',
        '--sarif-root',
        empty,
      ],
      { cwd: empty },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^mcp-preflight: warning: target bad: findings without a file of their own point at package\.json, which does not exist; use a config file/m,
    );
    const uris = new Set(readSarif(file).runs[0]!.results!.map((entry) => entry.locations![0]!.physicalLocation!.artifactLocation!.uri));
    expect([...uris]).toEqual(['package.json']);
  });

  it('(control) says nothing about anchors when the findings point at files in the SARIF root', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'preflight-control-')), 'out.sarif');
    const result = await runCli([
      'check',
      '--stdio',
      `${node} fixtures/servers/bad-stdio.mjs`,
      '--format',
      'sarif',
      '--output',
      file,
      '--quiet',
      '--sarif-root',
      repoRoot,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/warning/);
    const uris = new Set(readSarif(file).runs[0]!.results!.map((entry) => entry.locations![0]!.physicalLocation!.artifactLocation!.uri));
    expect([...uris]).toEqual(['fixtures/servers/bad-stdio.mjs']);
  });
});

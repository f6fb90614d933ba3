import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';

// The scaffold runs into a copy of the files a rule needs (packs, src/, the test helpers), so the
// checkout is never touched; the copy must then type-check and the generated test must pass.
function copyOfTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-new-rule-'));
  for (const entry of ['rules', 'src', 'schemas', 'scripts', 'tsconfig.json', 'tsconfig.test.json', 'package.json', 'vitest.config.ts'])
    cpSync(join(repoRoot, entry), join(dir, entry), { recursive: true });
  mkdirSync(join(dir, 'test', 'rules'), { recursive: true });
  cpSync(join(repoRoot, 'test', 'helpers'), join(dir, 'test', 'helpers'), { recursive: true });
  cpSync(join(repoRoot, 'test', 'rules', 'run-rule.ts'), join(dir, 'test', 'rules', 'run-rule.ts'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const scaffold = (args: string[], cwd = repoRoot) =>
  spawnSync(process.execPath, [join(repoRoot, 'scripts', 'new-rule.mjs'), ...args], { cwd, encoding: 'utf8' });

describe('npm run new-rule', () => {
  it('--dry-run lists at most 4 files and writes none of them', () => {
    const result = scaffold(['design/too-many-prompts', '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const files = result.stdout.trim().split('\n');
    expect(files.slice(0, 3)).toEqual(['rules/design.yaml', 'src/checks/design/too-many-prompts.ts', 'test/rules/design/too-many-prompts.test.ts']);
    expect(files.length).toBeLessThanOrEqual(4);
    expect(existsSync(join(repoRoot, 'src/checks/design/too-many-prompts.ts'))).toBe(false);
  });

  it('refuses a bad id, an unknown pack and an existing rule, one line each, exit 2', () => {
    for (const [id, message] of [
      ['Design/Bad Name', /^new-rule: "Design\/Bad Name" is not <pack>\/<name> in kebab-case/],
      ['nopack/some-rule', /^new-rule: rules\/nopack\.yaml does not exist/],
      ['design/too-many-tools', /^new-rule: design\/too-many-tools already exists in rules\/design\.yaml/],
    ] as const) {
      const result = scaffold([id, '--dry-run']);
      expect(result.status, id).toBe(2);
      expect(result.stderr.trim().split('\n'), id).toHaveLength(1);
      expect(result.stderr, id).toMatch(message);
    }
  });

  it('writes a rule whose tree type-checks and whose generated test passes', () => {
    const dir = copyOfTree();
    const result = scaffold(['design/too-many-prompts', '--root', dir]);
    expect(result.status, result.stderr).toBe(0);
    const files = result.stdout.trim().split('\n');
    expect(files.length).toBeLessThanOrEqual(4);
    expect(readFileSync(join(dir, 'rules/design.yaml'), 'utf8')).toContain('\n  - id: design/too-many-prompts\n');
    // npm run build's first step: the packs compiled, the rule's types and the registry generated.
    const packs = spawnSync(process.execPath, [join(dir, 'scripts', 'build-packs.mjs')], { cwd: dir, encoding: 'utf8' });
    expect(packs.status, packs.stderr).toBe(0);
    const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json'], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const vitest = spawnSync(process.execPath, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', 'test/rules/design/too-many-prompts.test.ts'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/Tests\s+.*2 passed/);
  }, 300_000);
});

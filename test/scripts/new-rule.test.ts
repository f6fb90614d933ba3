import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
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

/**
 * Type-checks `files` of the tree at `dir` with its tsconfig.test.json: the program holds them and
 * everything they import (the real project types), but only these files' diagnostics are asked for,
 * so the checker looks at the rest only as far as these files use it. Returns tsc's formatted errors.
 */
function typeCheck(dir: string, files: string[]): string {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(dir, 'tsconfig.test.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${join(dir, 'tsconfig.test.json')}`);
  const roots = files.map((file) => join(dir, file));
  const program = ts.createProgram({ rootNames: roots, options: parsed.options });
  const diagnostics: ts.Diagnostic[] = [...parsed.errors, ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const root of roots) {
    const sourceFile = program.getSourceFile(root);
    if (!sourceFile) return `${root}: not in the program`;
    diagnostics.push(...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile));
  }
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (file) => file, getCurrentDirectory: () => dir, getNewLine: () => '\n' });
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
    // The generated check and test (and the generated registry that now imports the check) against the
    // rule types just generated and the real project types they import; a wrong option or message id fails.
    const generated = ['src/checks/design/too-many-prompts.ts', 'test/rules/design/too-many-prompts.test.ts', 'src/engine/generated/registry.ts'];
    expect(files).toEqual(expect.arrayContaining(generated.slice(0, 2)));
    expect(readFileSync(join(dir, generated[2]!), 'utf8')).toContain("'../../checks/design/too-many-prompts.js'");
    expect(typeCheck(dir, generated)).toBe('');
    const vitest = spawnSync(process.execPath, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', 'test/rules/design/too-many-prompts.test.ts'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/Tests\s+.*2 passed/);
  }, 300_000);
});

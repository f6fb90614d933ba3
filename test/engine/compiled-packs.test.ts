import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNameOf, CompileError, compilePacks, definedChecks, optionsType, schemaType, yamlPacks } from '../../src/engine/compile-packs.js';
import { loadBuiltinRules, loadPacks, rulesOf } from '../../src/engine/packs.js';
import { checkNames } from '../../src/engine/registry.js';
import { repoRoot } from '../helpers/fixtures.js';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of rules/ and src/checks/ to break on purpose. */
function copyTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'mcp-preflight-compile-'));
  temps.push(root);
  cpSync(resolve(repoRoot, 'rules'), join(root, 'rules'), { recursive: true });
  cpSync(resolve(repoRoot, 'src/checks'), join(root, 'src/checks'), { recursive: true });
  return root;
}

describe('compiled packs (src/engine/generated/, written by npm run build)', () => {
  it('hold exactly what rules/*.yaml says, parsed and validated like a custom pack', () => {
    expect(loadPacks()).toEqual(yamlPacks(repoRoot));
    expect(loadBuiltinRules()).toEqual(rulesOf(yamlPacks(repoRoot)));
  });

  it('are current: run "npm run build" after changing a pack or a check', () => {
    const stale = compilePacks(repoRoot).filter((file) => readFileSync(resolve(repoRoot, file.path), 'utf8') !== file.content);
    expect(stale.map((file) => file.path)).toEqual([]);
  });

  it('register every check the rules run, sorted, and nothing else', () => {
    const wanted = [...new Set(loadBuiltinRules().flatMap((rule) => checkNameOf(rule) ?? []))].sort();
    expect(checkNames()).toEqual(wanted);
    expect(definedChecks(repoRoot).map((check) => check.name)).toEqual(wanted);
  });

  it('fail the build when a rule runs a check no module defines', () => {
    const root = copyTree();
    rmSync(join(root, 'src/checks/design/shell-like-tool.ts'));
    expect(() => compilePacks(root)).toThrow(CompileError);
    expect(() => compilePacks(root)).toThrow(/rule "design\/shell-like-tool" runs check "design\/shell-like-tool", but no module/);
  });

  it('fail the build when a check is run by no rule, or defined twice', () => {
    const orphan = copyTree();
    mkdirSync(join(orphan, 'src/checks/extra'));
    writeFileSync(join(orphan, 'src/checks/extra/orphan.ts'), "export const orphan = defineCheck('extra/orphan', () => {});\n");
    expect(() => compilePacks(orphan)).toThrow(/check "extra\/orphan" \(\.\.\/\.\.\/checks\/extra\/orphan\.js\) is run by no rule/);
    const twice = copyTree();
    writeFileSync(join(twice, 'src/checks/design/again.ts'), "export const again = defineCheck('design/shell-like-tool', () => {});\n");
    expect(() => compilePacks(twice)).toThrow(/check "design\/shell-like-tool" is defined twice/);
  });

  it('fail the build on a pack the schema rejects, naming the file and line', () => {
    const root = copyTree();
    const file = join(root, 'rules/design.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('level: error', 'level: fatal'));
    expect(() => compilePacks(root)).toThrow(/design\.yaml:\d+:\d+: rule "design\/shell-like-tool": "level" must be one of/);
  });
});

describe('generated option types', () => {
  it('follow the JSON Schema subset options use; the pack defaults make an option always present', () => {
    expect(schemaType({ type: 'array', items: { type: 'string' } })).toBe('string[]');
    expect(schemaType({ type: 'array', items: { enum: ['a', 'b'] } })).toBe("Array<'a' | 'b'>");
    expect(schemaType({ type: 'integer' })).toBe('number');
    expect(schemaType({ type: ['string', 'null'] })).toBe('string | null');
    expect(schemaType({ not: {} })).toBe('unknown');
    const rule = loadBuiltinRules().find((candidate) => candidate.id === 'design/too-many-tools')!;
    expect(optionsType(rule)).toBe('{\n  maxTools: number;\n  noteAbove: number;\n}');
    expect(optionsType({ ...rule, options: {}, optionsSchema: { type: 'object', additionalProperties: false, properties: { n: { type: 'number' } } } })).toBe(
      '{\n  n?: number;\n}',
    );
    expect(optionsType({ ...rule, options: undefined, optionsSchema: undefined })).toBe('Record<string, never>');
  });
});

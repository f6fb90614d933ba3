import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';

/**
 * The typed rule contract fails tsc: a check written against a rule's generated types
 * (src/engine/generated/rule-types.ts via defineCheck) is compiled with the project's options, and
 * each line marked `// error` must carry a diagnostic, every other line none.
 */

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const SOURCE = `import { defineCheck } from '${resolve(repoRoot, 'src/engine/define-check.js').split('\\').join('/')}';
const capability = { kind: 'tool' as const, name: 'x' };
export const fine = defineCheck('design/shell-like-tool', ({ report, options }) => {
  const words: string[] = options.shellWords;
  report({ messageId: words.length > 0 ? 'shellName' : 'commandParameter', capability });
});
export const misspelt = defineCheck('design/shell-like-tool', ({ report }) => {
  report({ messageId: 'shelName', capability }); // error
});
export const wrongOptionType = defineCheck('design/too-many-tools', ({ options }) => {
  const max: string = options.maxTools; // error
  void max;
});
export const unknownOption = defineCheck('design/too-many-tools', ({ options }) => {
  void options.maxTool; // error
});
export const sharedCheck = defineCheck('drift/schema-changed', ({ report, options }) => {
  const direction: 'loosened' | 'tightened' = options.direction;
  report({ messageId: direction, capability });
});
export const unknownCheck = defineCheck('design/no-such-check', () => {}); // error
`;

function diagnosticLines(file: string): number[] {
  const config = ts.readConfigFile(resolve(repoRoot, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  const program = ts.createProgram([file], { ...parsed.options, noEmit: true, types: [] });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName === file)
    .map((diagnostic) => diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1);
}

describe('defineCheck types (generated from rules/*.yaml)', () => {
  it('reject a misspelt message id, a wrong option type, an unknown option and an unknown check; accept the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-preflight-types-'));
    temps.push(dir);
    const file = join(dir, 'checks.ts').split('\\').join('/');
    writeFileSync(file, SOURCE);
    const expected = SOURCE.split('\n').flatMap((line, index) => (line.endsWith('// error') ? [index + 1] : []));
    expect(expected).toHaveLength(4);
    expect([...new Set(diagnosticLines(file))].sort((a, b) => a - b)).toEqual(expected);
  });
});

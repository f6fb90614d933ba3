import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_URL } from '../src/cli/init.js';
import { builtinRuleDocUrl, CUSTOM_PACKS_DOC_URL } from '../src/report/common.js';
import { REPOSITORY_URL } from '../src/version.js';
import { repoRoot } from './helpers/fixtures.js';

const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
const packageJson = JSON.parse(read('package.json'));

/** The tarball itself is tested by scripts/package-test.mjs (npm run test:package, run by .ci/run). */
describe('the npm package metadata', () => {
  it('derives every link from package.json "repository": homepage, bugs, helpUri, schema URL', () => {
    expect(REPOSITORY_URL).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(packageJson.repository).toEqual({ type: 'git', url: `git+${REPOSITORY_URL}.git` });
    expect(packageJson.homepage).toBe(`${REPOSITORY_URL}#readme`);
    expect(packageJson.bugs).toEqual({ url: `${REPOSITORY_URL}/issues` });
    expect(builtinRuleDocUrl({ id: 'schema/x', pack: 'schema' })).toBe(`${REPOSITORY_URL}/blob/main/docs/rules/schema/x.md`);
    expect(CUSTOM_PACKS_DOC_URL.startsWith(REPOSITORY_URL)).toBe(true);
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(`\`${SCHEMA_URL}\``);
    expect(SCHEMA_URL).toBe(`${REPOSITORY_URL.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/schemas/config.schema.json`);
  });

  it('links its own docs from the packs and schemas at the same repository', () => {
    const files = [
      ...readdirSync(join(repoRoot, 'rules')).map((name) => `rules/${name}`),
      ...readdirSync(join(repoRoot, 'schemas')).map((name) => `schemas/${name}`),
    ];
    const selfLinks = files.flatMap((file) =>
      [...read(file).matchAll(/https:\/\/github\.com\/[\w.-]+\/mcp-preflight\/blob\/[^\s)"']*/g)].map((match) => match[0]),
    );
    expect(selfLinks.length).toBeGreaterThan(0);
    expect(selfLinks.filter((url) => !url.startsWith(`${REPOSITORY_URL}/`))).toEqual([]);
  });

  it('builds before packing, ships no source maps and no internal docs, and has a LICENSE', () => {
    expect(packageJson.scripts.prepack).toMatch(/npm run build/);
    const tsconfig = JSON.parse(read('tsconfig.json'));
    expect(tsconfig.compilerOptions.sourceMap).toBe(false);
    expect(tsconfig.compilerOptions.declarationMap ?? false).toBe(false);
    expect(packageJson.files).toEqual(['bin/', 'dist/bundle/', 'rules/', 'schemas/']);
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
    expect(packageJson.license).toBe('MIT');
  });
});

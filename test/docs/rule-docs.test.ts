import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_MARKER, renderRuleDocs, ruleDocPath, RULE_DOCS_DIR } from '../../src/docs/rule-docs.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { REPOSITORY_URL, ruleDocUrl } from '../../src/report/common.js';
import { repoRoot } from '../helpers/fixtures.js';

function generatedOnDisk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return generatedOnDisk(full);
    return entry.name.endsWith('.md') && readFileSync(full, 'utf8').startsWith(GENERATED_MARKER) ? [relative(repoRoot, full).split('\\').join('/')] : [];
  });
}

describe('rule docs (docs/rules/, generated from rules/*.yaml)', () => {
  const rules = loadBuiltinRules();
  const files = renderRuleDocs(rules);

  it('are up to date: run "npm run build && npm run docs:rules" after changing a pack', () => {
    const stale = files.filter((file) => {
      const path = resolve(repoRoot, file.path);
      return !existsSync(path) || readFileSync(path, 'utf8') !== file.content;
    });
    expect(stale.map((file) => file.path)).toEqual([]);
    expect(generatedOnDisk(resolve(repoRoot, RULE_DOCS_DIR)).sort()).toEqual(files.map((file) => file.path).sort());
  });

  it('give every built-in rule a page at the URL SARIF and the text report link', () => {
    for (const rule of rules) {
      const page = files.find((file) => file.path === ruleDocPath(rule));
      expect(page?.content).toContain(`# \`${rule.id}\`: ${rule.title}`);
      expect(ruleDocUrl(rule)).toBe(`${REPOSITORY_URL}/blob/main/${ruleDocPath(rule)}`);
    }
  });

  it('custom rules link their own helpUri, else the custom-packs page', () => {
    expect(ruleDocUrl({ id: 'our/x', pack: 'our', custom: true, helpUri: 'https://wiki.example.com/x' })).toBe('https://wiki.example.com/x');
    expect(ruleDocUrl({ id: 'our/x', pack: 'our', custom: true })).toBe(`${REPOSITORY_URL}/blob/main/docs/custom-packs.md`);
  });
});

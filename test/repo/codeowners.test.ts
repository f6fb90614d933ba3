import { describe, expect, it } from 'vitest';
import { codeownersMatcher, parseCodeowners } from '../../src/repo/codeowners.js';

/** GitHub's documented CODEOWNERS examples (about-code-owners#example-of-a-codeowners-file). */
function ownersOf(text: string, file: string): string[] | undefined {
  return codeownersMatcher(parseCodeowners(text).rules).ruleFor(file)?.owners;
}

describe('CODEOWNERS', () => {
  it('the last matching rule wins, and a rule without owners leaves paths unowned', () => {
    const text = '*       @global-owner1 @global-owner2\n*.js    @js-owner #This is an inline comment.\n/build/logs/\n';
    expect(ownersOf(text, 'README.md')).toEqual(['@global-owner1', '@global-owner2']);
    expect(ownersOf(text, 'src/deep/app.js')).toEqual(['@js-owner']);
    expect(ownersOf(text, 'build/logs/a/b.log')).toEqual([]);
  });

  it('an unanchored directory matches at any depth; an anchored one at the root only', () => {
    expect(ownersOf('apps/ @octocat', 'x/apps/y/z.ts')).toEqual(['@octocat']);
    expect(ownersOf('/scripts/ @doctocat', 'scripts/a.sh')).toEqual(['@doctocat']);
    expect(ownersOf('/scripts/ @doctocat', 'tools/scripts/a.sh')).toBeUndefined();
    expect(ownersOf('**/logs @octocat', 'deep/down/logs/today.txt')).toEqual(['@octocat']);
    expect(ownersOf('packages/server @team', 'packages/server/src/index.ts')).toEqual(['@team']);
  });

  it('dir/* owns the direct children of dir only', () => {
    expect(ownersOf('docs/* docs@example.com', 'docs/getting-started.md')).toEqual(['docs@example.com']);
    expect(ownersOf('docs/* docs@example.com', 'docs/build-app/troubleshooting.md')).toBeUndefined();
  });

  it('reports lines GitHub would skip: negation, ranges, owners that are not users, teams or addresses', () => {
    const parsed = parseCodeowners('!secret.txt @a\n[abc].md @a\n*.ts not-an-owner\n# comment\n[Section]\n*.md @org/docs\n');
    expect(parsed.problems.map((problem) => problem.line)).toEqual([1, 2, 3]);
    expect(parsed.rules.map((rule) => [rule.pattern, rule.owners])).toEqual([
      ['*.ts', []],
      ['*.md', ['@org/docs']],
    ]);
  });
});

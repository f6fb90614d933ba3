import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/engine/run.js';
import type { RepoFacts } from '../../src/repo/types.js';
import type { CommittedSecret } from '../../src/repo/secrets.js';
import { parseServerJsonText } from '../../src/repo/server-json.js';
import { inventory } from '../helpers/inventory.js';
import { builtinRule, runRule } from './run-rule.js';

const HARDCODED = 'secrets/hardcoded-secret';
const ENV = 'secrets/env-not-marked-secret';

function secret(file: string, line: number, fields: Partial<CommittedSecret> = {}): CommittedSecret {
  return { kind: 'github-token', file, line, column: 5, endLine: line, endColumn: 45, preview: 'ghp_****abcd', detector: 'secretlint', ...fields };
}

function withRepo(repo: Partial<RepoFacts>) {
  const facts: RepoFacts = { root: '/repo', from: { directory: '/repo', why: 'flag' }, packageDir: '/repo', git: true, files: [], ...repo };
  return inventory({ facts: ['repo'], repo: facts });
}

const secrets = (found: CommittedSecret[]): RepoFacts['secrets'] => ({
  detectors: ['test'],
  scanned: { files: 1, bytes: 1 },
  skipped: { binary: 0, tooLarge: 0, overBudget: 0, unreadable: 0 },
  found,
  durationMs: 0,
});

describe(HARDCODED, () => {
  it('reports each committed secret at its file, line and columns, masked', () => {
    const findings = runRule(
      HARDCODED,
      withRepo({ secrets: secrets([secret('src/a.ts', 3), secret('config/.env', 1, { kind: 'key-value-secret', name: 'API_KEY', preview: '****wxyz' })]) }),
    );
    expect(findings.map((f) => [f.messageId, f.location, f.field])).toEqual([
      ['secretAssigned', { file: '/repo/config/.env', line: 1, column: 5, endLine: 1, endColumn: 45 }, 'repo:config/.env'],
      ['secretFound', { file: '/repo/src/a.ts', line: 3, column: 5, endLine: 3, endColumn: 45 }, 'repo:src/a.ts'],
    ]);
    expect(findings.every((f) => f.level === 'error')).toBe(true);
    expect(findings[0]!.message).toContain('API_KEY (****wxyz)');
  });

  it('skips allowed secrets and, by default, tests and fixtures; ignorePaths: [] scans them', () => {
    const found = [
      secret('src/a.ts', 1, { allowed: { by: 'documented-example', reason: 'AWS docs' } }),
      secret('test/a.test.ts', 1),
      secret('packages/x/fixtures/keys.ts', 1),
      secret('src/a.spec.ts', 1),
      secret('../server/test/a.ts', 1),
      secret('src/b.ts', 1),
    ];
    const repo = withRepo({ secrets: secrets(found) });
    expect(runRule(HARDCODED, repo).map((f) => f.data.file)).toEqual(['src/b.ts']);
    const everything = { ...builtinRule(HARDCODED), options: { ignorePaths: [] } };
    expect(
      runRules(repo, [everything], { targetId: 't' })
        .findings.map((f) => f.data.file)
        .sort(),
    ).toEqual(['../server/test/a.ts', 'packages/x/fixtures/keys.ts', 'src/a.spec.ts', 'src/b.ts', 'test/a.test.ts']);
  });

  it('fingerprints without the line: a moved secret keeps its identity, a repeated one gets its own', () => {
    const at = (line: number) => runRule(HARDCODED, withRepo({ secrets: secrets([secret('src/a.ts', line)]) }))[0]!.fingerprint;
    expect(at(3)).toBe(at(30));
    const twice = runRule(HARDCODED, withRepo({ secrets: secrets([secret('src/a.ts', 3), secret('src/a.ts', 9)]) }));
    expect(new Set(twice.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('is skipped without repository facts', () => {
    const run = runRules(inventory(), [builtinRule(HARDCODED)], { targetId: 't' });
    expect(run.outcomes[0]).toMatchObject({ status: 'skipped' });
  });
});

const MANIFEST = `{
  "name": "io.github.example/x",
  "packages": [
    {
      "identifier": "@example/x",
      "environmentVariables": [
        { "name": "API_KEY", "description": "key" },
        { "name": "GITHUB_TOKEN", "isSecret": true },
        { "name": "DB_PASSWORD", "isSecret": false },
        { "name": "LOG_LEVEL" },
        { "name": "MAX_TOKENS" }
      ]
    }
  ],
  "remotes": [{ "url": "https://x.example/mcp", "headers": [{ "name": "Authorization" }, { "name": "X-Request-Id" }] }]
}`;

describe(ENV, () => {
  const serverJson = parseServerJsonText(MANIFEST, '/repo/server.json');

  it('reports key-like environment variables and credential headers without isSecret: true, on their line', () => {
    const findings = runRule(ENV, withRepo({ serverJson }));
    expect(findings.map((f) => [f.data.name, f.data.where, f.location?.line])).toEqual([
      ['API_KEY', 'package @example/x', 7],
      ['DB_PASSWORD', 'package @example/x', 9],
      ['Authorization', 'remote https://x.example/mcp', 15],
    ]);
    expect(findings.every((f) => f.location?.file === '/repo/server.json' && f.level === 'warning')).toBe(true);
  });

  it('reports a .env file in a git repository, not its templates, and not outside git', () => {
    const files = ['.env', 'apps/api/.env.production', '.env.example', 'config/.env.sample', 'src/env.ts', '.envrc', 'fixtures/projects/x/.env'];
    expect(runRule(ENV, withRepo({ files })).map((f) => [f.messageId, f.data.file, f.location?.line])).toEqual([
      ['dotenvCommitted', '.env', 1],
      ['dotenvCommitted', 'apps/api/.env.production', 1],
    ]);
    expect(runRule(ENV, withRepo({ files, git: false }))).toEqual([]);
  });

  it('passes a manifest that marks its secrets, and ignores an unparsable one', () => {
    const good = parseServerJsonText('{"packages":[{"environmentVariables":[{"name":"API_KEY","isSecret":true}]}]}', '/repo/server.json');
    expect(runRule(ENV, withRepo({ serverJson: good }))).toEqual([]);
    expect(runRule(ENV, withRepo({ serverJson: parseServerJsonText('{', '/repo/server.json') }))).toEqual([]);
  });
});

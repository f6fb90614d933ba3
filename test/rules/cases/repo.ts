import type { InstalledPackageFacts } from '../../../src/repo/installed-package.js';
import type { OwnershipFacts } from '../../../src/repo/ownership.js';
import { parseServerJsonText } from '../../../src/repo/server-json.js';
import type { CommittedSecret } from '../../../src/repo/secrets.js';
import type { RepoFacts } from '../../../src/repo/types.js';
import { inventory } from '../../helpers/inventory.js';
import { ruleTester } from '../../helpers/rule-tester.js';

// Repository rules at fact level: `inventory.repo` built by hand (the collectors have their own
// tests in test/repo; test/e2e/secrets.test.ts runs the wiring on fixture repositories).
function withRepo(repo: Partial<RepoFacts>) {
  const facts: RepoFacts = { root: '/repo', from: { directory: '/repo', why: 'flag' }, packageDir: '/repo', git: true, files: [], ...repo };
  return inventory({ facts: ['repo'], repo: facts });
}
const server = (messageId: string, line?: number) => ({ messageId, capability: { kind: 'server' as const }, ...(line === undefined ? {} : { line }) });

/** Ownership facts of a repository where everything is in place; `change` takes one thing away. */
function owned(change: (facts: OwnershipFacts) => void = () => {}) {
  const facts: OwnershipFacts = {
    serverPath: '',
    codeowners: { file: '/repo/.github/CODEOWNERS', rules: 1, problems: [], checked: 3, unownedCount: 0, unowned: [], owners: ['@acme/mcp'] },
    securityPolicy: { file: '/repo/SECURITY.md' },
    dependencyUpdates: [{ tool: 'dependabot', file: '/repo/.github/dependabot.yml', ecosystems: ['npm'] }],
    packageJson: { file: '/repo/package.json', name: 'x' },
    serverJson: { file: '/repo/server.json', name: 'io.github.acme/x', repository: 'https://github.com/acme/x', problems: [] },
  };
  change(facts);
  return withRepo({ ownership: facts });
}

ruleTester.run('ownership/invalid-server-json', {
  valid: [
    { name: 'a manifest with its documented fields', docExample: 'good', facts: owned() },
    { name: 'no server.json at all', facts: owned((f) => delete f.serverJson) },
  ],
  invalid: [
    {
      name: 'a name without namespace and a version range, on their lines',
      docExample: 'bad',
      facts: owned(
        (f) =>
          (f.serverJson!.problems = [
            { pointer: '/name', line: 2, message: 'not namespaced' },
            { pointer: '/version', line: 4, message: 'a range' },
          ]),
      ),
      errors: [
        { ...server('problem', 2), field: 'server.json/name' },
        { ...server('problem', 4), field: 'server.json/version' },
      ],
    },
  ],
});

ruleTester.run('ownership/missing-dependency-update-plan', {
  valid: [
    { name: 'Dependabot updating npm', docExample: 'good', facts: owned() },
    { name: 'Renovate', facts: owned((f) => (f.dependencyUpdates = [{ tool: 'renovate', file: '/repo/renovate.json' }])) },
    {
      name: 'no bot, but owners.dependencyUpdates',
      facts: owned(
        (f) => (
          (f.dependencyUpdates = []),
          (f.declared = { owners: { dependencyUpdates: ['monthly by @acme'] }, file: '/repo/mcp-preflight.yaml', line: 3, lines: {} })
        ),
      ),
    },
  ],
  invalid: [
    {
      name: 'no Dependabot, no Renovate, no declared plan (points at package.json)',
      docExample: 'bad',
      facts: owned((f) => (f.dependencyUpdates = [])),
      errors: [server('noPlan', 1)],
    },
    {
      name: 'Dependabot without npm',
      facts: owned((f) => (f.dependencyUpdates = [{ tool: 'dependabot', file: '/repo/.github/dependabot.yml', ecosystems: ['github-actions'] }])),
      errors: [server('noNpm', 1)],
    },
    {
      name: 'a Dependabot file that does not parse',
      facts: owned((f) => (f.dependencyUpdates = [{ tool: 'dependabot', file: '/repo/.github/dependabot.yml', problem: 'bad YAML' }])),
      errors: [server('broken', 1)],
    },
    {
      name: 'Renovate with "enabled": false',
      facts: owned((f) => (f.dependencyUpdates = [{ tool: 'renovate', file: '/repo/renovate.json', disabled: true }])),
      errors: [server('disabled', 1)],
    },
  ],
});

/** A live scan of a server started from an installed package, no repository read. */
function installed(fields: Partial<InstalledPackageFacts> = {}) {
  const facts: InstalledPackageFacts = {
    name: '@acme/fs-server',
    version: '1.0.0',
    dir: '/app/node_modules/@acme/fs-server',
    packageJson: '/app/node_modules/@acme/fs-server/package.json',
    resolvedFrom: 'dist/index.js',
    maintainers: [],
    ...fields,
  };
  return inventory({ installedPackage: facts });
}

ruleTester.run('ownership/missing-owner', {
  valid: [
    { name: 'CODEOWNERS covering every file checked', docExample: 'good', facts: owned() },
    { name: 'an installed package that names its author', facts: installed({ author: 'Acme <mcp@acme.example>' }) },
    {
      name: 'an installed package whose server.json names its repository',
      facts: installed({ serverJson: { file: '/app/node_modules/@acme/fs-server/server.json', repository: 'https://github.com/acme/fs-server' } }),
    },
    {
      name: 'no CODEOWNERS, but owners.operational',
      facts: owned(
        (f) => (delete f.codeowners, (f.declared = { owners: { operational: ['#mcp-oncall'] }, file: '/repo/mcp-preflight.yaml', line: 3, lines: {} })),
      ),
    },
    {
      name: 'no CODEOWNERS, but an owner in the handshake _meta',
      facts: () => {
        const inv = owned((f) => delete f.codeowners);
        inv.server.info = { ...inv.server.info, _meta: { 'com.acme/owner': 'team-mcp@acme.example' } };
        return inv;
      },
    },
  ],
  invalid: [
    { name: 'an installed package with no author, maintainers or repository', facts: installed(), errors: [server('packageNoOwner', 1)] },
    { name: 'no CODEOWNERS and no declared owner', facts: owned((f) => delete f.codeowners), errors: [server('noCodeowners', 1)] },
    {
      name: 'CODEOWNERS that covers only the docs',
      docExample: 'bad',
      facts: owned((f) => (f.codeowners = { ...f.codeowners!, unownedCount: 3, unowned: ['src/server.ts'] })),
      errors: [server('uncovered', 1)],
    },
  ],
});

ruleTester.run('ownership/missing-security-contact', {
  valid: [
    { name: 'a SECURITY.md', docExample: 'good', facts: owned() },
    { name: 'an installed package that ships a SECURITY.md', facts: installed({ securityPolicy: '/app/node_modules/@acme/fs-server/SECURITY.md' }) },
    {
      name: 'no SECURITY.md, but owners.securityReview',
      facts: owned(
        (f) => (
          delete f.securityPolicy,
          (f.declared = { owners: { securityReview: ['security@acme.example'] }, file: '/repo/mcp-preflight.yaml', line: 3, lines: {} })
        ),
      ),
    },
  ],
  invalid: [
    { name: 'no SECURITY.md and no declared contact', docExample: 'bad', facts: owned((f) => delete f.securityPolicy), errors: [server('noPolicy', 1)] },
    { name: 'an installed package without SECURITY.md or bugs', facts: installed({ author: 'Acme' }), errors: [server('packageNoPolicy', 1)] },
    {
      name: 'an installed package with only a bugs URL',
      facts: installed({ bugs: 'https://github.com/acme/fs-server/issues' }),
      errors: [server('packageOnlyBugs', 1)],
    },
    {
      name: 'no SECURITY.md, only a bugs URL',
      facts: owned((f) => (delete f.securityPolicy, (f.packageJson = { ...f.packageJson!, bugs: 'https://github.com/acme/x/issues' }))),
      errors: [server('onlyBugs', 1)],
    },
  ],
});

function secret(file: string, line: number, fields: Partial<CommittedSecret> = {}): CommittedSecret {
  return { kind: 'github-token', file, line, column: 5, endLine: line, endColumn: 45, preview: 'ghp_****abcd', detector: 'secretlint', ...fields };
}
const scanned = (found: CommittedSecret[]): RepoFacts['secrets'] => ({
  detectors: ['test'],
  scanned: { files: 1, bytes: 1 },
  skipped: { binary: 0, tooLarge: 0, overBudget: 0, unreadable: 0 },
  found,
  durationMs: 0,
});

ruleTester.run('secrets/hardcoded-secret', {
  valid: [
    { name: 'a scan that found nothing', docExample: 'good', facts: withRepo({ secrets: scanned([]) }) },
    {
      name: 'an allowed secret, and secrets in tests and fixtures (ignored by default)',
      facts: withRepo({
        secrets: scanned([
          secret('src/a.ts', 1, { allowed: { by: 'documented-example', reason: 'AWS docs' } }),
          secret('test/a.test.ts', 1),
          secret('packages/x/fixtures/keys.ts', 1),
          secret('src/a.spec.ts', 1),
        ]),
      }),
    },
    {
      name: "a placeholder in a credential's format (ghp_xxxx…), recorded as allowed by the scan",
      facts: withRepo({
        secrets: scanned([
          secret('.env.example', 1, { preview: 'ghp_****xxxx', allowed: { by: 'placeholder', reason: 'a placeholder in the format of a credential' } }),
        ]),
      }),
    },
  ],
  invalid: [
    {
      name: 'a token in source and a key assigned in config/.env, at their lines',
      docExample: 'bad',
      facts: withRepo({
        secrets: scanned([secret('src/a.ts', 3), secret('config/.env', 1, { kind: 'key-value-secret', name: 'API_KEY', preview: '****wxyz' })]),
      }),
      errors: [
        { messageId: 'secretAssigned', capability: { kind: 'server' }, field: 'repo:config/.env', line: 1 },
        { messageId: 'secretFound', capability: { kind: 'server' }, field: 'repo:src/a.ts', line: 3 },
      ],
    },
    {
      name: 'a secret in a test file once ignorePaths is []',
      options: { ignorePaths: [] },
      facts: withRepo({ secrets: scanned([secret('test/a.test.ts', 2)]) }),
      errors: [{ messageId: 'secretFound', capability: { kind: 'server' }, line: 2 }],
    },
  ],
});

const MANIFEST = `{
  "name": "io.github.example/x",
  "packages": [
    {
      "identifier": "@example/x",
      "environmentVariables": [
        { "name": "API_KEY", "description": "key" },
        { "name": "GITHUB_TOKEN", "isSecret": true },
        { "name": "LOG_LEVEL" },
        { "name": "MAX_TOKENS" }
      ]
    }
  ]
}`;
ruleTester.run('secrets/env-not-marked-secret', {
  valid: [
    {
      name: 'a manifest that marks its secrets',
      docExample: 'good',
      facts: withRepo({ serverJson: parseServerJsonText('{"packages":[{"environmentVariables":[{"name":"API_KEY","isSecret":true}]}]}', '/repo/server.json') }),
    },
    { name: 'an unparsable manifest (another rule says so)', facts: withRepo({ serverJson: parseServerJsonText('{', '/repo/server.json') }) },
    { name: 'a .env file outside git, and .env templates', facts: withRepo({ git: false, files: ['.env', '.env.example', 'config/.env.sample'] }) },
  ],
  invalid: [
    {
      name: 'a key-like variable without isSecret, on its line',
      docExample: 'bad',
      facts: withRepo({ serverJson: parseServerJsonText(MANIFEST, '/repo/server.json') }),
      errors: [{ messageId: 'envNotSecret', capability: { kind: 'server' }, line: 7 }],
    },
    {
      name: '.env files committed to git, not their templates',
      facts: withRepo({ files: ['.env', 'apps/api/.env.production', '.env.example', 'src/env.ts', '.envrc'] }),
      errors: [
        { messageId: 'dotenvCommitted', capability: { kind: 'server' }, line: 1 },
        { messageId: 'dotenvCommitted', capability: { kind: 'server' }, line: 1 },
      ],
    },
  ],
});

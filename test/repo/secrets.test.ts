import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSecretFacts, MAX_FILE_BYTES, type SecretAllowEntry } from '../../src/repo/secrets.js';
import { fakeSecrets } from '../secrets/fake-secrets.js';

const fake = fakeSecrets();

/** A temp project holding `files` (path → text); returns its root and file list. */
function project(files: Record<string, string | Buffer>): { root: string; files: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'preflight-secrets-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
  return { root, files: Object.keys(files) };
}

async function scan(files: Record<string, string | Buffer>, allow?: SecretAllowEntry[]) {
  return collectSecretFacts(project(files), allow ? { allow } : {});
}

const where = (facts: Awaited<ReturnType<typeof scan>>) => facts.found.map((f) => `${f.file}:${f.line}:${f.column} ${f.kind}${f.allowed ? ' allowed' : ''}`);

describe('committed-secret facts (src/repo/secrets.ts)', () => {
  it('finds provider keys, a PEM key, a JWT and a random value under a key-like name, with positions, and keeps no raw value', async () => {
    const pem = [
      '-----BEGIN PRIVATE KEY-----',
      ...Array.from({ length: 4 }, (_, i) => `MII${fake.apiKeyValue}${fake.bearer}`.slice(i, i + 60)),
      '-----END PRIVATE KEY-----',
    ].join('\n');
    const facts = await scan({
      'src/config.ts': [
        `export const aws = '${fake.aws}';`,
        `  const gh = "${fake.github}";`,
        `const session = '${fake.jwt}';`,
        `const API_KEY = "${fake.apiKeyValue}";`,
        `const stripe = '${fake.stripe}';`,
      ].join('\n'),
      'keys/id.pem': pem,
      'deploy/.env': `OPENAI_API_KEY=${fake.openai}\n`,
    });
    expect(where(facts)).toEqual([
      'src/config.ts:1:21 aws-access-key-id',
      'src/config.ts:2:15 github-token',
      'src/config.ts:3:18 jwt',
      'src/config.ts:4:18 key-value-secret',
      'src/config.ts:5:17 stripe-live-key',
      'keys/id.pem:1:1 private-key',
      'deploy/.env:1:16 openai-api-key',
    ]);
    expect(facts.found.find((f) => f.kind === 'key-value-secret')).toMatchObject({
      name: 'API_KEY',
      detector: 'patterns',
      preview: `****${fake.apiKeyValue.slice(-4)}`,
    });
    expect(facts.found.find((f) => f.kind === 'github-token')).toMatchObject({
      detector: 'secretlint',
      preview: `ghp_****${fake.github.slice(-4)}`,
      endColumn: 15 + fake.github.length,
    });
    expect(facts.detectors).toEqual(['@secretlint/secretlint-rule-preset-recommend@12.0.0', 'mcp-preflight patterns']);
    const json = JSON.stringify(facts);
    for (const value of [fake.aws, fake.github, fake.jwt, fake.apiKeyValue, fake.stripe, fake.openai, fake.apiKeyValue.slice(0, 12)])
      expect(json).not.toContain(value);
  });

  it('does not take code, lists or words under key-like names for secrets', async () => {
    const facts = await scan({
      'src/a.ts': [
        'const apiKey = readApiKeyFromVault2();',
        "const kind = isBearer ? 'bearerWithoutResource' : 'verifyWithoutAudience';",
        "const token = process.env.TOKEN ?? '';",
        "const secretName = 'weatherApiKeyInVault';",
        "const password = '<password>';",
      ].join('\n'),
      'rules.yaml': 'passwordWords: [password, passwd, passphrase]\napi_key: ${API_KEY}\n',
      'README.md': 'Set `API_KEY=<your key>` or `token: your-token-here`.\n',
    });
    expect(where(facts)).toEqual([]);
  });

  it("records placeholders in a credential's format as allowed, never as found secrets", async () => {
    const x = (count: number) => 'x'.repeat(count);
    const facts = await scan({
      '.env.example': [
        `GITHUB_TOKEN=ghp_${x(36)}`,
        'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX',
        'SLACK_BOT_TOKEN=xoxb-your-bot-token',
        `ANTHROPIC_API_KEY=sk-ant-api03-your-key-here-${x(20)}`,
        'API_KEY=your-api-key-here',
        'TOKEN=<your-token>',
      ].join('\n'),
      'src/a.ts': `const c = '${fake.github}';\n`,
    });
    expect(facts.found.filter((found) => found.allowed === undefined).map((found) => `${found.file}:${found.line} ${found.kind}`)).toEqual([
      'src/a.ts:1 github-token',
    ]);
    const placeholders = facts.found.filter((found) => found.allowed?.by === 'placeholder').map((found) => found.line);
    expect(placeholders).toEqual([1, 2, 3, 4]);
  });

  it('allows the documented AWS example key by default, and config entries by literal, masked form or path', async () => {
    const files = {
      'docs/aws.md': 'Example: AKIAIOSFODNN7EXAMPLE\n',
      'src/a.ts': `const a = '${fake.aws}';\nconst b = '${fake.awsSession}';\nconst c = '${fake.github}';\n`,
      'docs/staging.md': `STAGING_API_KEY=${fake.apiKeyValue}\n`,
    };
    expect(where(await scan(files))).toEqual([
      'docs/aws.md:1:10 aws-access-key-id allowed',
      'src/a.ts:1:12 aws-access-key-id',
      'src/a.ts:2:12 aws-access-key-id',
      'src/a.ts:3:12 github-token',
      'docs/staging.md:1:17 key-value-secret',
    ]);
    const allowed = await scan(files, [
      { value: fake.aws, reason: 'revoked key kept for the migration test' },
      { value: `ghp_****${fake.github.slice(-4)}`, reason: 'masked form from the report' },
      { path: 'docs/**', reason: 'shared read-only staging key' },
      { path: 'other/**', value: fake.awsSession, reason: 'path and value must both match' },
    ]);
    expect(allowed.found.map((f) => [f.file, f.line, f.allowed?.by, f.allowed?.reason])).toEqual([
      ['docs/aws.md', 1, 'documented-example', 'AWS documentation example access key id'],
      ['src/a.ts', 1, 'config', 'revoked key kept for the migration test'],
      ['src/a.ts', 2, undefined, undefined],
      ['src/a.ts', 3, 'config', 'masked form from the report'],
      ['docs/staging.md', 1, 'config', 'shared read-only staging key'],
    ]);
  });

  it('skips binary and oversized files and counts them', async () => {
    const facts = await scan({
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      'data.bin2': Buffer.concat([Buffer.from(fake.github), Buffer.from([0, 1, 2])]),
      'big.txt': `${'x'.repeat(MAX_FILE_BYTES)}\n${fake.github}\n`,
      'ok.txt': `${fake.github}\n`,
    });
    expect(where(facts)).toEqual(['ok.txt:1:1 github-token']);
    expect(facts.skipped).toEqual({ binary: 2, tooLarge: 1, overBudget: 0, unreadable: 0 });
    expect(facts.scanned.files).toBe(1);
  });

  it('does not follow a committed symlink out of the repository', async () => {
    const outside = project({ credentials: `aws_access_key_id = ${fake.aws}\n` });
    const repo = project({ 'src/a.ts': 'export {};\n' });
    symlinkSync(join(outside.root, 'credentials'), join(repo.root, 'creds'));
    const facts = await collectSecretFacts({ root: repo.root, files: [...repo.files, 'creds'] });
    expect(facts.found).toEqual([]);
    expect(facts.scanned.files).toBe(1);
  });

  it('scans extra files outside the listing (a config file elsewhere) with a relative path', async () => {
    const config = project({ 'mcp-preflight.yaml': `targets:\n  - name: api\n    command: node server.js\n    env: { API_TOKEN: "${fake.github}" }\n` });
    const repo = project({ 'src/a.ts': 'export {};\n' });
    const facts = await collectSecretFacts(repo, { extraFiles: [join(config.root, 'mcp-preflight.yaml')] });
    expect(facts.found).toHaveLength(1);
    expect(facts.found[0]!.file).toMatch(/^\.\.\/preflight-secrets-[^/]+\/mcp-preflight\.yaml$/);
    expect(facts.found[0]!.line).toBe(4);
  });
});

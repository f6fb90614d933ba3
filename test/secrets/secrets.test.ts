import { describe, expect, it } from 'vitest';
import { findSecrets, maskDeep, maskSecrets, maskValue } from '../../src/secrets/index.js';
import { fakeSecrets } from './fake-secrets.js';

const secrets = fakeSecrets();

/** [label, text containing the secret, the secret value, expected kind, expected masked form] */
const CASES: Array<[string, string, string, string, string]> = [
  ['AWS access key id', `aws ${secrets.aws} x`, secrets.aws, 'aws-access-key-id', `AKIA****${secrets.aws.slice(-4)}`],
  ['AWS session key id', `id=${secrets.awsSession}`, secrets.awsSession, 'aws-access-key-id', `ASIA****${secrets.awsSession.slice(-4)}`],
  ['GitHub PAT (classic)', `token ${secrets.github}`, secrets.github, 'github-token', `ghp_****${secrets.github.slice(-4)}`],
  ['GitHub OAuth token', secrets.githubOauth, secrets.githubOauth, 'github-token', `gho_****${secrets.githubOauth.slice(-4)}`],
  ['GitHub server token', secrets.githubServer, secrets.githubServer, 'github-token', `ghs_****${secrets.githubServer.slice(-4)}`],
  ['GitHub user token', secrets.githubUser, secrets.githubUser, 'github-token', `ghu_****${secrets.githubUser.slice(-4)}`],
  ['GitHub refresh token', secrets.githubRefresh, secrets.githubRefresh, 'github-token', `ghr_****${secrets.githubRefresh.slice(-4)}`],
  ['GitHub fine-grained PAT', `"${secrets.githubPat}"`, secrets.githubPat, 'github-token', `github_pat_****${secrets.githubPat.slice(-4)}`],
  ['OpenAI key', `OPENAI_API_KEY=${secrets.openai}`, secrets.openai, 'openai-api-key', `sk-****${secrets.openai.slice(-4)}`],
  ['OpenAI project key', secrets.openaiProject, secrets.openaiProject, 'openai-api-key', `sk-proj-****${secrets.openaiProject.slice(-4)}`],
  ['Anthropic key', `key: ${secrets.anthropic}`, secrets.anthropic, 'anthropic-api-key', `sk-ant-****${secrets.anthropic.slice(-4)}`],
  ['Slack token', secrets.slack, secrets.slack, 'slack-token', `xoxb-****${secrets.slack.slice(-4)}`],
  ['Stripe live key', secrets.stripe, secrets.stripe, 'stripe-live-key', `sk_live_****${secrets.stripe.slice(-4)}`],
  ['Stripe restricted key', secrets.stripeRestricted, secrets.stripeRestricted, 'stripe-live-key', `rk_live_****${secrets.stripeRestricted.slice(-4)}`],
  ['Google API key', `?key=${secrets.google}&q=1`, secrets.google, 'google-api-key', `AIza****${secrets.google.slice(-4)}`],
  ['PEM private key', `key:\n${secrets.privateKey}\n`, secrets.privateKey, 'private-key', '-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----'],
  ['JWT', `Authorization: Bearer ${secrets.jwt}`, secrets.jwt, 'jwt', `eyJ****${secrets.jwt.slice(-4)}`],
  ['Bearer token', `Authorization: Bearer ${secrets.bearer}`, secrets.bearer, 'bearer-token', `****${secrets.bearer.slice(-4)}`],
  ['URL password', `postgres://admin:${secrets.urlPassword}@db:5432/app`, secrets.urlPassword, 'url-password', `****${secrets.urlPassword.slice(-4)}`],
  ['key=value assignment', `api_key=${secrets.apiKeyValue}`, secrets.apiKeyValue, 'key-value-secret', `****${secrets.apiKeyValue.slice(-4)}`],
  ['JSON password', '{"password": "hunter2-Hunter2"}', 'hunter2-Hunter2', 'key-value-secret', '****ter2'],
  ['short password assignment', 'DB_PASSWORD=s3cr3t!x', 's3cr3t!x', 'key-value-secret', '****'],
];

describe('findSecrets and maskSecrets', () => {
  it.each(CASES)('find and mask a %s', (_label, text, value, kind, masked) => {
    const found = findSecrets(text);
    expect(found.map((secret) => ({ kind: secret.kind, value: secret.value }))).toEqual([{ kind, value }]);
    expect(text.slice(found[0]?.start, found[0]?.end)).toBe(value);
    const output = maskSecrets(text);
    expect(output).toBe(text.replace(value, masked));
  });

  it.each(CASES)('never shows more than 4 characters of a %s', (_label, text, value) => {
    const output = maskSecrets(text);
    const body = value
      .replace(/-----(?:BEGIN|END) RSA PRIVATE KEY-----/g, '')
      .replace(/^(?:AKIA|ASIA|gh[pousr]_|github_pat_|sk-proj-|sk-ant-|sk-|xoxb-|[sr]k_live_|AIza|eyJ)/, '');
    for (let i = 0; i + 5 <= body.length; i++) expect(output).not.toContain(body.slice(i, i + 5));
  });

  it('is idempotent: masking masked text changes nothing', () => {
    const all = CASES.map(([, text]) => text).join('\n');
    const once = maskSecrets(all);
    expect(maskSecrets(once)).toBe(once);
    expect(findSecrets(once)).toEqual([]);
  });

  it('shows nothing of values shorter than 12 characters', () => {
    expect(maskValue('abc')).toBe('****');
    expect(maskValue('abcdefghijk')).toBe('****');
    expect(maskValue('abcdefghijkl')).toBe('****ijkl');
    expect(maskValue('xoxb-1234567', 'slack-token')).toBe('xoxb-****');
  });

  it.each([
    ['ordinary prose', 'Creates a new issue in the given repository. Returns the issue number and URL.'],
    ['a UUID', 'Session 123e4567-e89b-12d3-a456-426614174000 started.'],
    ['git SHAs', 'Commit 3f786850e387550fdab836ed7e6dc881de23001b (short 3f78685).'],
    ['a kebab-case word starting with sk-', 'Use the sk-learn-compatible-estimator-wrapper-tool.'],
    ['placeholders', 'Authorization: Bearer <token>; postgres://user:password@localhost/db; api_key=${API_KEY}'],
    ['env var names', 'Set GITHUB_TOKEN, OPENAI_API_KEY and AWS_SECRET_ACCESS_KEY in the environment.'],
    ['token counts and types', 'max_tokens=4096, token_type: bearer, tokens: 12'],
    ['a path under pwd', 'pwd=/home/user/project'],
    ['a base64 image header', 'data:image/png;base64,iVBORw0KGgo='],
    ['an ordinary URL', 'https://example.com/docs/tools?page=2#section'],
  ])('finds nothing in %s', (_label, text) => {
    expect(findSecrets(text)).toEqual([]);
    expect(maskSecrets(text)).toBe(text);
  });

  it('is total: odd input never throws', () => {
    expect(maskSecrets(undefined as unknown as string)).toBe('');
    expect(maskSecrets(42 as unknown as string)).toBe('42');
    expect(maskSecrets('')).toBe('');
    expect(() => maskSecrets('\uD800 lone surrogate ' + secrets.github)).not.toThrow();
  });

  // No stopwatch (timed unit tests fail on a loaded machine): catastrophic backtracking would keep
  // this test from finishing at all, and a slow pattern shows in the suite's per-test durations.
  it('masks large and adversarial input without losing the text around it', () => {
    const big = `${'password = '.repeat(20_000)}${'a'.repeat(50_000)} ${'-----BEGIN PRIVATE KEY-----'.repeat(2_000)} ${secrets.github}`;
    const masked = maskSecrets(big);
    expect(masked).not.toContain(secrets.github);
    expect(masked).toContain('a'.repeat(50_000));
  });
});

describe('maskDeep', () => {
  it('masks strings everywhere and whole values under key-like names', () => {
    const value = {
      env: { DB_PASSWORD: 'hunter2', apiKey: 'short', tokens: 5, note: `uses ${secrets.github}` },
      list: [secrets.aws, { client_secret: 'abcdefghijklmnop' }],
      name: 'ok',
    };
    const masked = maskDeep(value);
    expect(masked).toEqual({
      env: { DB_PASSWORD: '****', apiKey: '****', tokens: 5, note: `uses ghp_****${secrets.github.slice(-4)}` },
      list: [`AKIA****${secrets.aws.slice(-4)}`, { client_secret: '****mnop' }],
      name: 'ok',
    });
    expect(value.env.DB_PASSWORD).toBe('hunter2');
  });

  it('survives cycles and deep nesting', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => maskDeep(cyclic)).not.toThrow();
    let deep: unknown = secrets.github;
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(() => maskDeep(deep)).not.toThrow();
  });
});

/**
 * Fake credentials in each provider's format, assembled at run time so that no literal token sits in
 * the repository for secret scanners (GitHub push protection included) to trip over. Deterministic.
 */
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function random(length: number, alphabet = ALPHANUMERIC, seed = length * 7919): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function fakeSecrets() {
  const jwt = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: '1234567890', name: 'Test' })}.${random(43, ALPHANUMERIC, 5)}`;
  return {
    aws: `AKIA${random(16, UPPER_DIGITS, 1)}`,
    awsSession: `ASIA${random(16, UPPER_DIGITS, 2)}`,
    github: `ghp_${random(36, ALPHANUMERIC, 3)}`,
    githubOauth: `gho_${random(36, ALPHANUMERIC, 4)}`,
    githubServer: `ghs_${random(36, ALPHANUMERIC, 6)}`,
    githubUser: `ghu_${random(36, ALPHANUMERIC, 8)}`,
    githubRefresh: `ghr_${random(36, ALPHANUMERIC, 9)}`,
    githubPat: `github_pat_${random(22, ALPHANUMERIC, 10)}_${random(59, ALPHANUMERIC, 11)}`,
    openai: `sk-${random(48, ALPHANUMERIC, 12)}`,
    openaiProject: `sk-proj-${random(56, ALPHANUMERIC, 13)}`,
    anthropic: `sk-ant-api03-${random(80, ALPHANUMERIC, 14)}`,
    slack: `xoxb-${random(12, '0123456789', 15)}-${random(24, ALPHANUMERIC, 16)}`,
    stripe: `sk_live_${random(24, ALPHANUMERIC, 17)}`,
    stripeRestricted: `rk_live_${random(24, ALPHANUMERIC, 18)}`,
    google: `AIza${random(35, ALPHANUMERIC, 19)}`,
    privateKey: ['-----BEGIN RSA PRIVATE KEY-----', random(64, ALPHANUMERIC, 20), random(64, ALPHANUMERIC, 21), '-----END RSA PRIVATE KEY-----'].join('\n'),
    jwt,
    bearer: random(32, ALPHANUMERIC, 22),
    urlPassword: `${random(10, ALPHANUMERIC, 23)}-${random(6, '0123456789', 24)}`,
    apiKeyValue: random(32, ALPHANUMERIC, 25),
  };
}

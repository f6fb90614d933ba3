import { isPlaceholder, looksRandom } from './entropy.js';

/**
 * Formats with a distinctive prefix (`ghp_`, `sk-ant-`, `sk-proj-`, `xoxb-`, `AIza`, `eyJ`) match after `_` and `-`
 * too, so a token glued to an identifier (`canary-ghp_…`, `p_ghp_…`) is still found and masked.
 *
 * Secret formats, most specific first: when two patterns claim the same characters, the earlier one
 * wins (a JWT after `Bearer ` is reported as a JWT, an OpenAI key inside `API_KEY=` as an OpenAI key).
 * Every regex is linear (no nested quantifiers) because maskSecrets runs over every output.
 */
export type SecretKind =
  | 'private-key'
  | 'jwt'
  | 'anthropic-api-key'
  | 'openai-api-key'
  | 'github-token'
  | 'aws-access-key-id'
  | 'slack-token'
  | 'slack-webhook'
  | 'stripe-live-key'
  | 'google-api-key'
  | 'url-password'
  | 'bearer-token'
  | 'basic-auth'
  | 'key-value-secret';

export interface SecretPattern {
  kind: SecretKind;
  /** Global, with indices (`d`), so the secret's capture group can be located. */
  regex: RegExp;
  /** Capture group that holds the secret itself; 0 = whole match. */
  group: number;
  /** The non-secret format marker kept visible when masking (`ghp_`, `AKIA`). */
  visiblePrefix(value: string): string;
  /** Rejects look-alikes the regex alone cannot tell apart. */
  accept?(value: string, match: RegExpExecArray): boolean;
}

const none = (): string => '';
const OPENAI_MARKER = 'T3BlbkFJ';
const leading =
  (pattern: RegExp) =>
  (value: string): string =>
    pattern.exec(value)?.[0] ?? '';

function decodeBase64Url(part: string): string | undefined {
  try {
    return Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

function isJwt(value: string): boolean {
  const header = decodeBase64Url(value.split('.')[0] ?? '');
  if (header === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(header);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passphrase', 'passwords']);
/** Head words that name a credential on their own (`token`, `client_secret`, `set-cookie`). */
const CREDENTIAL_WORDS = new Set([
  'secret',
  'secrets',
  'token',
  'apikey',
  'apitoken',
  'credential',
  'credentials',
  'bearer',
  'authorization',
  'cookie',
  'cookies',
  'accesstoken',
  'authtoken',
  'refreshtoken',
  'idtoken',
  'secretkey',
  'privatekey',
  'accesskey',
  'sessionid',
  'sessiontoken',
  'clientsecret',
]);
/** Head words that name a credential only after a qualifier: `api_key`, `db_pwd`, `access_tokens`; not `key`, `primary_key`, `max_tokens`. */
const QUALIFIED_WORDS = new Set(['key', 'keys', 'pwd', 'tokens']);
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'secret',
  'client',
  'signing',
  'encryption',
  'master',
  'auth',
  'service',
  'account',
  'session',
  'app',
  'consumer',
  'license',
  'webhook',
  'shared',
  'hmac',
  'ssh',
  'deploy',
  'developer',
  'subscription',
  'refresh',
  'bearer',
  'oauth',
  'id',
  'db',
  'user',
  'admin',
  'root',
]);
/** Trailing words that do not change what a name holds: `token_value`, `api_key_b64`, `password_confirm`, `SECRET_2`. */
const NEUTRAL_SUFFIXES = new Set([
  'value',
  'str',
  'string',
  'b64',
  'base64',
  'hex',
  'raw',
  'plain',
  'plaintext',
  'enc',
  'encrypted',
  'hash',
  'hashed',
  'pem',
  'confirm',
  'confirmation',
  'again',
  'repeat',
]);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

type NameKind = 'certain' | 'possible';
const keyLikeCache = new Map<string, NameKind | 'none'>();

/**
 * The one vocabulary of credential names, for detection (`api_key=…`) and for masking by place (what
 * a server puts under such a name is masked whatever its format). A name is credential-like when its
 * head word (the last one, after suffixes like `_value` or `_b64`) names a credential:
 * `password`, `DB_PASSWORD`, `apiKey`, `client-secret`, `x-auth-token`, `Set-Cookie`, `Authorization`,
 * `session_id`, `Mcp-Session-Id`, `api_keys`, `GITHUB_PAT`, and any ALL_CAPS `…_KEY` (`OPENAI_KEY`).
 * Not: `keyword`, `monkey`, `max_tokens`, `primary_key`, `key`, `pwd`, `token_type`, `token_url`,
 * `secret_name`, `session_count`, `authorizationError`, `cookie_name`.
 */
export function isKeyLikeName(name: string): boolean {
  return credentialNameKind(name) !== undefined;
}

/**
 * How sure a credential-like name is: `certain` (`api_key`, `password`, `client_secret`), or
 * `possible`: a session id (`Mcp-Session-Id`) or an ALL_CAPS `…_KEY`/`…_PAT` (`STRIPE_KEY`, but also
 * `CACHE_KEY`). Both are masked by place; the detectors report a value under a `certain` name only,
 * since docs quote example session ids and code has `FINGERPRINT_KEY = 'v1'` constants.
 */
export function credentialNameKind(name: string): NameKind | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) return undefined;
  const cached = keyLikeCache.get(name);
  if (cached !== undefined) return cached === 'none' ? undefined : cached;
  const result = headNamesCredential(name);
  if (keyLikeCache.size > 5_000) keyLikeCache.clear();
  keyLikeCache.set(name, result ?? 'none');
  return result;
}

function headNamesCredential(name: string): NameKind | undefined {
  const words = nameWords(name);
  let head = words.length - 1;
  while (head > 0 && (NEUTRAL_SUFFIXES.has(words[head]!) || /^v?\d+$/.test(words[head]!))) head -= 1;
  const word = words[head];
  if (word === undefined) return undefined;
  const before = words[head - 1];
  if (PASSWORD_WORDS.has(word) || CREDENTIAL_WORDS.has(word)) return word === 'sessionid' ? 'possible' : 'certain';
  if (QUALIFIED_WORDS.has(word) && before !== undefined && KEY_QUALIFIERS.has(before)) return 'certain';
  // `session`, `session_id`, `sessionId`, `Mcp-Session-Id`: a session id is a bearer credential.
  if (word === 'session' || (word === 'id' && before === 'session')) return 'possible';
  // Environment-style names: `STRIPE_KEY`, `MAPBOX_KEY`, `GITHUB_PAT` (lower-case `sort_key` stays a schema word).
  return before !== undefined && (word === 'key' || word === 'pat') && /^[A-Z][A-Z0-9_]*$/.test(name) ? 'possible' : undefined;
}

function isPasswordName(name: string): boolean {
  return nameWords(name).some((word) => PASSWORD_WORDS.has(word));
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'private-key',
    regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/dg,
    group: 0,
    visiblePrefix: leading(/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/),
    // An already-masked block (`-----BEGIN ... KEY-----****-----END ...`) holds nothing left to hide.
    accept: (value) => !/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----\*{4}(?:-----END|$)/.test(value),
  },
  {
    kind: 'jwt',
    regex: /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/dg,
    group: 0,
    visiblePrefix: () => 'eyJ',
    accept: isJwt,
  },
  {
    kind: 'anthropic-api-key',
    regex: /(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{20,}/dg,
    group: 0,
    visiblePrefix: () => 'sk-ant-',
  },
  {
    kind: 'openai-api-key',
    regex: /(?<![A-Za-z0-9])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/dg,
    group: 0,
    visiblePrefix: leading(/^sk-(?:proj-|svcacct-|admin-)?/),
    // Rules out kebab-case words that happen to start with `sk-`. `T3BlbkFJ` (base64 of "openai")
    // marks every legacy key (`sk-` + 20 + `T3BlbkFJ` + 20) and many newer ones, random-looking or not.
    accept: (value) => value.includes(OPENAI_MARKER) || looksRandom(value.replace(/^sk-(?:proj-|svcacct-|admin-)?/, ''), 20, 3.5),
  },
  {
    kind: 'github-token',
    regex: /(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})/dg,
    group: 0,
    visiblePrefix: leading(/^(?:gh[pousr]_|github_pat_)/),
  },
  {
    kind: 'aws-access-key-id',
    regex: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/dg,
    group: 0,
    visiblePrefix: leading(/^[A-Z]{4}/),
  },
  {
    kind: 'slack-token',
    regex: /(?<![A-Za-z0-9])xox[abprse]-[A-Za-z0-9-]{10,}/dg,
    group: 0,
    visiblePrefix: leading(/^xox[a-z]-/),
  },
  {
    kind: 'slack-webhook',
    regex: /https:\/\/hooks\.slack\.com\/services\/(T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,})/dg,
    group: 1,
    visiblePrefix: none,
  },
  {
    kind: 'stripe-live-key',
    regex: /(?<![A-Za-z0-9])(?:sk|rk)_live_[A-Za-z0-9]{16,}/dg,
    group: 0,
    visiblePrefix: leading(/^[a-z]{2}_live_/),
  },
  {
    kind: 'google-api-key',
    regex: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![\w-])/dg,
    group: 0,
    visiblePrefix: () => 'AIza',
  },
  {
    kind: 'url-password',
    regex: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/?#@"'<>]+:([^\s/?#@"'<>]+)@/dgi,
    group: 1,
    visiblePrefix: none,
    accept: (value) => !isPlaceholder(value),
  },
  {
    kind: 'bearer-token',
    regex: /\bbearer\s+([A-Za-z0-9\-._~+/]{12,}=*)/dgi,
    group: 1,
    visiblePrefix: none,
    accept: (value) => looksRandom(value, 12, 3.0),
  },
  {
    kind: 'basic-auth',
    regex: /\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![\w+/=])/dgi,
    group: 1,
    visiblePrefix: none,
    accept: (value) => (decodeBase64Url(value) ?? '').includes(':') && !isPlaceholder(value),
  },
  {
    kind: 'key-value-secret',
    // `name = value`, `name: value`, `"name": "value"`; the value excludes whitespace and quotes.
    regex: /(?<![\w.-])(["']?)([A-Za-z][\w.-]{1,40})\1[ \t]*[:=][ \t]*(["']?)([^\s"'`,;&<>()]{6,200})\3/dg,
    group: 4,
    visiblePrefix: none,
    accept: (value, match) => {
      const name = match[2] ?? '';
      if (credentialNameKind(name) !== 'certain' || isPlaceholder(value)) return false;
      if (isPasswordName(name)) return value.length >= 8 && /[\d\W_]/.test(value) && !/^[/~.]/.test(value);
      return looksRandom(value, 12, 3.0);
    },
  },
];

const BY_KIND = new Map<SecretKind, SecretPattern>(SECRET_PATTERNS.map((pattern) => [pattern.kind, pattern]));

export function patternFor(kind: SecretKind): SecretPattern | undefined {
  return BY_KIND.get(kind);
}

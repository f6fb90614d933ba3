// Masking by place (src/secrets/places.ts and maskDeep): a value a server supplies where credentials
// live is masked whatever its format. UNKNOWN has no format any pattern knows: only its place gives
// it away. Every case is checked both ways: the credential place masks it, an ordinary place keeps it.
import { describe, expect, it } from 'vitest';
import type { PackRule } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { FindingInput } from '../../src/engine/types.js';
import { findSecrets, isKeyLikeName, maskDeep, maskSecrets } from '../../src/secrets/index.js';
import { tool, withTools } from '../helpers/inventory.js';

const UNKNOWN = ['qz', 'Unk9nown', 'Fmt', 'Q2w7E4r1T8'].join('');
const MASKED = `****${UNKNOWN.slice(-4)}`;
// Low entropy on purpose: only the `T3BlbkFJ` marker tells it from a word.
const OPENAI_LEGACY = ['sk-', 'a'.repeat(20), 'T3BlbkFJ', 'h'.repeat(20)].join('');

describe('the credential-name vocabulary (isKeyLikeName)', () => {
  it.each([
    'password',
    'DB_PASSWORD',
    'apiKey',
    'api_key',
    'x-api-key',
    'client-secret',
    'clientSecret',
    'x-auth-token',
    'token',
    'SERVICE_TOKEN',
    'authorization',
    'Proxy-Authorization',
    'cookie',
    'Set-Cookie',
    'session',
    'session_id',
    'sessionId',
    'Mcp-Session-Id',
    'credentials',
    'api_keys',
    'access_tokens',
    'GITHUB_PAT',
    'OPENAI_KEY',
    'db_pwd',
    'token_value',
    'api_key_b64',
    'password_confirm',
    'SECRET_2',
    'apikey',
    'accesstoken',
  ])('%s is credential-like', (name) => {
    expect(isKeyLikeName(name)).toBe(true);
  });

  it.each([
    'keyword',
    'monkey',
    'key',
    'primary_key',
    'sort_key',
    'max_tokens',
    'tokens',
    'pwd',
    'token_type',
    'token_url',
    'secret_name',
    'session_count',
    'session_timeout',
    'authorizationError',
    'cookie_name',
    'encoding',
    'description',
    'default',
    'passport',
    'tokenizer',
    'auth',
    '',
  ])('%s is not', (name) => {
    expect(isKeyLikeName(name)).toBe(false);
  });
});

describe('maskDeep by place', () => {
  const schema = {
    type: 'object',
    properties: {
      api_key: { type: 'string', description: 'Your API key.', default: UNKNOWN, examples: [UNKNOWN], enum: [UNKNOWN, 'other-value-x'] },
      token: { const: UNKNOWN },
      credentials: { type: 'object', properties: { value: { type: 'string', default: UNKNOWN } } },
      api_keys: { type: 'array', items: { type: 'string', default: UNKNOWN }, default: [UNKNOWN] },
      pin: { type: 'string', format: 'password', default: UNKNOWN },
      encoding: { type: 'string', default: 'utf-8', enum: ['utf-8', 'latin1'], examples: [UNKNOWN] },
      keyword: { type: 'string', default: UNKNOWN },
      session_count: { type: 'string', default: UNKNOWN },
    },
  };
  const masked = maskDeep(schema);
  const properties = masked.properties;

  it('masks default, examples, const and enum of credential-named properties, nested ones and items included', () => {
    expect(properties.api_key).toEqual({ type: 'string', description: 'Your API key.', default: MASKED, examples: [MASKED], enum: [MASKED, '****ue-x'] });
    expect(properties.token).toEqual({ const: MASKED });
    expect(properties.credentials.properties.value.default).toBe(MASKED);
    expect(properties.api_keys).toEqual({ type: 'array', items: { type: 'string', default: MASKED }, default: [MASKED] });
    expect(properties.pin.default).toBe(MASKED);
  });

  it('keeps what ordinary properties supply: encoding utf-8, keyword, session_count', () => {
    expect(properties.encoding).toEqual(schema.properties.encoding);
    expect(properties.keyword).toEqual(schema.properties.keyword);
    expect(properties.session_count).toEqual(schema.properties.session_count);
  });

  it('masks header values by name and leaves ordinary headers alone', () => {
    const headers = { 'set-cookie': `sid=${UNKNOWN}; Path=/`, 'mcp-session-id': UNKNOWN, 'content-type': 'application/json' };
    expect(maskDeep(headers)).toEqual({ 'set-cookie': '****th=/', 'mcp-session-id': MASKED, 'content-type': 'application/json' });
  });

  it('is idempotent and leaves the input untouched', () => {
    expect(maskDeep(masked)).toEqual(masked);
    expect(schema.properties.api_key.default).toBe(UNKNOWN);
  });
});

describe('maskSecrets by place (text)', () => {
  it.each([
    ['a KEY=value pair', `SERVICE_TOKEN=${UNKNOWN} started`, `SERVICE_TOKEN=${MASKED} started`],
    ['a quoted pair', `password="${UNKNOWN}"`, `password="${MASKED}"`],
    ['a spaced assignment', `API_TOKEN = '${UNKNOWN}'`, `API_TOKEN = '${MASKED}'`],
    ['a query parameter', `https://x.test/a?api_key=${UNKNOWN}&page=2`, `https://x.test/a?api_key=${MASKED}&page=2`],
    ['a command-line flag', `node s.js --api-key=${UNKNOWN}`, `node s.js --api-key=${MASKED}`],
    ['a credential header line', `X-Api-Key: ${UNKNOWN}\nAuthorization: Token ${UNKNOWN}`, `X-Api-Key: ${MASKED}\nAuthorization: Token ${MASKED}`],
    ['a JSON pair', `{"client_secret": "${UNKNOWN}"}`, `{"client_secret": "${MASKED}"}`],
    [
      'a schema in JSON',
      `{"properties":{"api_key":{"type":"string","default":"${UNKNOWN}","enum":["${UNKNOWN}"]}}}`,
      `{"properties":{"api_key":{"type":"string","default":"${MASKED}","enum":["${MASKED}"]}}}`,
    ],
    ['a schema cut at its end', `{"properties":{"token":{"type":"string","examples":["${UNKNOWN}`, `{"properties":{"token":{"type":"string","examples":["****`],
    [
      'a JSON-RPC line cut inside the value',
      `{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"t","inputSchema":{"properties":{"api_key":{"default":"${UNKNOWN.slice(0, 15)}`,
      `{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"t","inputSchema":{"properties":{"api_key":{"default":"****`,
    ],
    ['a schema whose start was cut off', `ng","default":"${UNKNOWN}"}},"required":[]}`, `ng","default":"${MASKED}"}},"required":[]}`],
    ['an evidence label', `api_key: {"default":"${UNKNOWN}"}`, `api_key: {"default":"${MASKED}"}`],
    ['JSON in a JSON string', `"{\\"token\\":{\\"default\\":\\"${UNKNOWN}\\"}}"`, `"{\\"token\\":{\\"default\\":\\"${MASKED}\\"}}"`],
    ['an OpenAI legacy key anywhere', `use ${OPENAI_LEGACY} here`, `use sk-****hhhh here`],
  ])('masks %s', (_label, text, expected) => {
    expect(maskSecrets(text)).toBe(expected);
    expect(maskSecrets(expected)).toBe(expected);
  });

  it.each([
    ['an ordinary pair', `encoding=utf-8 mode=${UNKNOWN}`],
    ['an ordinary JSON default', `{"properties":{"encoding":{"type":"string","default":"utf-8"},"keyword":{"default":"${UNKNOWN}"}}}`],
    ['references', 'api_key=${API_KEY} token=$TOKEN password=<password> {"secret": "{{secret}}"} Authorization: Bearer <token>'],
    ['prose with a credential word before a colon', `Token: required. The session_count=${UNKNOWN} keyword=${UNKNOWN}`],
    ['prose with a credential word before an equals sign', 'the token = the key you were given'],
    ['counts and types', 'max_tokens=4096, token_type: bearer, tokens: 12, pwd=/home/user/project'],
    ['prose with stray quotes and braces', `He said "default": "${UNKNOWN}" and left { "a": 1 }.`],
  ])('keeps %s', (_label, text) => {
    expect(maskSecrets(text)).toBe(text);
  });

  it('finds the legacy OpenAI shape as a secret (detection, not only masking)', () => {
    expect(findSecrets(`key ${OPENAI_LEGACY}`).map((secret) => secret.kind)).toEqual(['openai-api-key']);
  });

  it.each([
    ['a session id in docs', 'Mcp-Session-Id: 1f0c6a3e-5b7d-4f0e-9a59-2b8e3c1d7f64', 'Mcp-Session-Id: ****7f64'],
    ['an ALL_CAPS _KEY constant', "const FINGERPRINT_KEY = 'preflight-fp/v1';", "const FINGERPRINT_KEY = '****p/v1';"],
  ])('masks %s but does not report it as a leaked secret', (_label, text, masked) => {
    expect(findSecrets(text)).toEqual([]);
    expect(maskSecrets(text)).toBe(masked);
  });

  it('place masking never turns into detection: the rules see no secret in a KEY=value of unknown format', () => {
    expect(findSecrets(`SERVICE_TOKEN=${'abcdefghijkl'}`)).toEqual([]);
  });

  it('is total on odd input', () => {
    for (const text of ['"', '{', '}]}]', '"a":', '\\"', '=', 'token=', ':', `${'{"token":'.repeat(2_000)}`, '"\\', '\uD800"token":"x\uDC00"']) {
      expect(() => maskSecrets(text)).not.toThrow();
      expect(maskSecrets(maskSecrets(text))).toBe(maskSecrets(text));
    }
  });
});

describe('findings on a credential place (the engine)', () => {
  const rule: PackRule = {
    id: 'demo/quote',
    pack: 'demo',
    level: 'warning',
    title: 'Demo',
    rationale: 'Why.',
    fix: 'How.',
    references: [],
    tags: [],
    facts: ['live'],
    securitySeverity: '5.0',
    precision: 'high',
    messages: { found: 'Odd text near {{near}} in {{field}}.' },
    check: 'demo/quote',
  };
  const served = withTools(
    tool('t', {
      inputSchema: { type: 'object', properties: { api_key: { type: 'string', default: UNKNOWN }, encoding: { type: 'string', default: 'utf-8-and-more' } } },
    }),
  );
  const finding = (field: string, near: string) => {
    const input: FindingInput = { messageId: 'found', data: { near }, capability: { kind: 'tool', name: 't' }, field, evidence: `near "${near}"` };
    const { findings } = runRules(served, [rule], {
      targetId: 'srv',
      resolveCheck:
        () =>
        ({ report }) =>
          report(input),
    });
    return findings[0]!;
  };

  it('hides the value, whole or cut short, though the check quoted it without its name', () => {
    for (const near of [UNKNOWN, UNKNOWN.slice(0, 14)]) {
      const masked = finding('inputSchema.properties.api_key.default', near);
      for (const text of [masked.message, masked.evidence!, String(masked.data.near)]) expect(text).not.toContain(UNKNOWN.slice(2, 10));
    }
    expect(finding('inputSchema.properties.api_key.default', UNKNOWN).evidence).toBe(`near "${MASKED}"`);
  });

  it('keeps what an ordinary property supplies', () => {
    expect(finding('inputSchema.properties.encoding.default', 'utf-8-and-more').evidence).toBe('near "utf-8-and-more"');
  });
});

describe('maskDeep keeps every property a server sent', () => {
  it('keeps a property named __proto__ as a property (JSON.parse makes it an own key)', () => {
    const served = JSON.parse('{"properties":{"__proto__":{"type":"string","description":"odd but legal"}}}') as Record<string, unknown>;
    const masked = maskDeep(served) as { properties: Record<string, unknown> };
    expect(Object.keys(masked.properties)).toEqual(['__proto__']);
    expect(JSON.stringify(masked)).toBe(JSON.stringify(served));
    expect(Object.getPrototypeOf(masked.properties)).toBe(Object.prototype);
  });
});

// maskedJson (src/secrets/mask.ts) is what the JSON and SARIF reports and `discover --format json`
// print: it must be exactly JSON.stringify(maskDeep(value), null, space), secrets masked in every
// string and every credential place, while serialising unchanged objects in place of their copies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskDeep, maskedJson } from '../../src/secrets/index.js';
import { fakeSecrets } from './fake-secrets.js';

const secrets = fakeSecrets();
/** Not any provider's format: only its place can hide it. */
const UNKNOWN = 'zq7Hk2mWx9Lp4Rt8Vb3Nc6';

const viaCopy = (value: unknown, space?: number): string => JSON.stringify(maskDeep(value), null, space);

describe('maskedJson', () => {
  it('masks recognised secrets in any string and unknown ones by place, like maskDeep', () => {
    const value = {
      name: 'lookup',
      description: `uses ${secrets.github} internally`,
      inputSchema: {
        type: 'object',
        properties: {
          api_key: { type: 'string', default: UNKNOWN, enum: [UNKNOWN] },
          pin: { type: 'string', format: 'password', examples: [UNKNOWN] },
          note: { type: 'string', default: 'plain words' },
        },
      },
      env: { SERVICE_TOKEN: UNKNOWN, DEBUG: '1' },
      [`key ${secrets.aws}`]: 'a secret in a key',
    };
    const text = maskedJson(value, 2);
    expect(text).toBe(viaCopy(value, 2));
    for (const raw of [secrets.github, secrets.aws, UNKNOWN]) expect(text).not.toContain(raw);
    expect(text).toContain('plain words');
  });

  it('masks an object shared by a credential place and an ordinary one in the credential place only', () => {
    const shared = { type: 'string', default: UNKNOWN };
    const value = { properties: { encoding: shared, api_key: shared, again: shared } };
    const text = maskedJson(value);
    expect(text).toBe(viaCopy(value));
    const parsed = JSON.parse(text) as { properties: Record<string, { default: string }> };
    expect(parsed.properties.encoding!.default).toBe(UNKNOWN);
    expect(parsed.properties.api_key!.default).not.toContain(UNKNOWN.slice(0, 8));
    expect(parsed.properties.again!.default).toBe(UNKNOWN);
  });

  it('gives the same text as the copy for values JSON.stringify treats specially', () => {
    class WithToJson {
      constructor(readonly secret: string) {}
      toJSON(): string {
        return this.secret;
      }
    }
    const sparse: unknown[] = [1];
    sparse[3] = secrets.github;
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { token: UNKNOWN, ok: 'yes' });
    const value = {
      date: new Date(0),
      classy: new WithToJson(secrets.github),
      ownToJson: { toJSON: () => 'own toJSON words', other: 1 },
      boxed: new String('boxed words'),
      nullProto,
      sparse,
      special: [NaN, Infinity, -0, undefined, () => 1, null, true],
      nothing: undefined,
      served: JSON.parse('{"__proto__":{"type":"string","default":"x"}}') as unknown,
    };
    expect(maskedJson(value, 2)).toBe(viaCopy(value, 2));
    expect(maskedJson(value, 2)).not.toContain(secrets.github);
  });

  it('cuts cycles and deep nesting as maskDeep does, and serialises without throwing', () => {
    const cyclic: Record<string, unknown> = { a: { b: 'plain' } };
    cyclic.self = cyclic;
    (cyclic.a as Record<string, unknown>).up = cyclic;
    let deep: unknown = secrets.github;
    for (let i = 0; i < 200; i++) deep = [deep];
    let deepObject: unknown = { leaf: 'words' };
    for (let i = 0; i < 100; i++) deepObject = { next: deepObject };
    for (const value of [cyclic, deep, deepObject]) {
      expect(maskedJson(value, 2)).toBe(viaCopy(value, 2));
      expect(maskedJson(value)).toContain('[…]');
    }
  });

  it('leaves its input untouched', () => {
    const value = { headers: { 'set-cookie': `sid=${UNKNOWN}` }, list: [secrets.github, { password: 'hunter22' }] };
    const before = structuredClone(value);
    maskedJson(value);
    expect(value).toEqual(before);
  });

  it('is the copy’s text for arbitrary JSON with credential names and secrets mixed in', () => {
    const keys = fc.constantFrom('api_key', 'password', 'default', 'enum', 'examples', 'format', 'name', 'description', 'properties', '__proto__', 'x');
    const strings = fc.oneof(
      fc.string(),
      fc.constantFrom(secrets.github, secrets.aws, UNKNOWN, 'password', `TOKEN=${UNKNOWN}`, `Authorization: Bearer ${UNKNOWN}`),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, strings, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 4 }),
      object: fc.dictionary(fc.oneof(keys, fc.string()), tie('node'), { maxKeys: 5 }),
    })).node;
    fc.assert(
      fc.property(tree, fc.constantFrom(undefined, 2), (value, space) => {
        const copy = viaCopy(value, space);
        expect(maskedJson(value, space)).toBe(copy);
      }),
      { numRuns: 300 },
    );
  });
});

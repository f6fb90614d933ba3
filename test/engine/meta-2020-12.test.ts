import { createRequire } from 'node:module';
import fc from 'fast-check';
import type { Ajv as AjvCore } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/engine/generated/meta-2020-12.js';
import { AJV_OPTIONS, META_2020_12 } from '../../scripts/meta-validator.mjs';

/**
 * The build-time 2020-12 meta-schema validator (scripts/meta-validator.mjs) stands in for
 * `ajv.validateSchema` in schema/invalid-json-schema: on any schema it must give ajv's verdict and
 * first error, which the rule's message quotes.
 */

const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020.js') as { default: new (options: object) => AjvCore }).default;
const ajv = new Ajv2020(AJV_OPTIONS);
const precompiled = validate as unknown as ((schema: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

function verdicts(schema: Record<string, unknown>) {
  const expected = ajv.validateSchema(schema);
  const first = ajv.errors?.[0];
  const actual = precompiled(schema);
  const mine = precompiled.errors?.[0];
  return {
    expected: { valid: expected, at: first?.instancePath, message: first?.message },
    actual: { valid: actual, at: mine?.instancePath, message: mine?.message },
  };
}

const keyword = fc.constantFrom(
  'type',
  'properties',
  'required',
  'items',
  'prefixItems',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'additionalProperties',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  '$ref',
  '$defs',
  '$id',
  '$anchor',
  '$dynamicRef',
  'format',
  'minimum',
  'exclusiveMinimum',
  'multipleOf',
  'dependentRequired',
  'uniqueItems',
  'description',
  'x-custom',
);
const leaf = fc.oneof(
  fc.constantFrom('string', 'object', 'array', 'number', 'integer', 'boolean', 'null', 'strnig', '#/$defs/a', '^a+$', ''),
  fc.integer({ min: -3, max: 5 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const { schema } = fc.letrec((tie) => ({
  schema: fc.dictionary(keyword, tie('value'), { maxKeys: 5 }),
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    tie('schema'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 3 }),
  ),
}));

describe('the precompiled 2020-12 meta-schema validator', () => {
  it('agrees with ajv.validateSchema on verdict and first error, for any schema', () => {
    fc.assert(
      fc.property(schema, (input) => {
        const { expected, actual } = verdicts(input);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on hand-picked valid and invalid schemas (some of each)', () => {
    const cases: Array<Record<string, unknown>> = [
      { type: 'object', properties: { a: { type: 'string', maxLength: 3 } }, required: ['a'], additionalProperties: false },
      { $schema: META_2020_12, type: 'object' },
      { type: 'strnig' },
      { properties: [] },
      { required: 'a' },
      { minLength: -1 },
      { items: [{ type: 'string' }] },
      { $defs: { a: { type: 'integer' } }, $ref: '#/$defs/a' },
      { anyOf: [] },
    ];
    const valid = cases.map((input) => {
      const { expected, actual } = verdicts(input);
      expect(actual).toEqual(expected);
      return expected.valid;
    });
    expect(valid).toContain(true);
    expect(valid).toContain(false);
  });
});

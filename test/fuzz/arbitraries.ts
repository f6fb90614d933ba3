// fast-check arbitraries shared by the fuzz tests: JSON as a server or a user could write it, biased
// towards the keys the code reads so the generated values reach past the first type check.
import fc from 'fast-check';

/**
 * Fixed seed and bounded runs: the fuzz tests are part of `npm test`, reproducible and quick.
 * FUZZ_SEED / FUZZ_RUNS override them for a deeper search by hand (never in CI).
 */
/** Runs are bounded by count, not time: a generous limit keeps them green on a loaded machine. */
export const FUZZ_TIMEOUT_MS = 300_000;

export function fuzzParameters(numRuns: number): { seed: number; numRuns: number; endOnFailure: true } {
  const seed = process.env.FUZZ_SEED === undefined ? 0x5eed12 : Number(process.env.FUZZ_SEED);
  return { seed, numRuns: process.env.FUZZ_RUNS === undefined ? numRuns : Number(process.env.FUZZ_RUNS), endOnFailure: true };
}

const awkwardStrings = fc.constantFrom(
  '',
  ' ',
  '__proto__',
  'constructor',
  'toString',
  '{{name}}',
  '${HOME}',
  '\u0000',
  '\u202e\u200b',
  'ghp_0123456789abcdefghijABCDEFGHIJ012345',
  'x'.repeat(1000),
  'object',
  'string',
  'https://evil.example/',
  '-1',
  'NaN',
);

export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: awkwardStrings },
);

/** Any JSON value, with awkward strings and keys. */
export const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A record with some of `keys`, each holding a value from `values[key]` or any JSON. */
export function shaped(keys: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const withJson = Object.fromEntries(
    Object.entries(keys).map(([key, value]) => [key, fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: json })]),
  );
  return fc.record(withJson, { requiredKeys: [] });
}

const schemaLike: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small' },
    json,
    shaped({
      type: fc.constantFrom('object', 'string', 'integer', 'array', 'number', 'boolean', 'null', ['string', 'null']),
      properties: fc.dictionary(text, tie('schema'), { maxKeys: 4 }),
      required: fc.array(text, { maxLength: 3 }),
      additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
      items: tie('schema'),
      enum: fc.array(json, { maxLength: 3 }),
      default: json,
      const: json,
      examples: fc.array(json, { maxLength: 2 }),
      description: text,
      maxLength: fc.integer(),
      pattern: text,
      format: fc.constantFrom('uri', 'email', 'date-time', 'nope'),
      $ref: fc.constantFrom('#', '#/properties/x', '#/$defs/a', 'http://127.0.0.1:1/x'),
      $defs: fc.dictionary(text, tie('schema'), { maxKeys: 2 }),
      $schema: fc.constantFrom('https://json-schema.org/draft/2020-12/schema', 'http://json-schema.org/draft-07/schema#', 'urn:nope'),
      anyOf: fc.array(tie('schema'), { maxLength: 2 }),
      oneOf: fc.array(tie('schema'), { maxLength: 2 }),
    }),
  ),
})).schema;

const annotations = shaped({ title: text, readOnlyHint: json, destructiveHint: json, idempotentHint: json, openWorldHint: json });
const icons = fc.array(shaped({ src: text, mimeType: text, sizes: json }), { maxLength: 2 });
const meta = fc.dictionary(text, json, { maxKeys: 3 });

const tool = shaped({ name: text, title: text, description: text, inputSchema: schemaLike, outputSchema: schemaLike, annotations, icons, _meta: meta });
const resource = shaped({ uri: text, name: text, title: text, description: text, mimeType: text, size: json, annotations, icons, _meta: meta });
const template = shaped({ uriTemplate: text, name: text, title: text, description: text, mimeType: text, annotations, _meta: meta });
const prompt = shaped({
  name: text,
  title: text,
  description: text,
  arguments: fc.array(shaped({ name: text, description: text, required: json }), { maxLength: 3 }),
  _meta: meta,
});

/** Items of one list as a server could send them: mostly capability-shaped, sometimes anything. */
function items(shape: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown[]> {
  return fc.array(fc.oneof({ weight: 5, arbitrary: shape }, { weight: 1, arbitrary: json }), { maxLength: 5 });
}

/**
 * Pages as they arrive: through JSON, as a server sends them. (fast-check's null-prototype objects,
 * which it makes to hold a "__proto__" key, cannot come off the wire; JSON.parse gives that key as
 * an ordinary own property.)
 */
export const pages = fc
  .record({ tools: items(tool), resources: items(resource), resourceTemplates: items(template), prompts: items(prompt) })
  .map((served) => JSON.parse(JSON.stringify(served)) as typeof served);
export type Pages = { tools: unknown[]; resources: unknown[]; resourceTemplates: unknown[]; prompts: unknown[] };

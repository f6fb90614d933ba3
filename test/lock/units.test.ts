import { describe, expect, it } from 'vitest';
import { normaliseAnnotations, normaliseSchema } from '../../src/lock/normalise.js';
import { compareSchemas } from '../../src/lock/schema-diff.js';
import { diffExcerpt, visible, wordDiff } from '../../src/lock/word-diff.js';

const schema = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => normaliseSchema({ type: 'object', properties, ...extra });

describe('normaliseSchema / normaliseAnnotations', () => {
  it('sorts keys and writes out JSON Schema defaults of object schemas, at every depth', () => {
    expect(JSON.stringify(normaliseSchema({ type: 'object', properties: { b: { type: 'object' }, a: { type: 'string' } }, required: ['b', 'a'] }))).toBe(
      JSON.stringify({
        additionalProperties: true,
        properties: { a: { type: 'string' }, b: { additionalProperties: true, properties: {}, required: [], type: 'object' } },
        required: ['a', 'b'],
        type: 'object',
      }),
    );
  });

  it('writes out the specification defaults of unset hints and keeps set ones', () => {
    expect(normaliseAnnotations(undefined)).toEqual({ destructiveHint: true, idempotentHint: false, openWorldHint: true, readOnlyHint: false });
    expect(normaliseAnnotations({ readOnlyHint: true, title: 'T' })).toEqual({
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
      readOnlyHint: true,
      title: 'T',
    });
  });
});

describe('compareSchemas', () => {
  const base = schema(
    { mode: { type: 'string', enum: ['a', 'b'], pattern: '^[ab]$' }, n: { type: 'integer', maximum: 10 } },
    { required: ['mode'], additionalProperties: false },
  );

  it('reports nothing for the same schema written in another key order', () => {
    const reordered = normaliseSchema({
      additionalProperties: false,
      required: ['mode'],
      properties: { n: { maximum: 10, type: 'integer' }, mode: { pattern: '^[ab]$', enum: ['a', 'b'], type: 'string' } },
      type: 'object',
    });
    expect(compareSchemas(base, reordered)).toEqual({ loosened: [], tightened: [] });
  });

  it('calls each widening a loosening: enum and pattern removed, type widened, required dropped, new required parameter', () => {
    const after = schema(
      { mode: { type: 'string' }, n: { type: 'number', maximum: 10 }, extra: { type: 'string' } },
      { required: ['extra'], additionalProperties: false },
    );
    expect(compareSchemas(base, after)).toEqual({
      loosened: [
        'inputSchema.properties.extra: new required parameter',
        'inputSchema.properties.mode.pattern: "^[ab]$" → unset',
        'inputSchema.properties.mode.enum: removed',
        'inputSchema.properties.n.type: "integer" → "number"',
        'inputSchema.required: "mode" no longer required',
      ],
      tightened: [],
    });
  });

  it('calls the reverse a tightening: enum value removed, bound lowered, parameter removed, additionalProperties closed', () => {
    const before = schema({ mode: { type: 'string', enum: ['a', 'b'] }, n: { type: 'integer', maximum: 10 }, gone: { type: 'string' } });
    const after = schema({ mode: { type: 'string', enum: ['a'] }, n: { type: 'integer', maximum: 5 } }, { additionalProperties: false });
    expect(compareSchemas(before, after)).toEqual({
      loosened: [],
      tightened: [
        'inputSchema.additionalProperties: true → false',
        'inputSchema.properties.gone: parameter removed',
        'inputSchema.properties.mode.enum: "b" removed',
        'inputSchema.properties.n.maximum: 10 → 5',
      ],
    });
  });

  it('a type narrowed (string or null → string) is a tightening; a changed pattern counts as loosening', () => {
    const before = schema({ s: { type: ['string', 'null'], pattern: '^a$' } });
    const after = schema({ s: { type: 'string', pattern: '^b$' } });
    expect(compareSchemas(before, after)).toEqual({
      loosened: ['inputSchema.properties.s.pattern: "^a$" → "^b$"'],
      tightened: ['inputSchema.properties.s.type: ["string","null"] → "string"'],
    });
  });
});

describe('wordDiff', () => {
  it('spells out zero-width, bidi and tag characters', () => {
    expect(visible('a\u200Bb\u202Ec\u{E0041}')).toBe('a<U+200B>b<U+202E>c<U+E0041>');
  });

  it('marks removed then added words and leaves the rest as is', () => {
    expect(wordDiff('read the file now', 'read a file now')).toBe('read [-the-]{+a+} file now');
    expect(wordDiff('same', 'same')).toBe('same');
    expect(wordDiff('', 'new text')).toBe('{+new text+}');
  });

  it('bounds the excerpt and starts it near the first change', () => {
    const long = `${'word '.repeat(100)}end`;
    const excerpt = diffExcerpt(wordDiff(long, `${long} added`), 60);
    expect(excerpt.startsWith('…')).toBe(true);
    expect(excerpt).toContain('{+ added+}');
    expect(excerpt.length).toBeLessThanOrEqual(60);
  });
});

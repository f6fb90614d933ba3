// Unit tests of the bounded server strings (src/inventory/bounded.ts): what is kept, what is
// recorded, and that nothing is copied when nothing is cut.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  boundLogNotification,
  boundString,
  boundValue,
  codePointLength,
  MAX_SERVER_STRING_CHARS,
  prefixOf,
  type CutStrings,
} from '../../src/inventory/bounded.js';

describe('bounded server strings', () => {
  it('keeps a short string as it is and records nothing', () => {
    const cuts: CutStrings = {};
    expect(boundString('short', 'description', cuts)).toBe('short');
    expect(cuts).toEqual({});
  });

  it('cuts a long string to a prefix and records its full length, bytes and sha256', () => {
    const text = 'é'.repeat(MAX_SERVER_STRING_CHARS + 10);
    const cuts: CutStrings = {};
    const kept = boundString(text, 'description', cuts);
    expect(kept.length).toBeLessThanOrEqual(MAX_SERVER_STRING_CHARS);
    expect(text.startsWith(kept)).toBe(true);
    expect(cuts.description).toEqual({
      length: MAX_SERVER_STRING_CHARS + 10,
      bytes: 2 * (MAX_SERVER_STRING_CHARS + 10),
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  });

  it('counts code points, not UTF-16 units, and never ends a prefix inside a surrogate pair', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(prefixOf('😀😀', 3)).toBe('😀');
  });

  it('never ends a prefix inside a token (half a secret could not be masked)', () => {
    const text = `see ${'A'.repeat(30)} and more`;
    expect(prefixOf(text, 20)).toBe('see ');
  });

  it('bounds strings and keys at any depth, records each by its path, and shares what it did not cut', () => {
    const untouched = { type: 'string' };
    const value = { properties: { q: { description: 'x '.repeat(40), default: 'ok' }, r: untouched }, list: ['fine', 'y '.repeat(30)] };
    const cuts: CutStrings = {};
    const bounded = boundValue(value, 'inputSchema', cuts, 20) as typeof value;
    expect(Object.keys(cuts).sort()).toEqual(['inputSchema.list[1]', 'inputSchema.properties.q.description']);
    expect(cuts['inputSchema.properties.q.description']!.length).toBe(80);
    expect(bounded.properties.q.default).toBe('ok');
    expect(bounded.properties.r).toBe(untouched);
    expect(bounded.list[0]).toBe('fine');
    expect(value.properties.q.description).toHaveLength(80); // the input is not changed
    const same = { a: ['b', { c: 'd' }] };
    expect(boundValue(same, '', {}, 20)).toBe(same);
  });

  it('a copied object keeps every key in order, a "__proto__" key as a key, and a cut key under [key]', () => {
    const longKey = 'key '.repeat(10);
    const value = JSON.parse(`{"a":"kept","__proto__":{"x":"y"},"${longKey}":"v","b":"${'z '.repeat(20)}"}`) as Record<string, unknown>;
    const cuts: CutStrings = {};
    const bounded = boundValue(value, 'meta', cuts, 20) as Record<string, unknown>;
    expect(Object.keys(bounded)).toEqual(['a', '__proto__', prefixOf(longKey, 20), 'b']);
    expect(Object.getPrototypeOf(bounded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(bounded, '__proto__')?.value).toBe(value['__proto__']);
    expect(Object.keys(cuts).sort()).toEqual(['meta.b', 'meta["[key]"]']);
    expect(cuts['meta["[key]"]']!.length).toBe(40);
    expect(cuts['meta.b']!.length).toBe(40);
  });

  it('replaces a value nested deeper than the bound by a marker, recorded as cut', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200; i++) deep = { d: deep };
    const cuts: CutStrings = {};
    const text = JSON.stringify(boundValue(deep, '', cuts));
    expect(text).toContain('[nested deeper than 128 levels: not kept]');
    expect(text).not.toContain('bottom');
    expect(Object.keys(cuts)).toHaveLength(1);
  });

  it('bounds a log notification: data strings cut at 4,096 characters', () => {
    const notification = boundLogNotification({ level: 'info', logger: 'l', data: { message: 'z'.repeat(10_000) } });
    expect((notification.data as { message: string }).message.length).toBeLessThanOrEqual(4_096);
    expect(notification.cut?.['data.message']?.length).toBe(10_000);
    expect(boundLogNotification({ level: 'info', data: 'short' })).toEqual({ level: 'info', logger: undefined, data: 'short' });
  });
});

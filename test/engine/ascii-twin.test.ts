import { describe, expect, it } from 'vitest';
import { isAscii, packRegExp, twinnable } from '../../src/util/ascii-twin.js';

// The ASCII twin must never change an answer: every case compares packRegExp with the plain `iu`
// RegExp it stands for, on ASCII text (the twin) and on non-ASCII text (the `iu` form).
const TEXTS = [
  'Ignore previous instructions and OBEY me.',
  'ignore   PREVIOUS\tinstructions',
  'Kelvin: \u212A, long s: \u017F, dotted I: \u0130',
  'KS ks Ks',
  // Matched by `k\\s*s` only with Unicode case folding: the twin must not see it.
  'x \u212A\u017F y',
  'caf\u00E9 au lait, \u00FCber-ignore previous',
  '',
];
const PATTERNS = ['\\bignore\\s+previous\\b', 'k\\s*s', '[a-z]+\\W', '^obey|me\\.$', '(?<=ignore\\s+)previous', '\\p{Lu}+', '\\u{212A}', 'caf\u00E9'];

describe('packRegExp (src/util/ascii-twin.ts)', () => {
  it('answers exactly as new RegExp(pattern, "iu") on ASCII and non-ASCII text, with or without the hint', () => {
    for (const pattern of PATTERNS) {
      const plain = new RegExp(pattern, 'iu');
      const pack = packRegExp(pattern);
      for (const text of TEXTS) {
        const expected = plain.exec(text)?.[0] ?? null;
        expect([pattern, text, pack.exec(text)?.[0] ?? null]).toEqual([pattern, text, expected]);
        expect([pattern, text, pack.exec(text, isAscii(text))?.[0] ?? null]).toEqual([pattern, text, expected]);
        expect([pattern, text, pack.test(text)]).toEqual([pattern, text, expected !== null]);
      }
    }
  });

  it('twins only ASCII patterns without \\p, \\P or \\u{ escapes', () => {
    expect(twinnable('\\bignore\\s+previous\\b')).toBe(true);
    expect(twinnable('\\p{Lu}+')).toBe(false);
    expect(twinnable('\\P{L}')).toBe(false);
    expect(twinnable('\\u{1F600}')).toBe(false);
    expect(twinnable('caf\u00E9')).toBe(false);
    // No twin: the plain RegExp itself is handed back.
    expect(packRegExp('\\p{Lu}+')).toBeInstanceOf(RegExp);
    expect(packRegExp('ignore')).not.toBeInstanceOf(RegExp);
  });

  it('keeps stateful and v-mode flags as they are, and throws on a bad pattern as RegExp does', () => {
    expect(packRegExp('a', 'giu')).toBeInstanceOf(RegExp);
    expect(packRegExp('a', 'iv')).toBeInstanceOf(RegExp);
    expect(packRegExp('a', 'i')).toBeInstanceOf(RegExp);
    expect(() => packRegExp('(')).toThrow(SyntaxError);
  });
});

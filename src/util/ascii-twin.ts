/**
 * Rules match their pack's patterns with flags `iu`. V8 runs an `iu` regex several times slower than
 * the same pattern with `i` alone, and on ASCII text the two agree when the pattern is ASCII and has
 * no `\p`/`\P`/`\u{` escape: Unicode case folding only adds the non-ASCII ſ and K, which ASCII text
 * does not contain (issue 18). So a rule keeps both and picks by the text.
 */

const ASCII = /^[\x00-\x7F]*$/;

export function isAscii(text: string): boolean {
  return ASCII.test(text);
}

/** Whether an `iu` pattern and its `i`-only twin provably match ASCII text the same way. */
export function twinnable(pattern: string): boolean {
  return ASCII.test(pattern) && !/\\[pP]|\\u\{/.test(pattern);
}

/**
 * A pack pattern used with `test` and `exec`; picks its twin by the text. `asciiText` is
 * isAscii(text) when the caller already knows it (one text against many patterns).
 */
export interface PackRegExp {
  readonly source: string;
  test(text: string, asciiText?: boolean): boolean;
  exec(text: string, asciiText?: boolean): RegExpExecArray | null;
}

/**
 * `new RegExp(pattern, flags)` (flags `iu` unless the pack says otherwise), throwing as it does,
 * with an ASCII twin (the same flags without `u`) when the flags hold `u` and no stateful `g`/`y`
 * or `v`. Unless told, each call checks the text: a scan of it, cheap beside an `iu` match.
 */
export function packRegExp(pattern: string, flags = 'iu'): PackRegExp {
  const regex = new RegExp(pattern, flags);
  const ascii = /^[ims]*u[ims]*$/.test(flags) && twinnable(pattern) ? tryRegExp(pattern, flags.replace('u', '')) : undefined;
  if (ascii === undefined) return regex;
  const pick = (text: string, asciiText = ASCII.test(text)): RegExp => (asciiText ? ascii : regex);
  return {
    source: regex.source,
    test: (text, asciiText) => pick(text, asciiText).test(text),
    exec: (text, asciiText) => pick(text, asciiText).exec(text),
  };
}

function tryRegExp(pattern: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}

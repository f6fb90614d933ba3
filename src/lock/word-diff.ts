/**
 * A word diff for reviewing a changed description: `[-removed-]{+added+}`, as `git diff --word-diff`
 * prints it, with every invisible or look-alike character spelled out (`<U+200B>`) so an edit that
 * only adds a zero-width space or a tag character is as visible as any other.
 */

// Controls, format characters (zero-width, bidi, tags), unusual spaces, variation selectors, no-break space.
const INVISIBLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;

/** Every invisible character as `<U+XXXX>`. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (char) => `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Words and the whitespace between them, after invisible characters are made visible. */
function tokens(text: string): string[] {
  return visible(text)
    .split(/(\s+)/)
    .filter((token) => token !== '');
}

/** Above this many cells the middle is shown as one replacement instead of a word-level LCS. */
const MAX_LCS_CELLS = 1_000_000;

type Edit = { op: 'same' | 'del' | 'add'; text: string };

function lcsEdits(a: string[], b: string[]): Edit[] {
  if (a.length * b.length > MAX_LCS_CELLS)
    return [...(a.length ? [{ op: 'del' as const, text: a.join('') }] : []), ...(b.length ? [{ op: 'add' as const, text: b.join('') }] : [])];
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push({ op: 'same', text: a[i++]! });
      j++;
    } else if (i < a.length && (j === b.length || table[(i + 1) * width + j]! >= table[i * width + j + 1]!)) edits.push({ op: 'del', text: a[i++]! });
    else edits.push({ op: 'add', text: b[j++]! });
  }
  return edits;
}

/**
 * Changes rendered `[-…-]{+…+}`, removals first. Whitespace alone between two changes joins them
 * into one hunk, so a rewritten sentence reads as old sentence → new sentence, not word by word.
 */
function render(edits: Edit[]): string {
  let out = '';
  let index = 0;
  const isGap = (edit: Edit | undefined) => edit !== undefined && edit.op === 'same' && /^\s+$/.test(edit.text);
  while (index < edits.length) {
    const edit = edits[index]!;
    if (edit.op === 'same') {
      out += edit.text;
      index++;
      continue;
    }
    let removed = '';
    let added = '';
    while (index < edits.length) {
      const current = edits[index]!;
      if (current.op === 'del') removed += current.text;
      else if (current.op === 'add') added += current.text;
      else if (isGap(current) && edits[index + 1] !== undefined && edits[index + 1]!.op !== 'same') {
        removed += current.text;
        added += current.text;
      } else break;
      index++;
    }
    out += `${removed ? `[-${removed}-]` : ''}${added ? `{+${added}+}` : ''}`;
  }
  return out;
}

/** `[-old-]{+new+}` word diff of two texts, invisible characters made visible. */
export function wordDiff(before: string, after: string): string {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const middle = lcsEdits(a.slice(start, a.length - end), b.slice(start, b.length - end));
  return render([
    ...a.slice(0, start).map((text) => ({ op: 'same' as const, text })),
    ...middle,
    ...a.slice(a.length - end).map((text) => ({ op: 'same' as const, text })),
  ]);
}

/** The changed parts with a few words of context on each side, bounded for a one-line message. */
export function diffExcerpt(diff: string, max = 240): string {
  const first = diff.search(/\[-|\{\+/);
  if (first === -1) return diff.slice(0, max);
  const from = Math.max(0, diff.lastIndexOf(' ', Math.max(0, first - 40)));
  const excerpt = `${from > 0 ? '…' : ''}${diff.slice(from).trimStart()}`;
  return excerpt.length > max ? `${excerpt.slice(0, max - 1)}…` : excerpt;
}

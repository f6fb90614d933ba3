import { defineCheck } from '../../engine/define-check.js';
import { describeProbed, modelVisibleText, type TextRole } from '../model-visible-text.js';

/**
 * injection/hidden-characters: code points a person reviewing the text does not see but the model
 * reads: zero-width and bidi controls, Unicode tag characters (which spell ASCII invisibly; decoded
 * into the evidence), ANSI escapes and other control characters. One finding per field and kind.
 * Under --probe, prompt messages are read for every kind, and tool results and resource contents for
 * the kinds that hide text (tag characters, bidi controls): zero-width characters, ANSI escapes and
 * control characters are common in data (web pages, terminal output). Those findings are indirect
 * injection and say where the text came from.
 */

type HiddenKind = 'zeroWidth' | 'bidiControl' | 'tagCharacters' | 'ansiEscape' | 'controlCharacter';

const ROLES: readonly TextRole[] = ['instructions', 'title', 'description', 'value', 'name', 'uri', 'prompt', 'output'];
/** What is looked for in tool results, errors and resource contents (role `output`). */
const OUTPUT_KINDS: ReadonlySet<HiddenKind> = new Set(['tagCharacters', 'bidiControl']);
const WHAT: Record<HiddenKind, string> = {
  zeroWidth: 'zero-width character(s)',
  bidiControl: 'bidirectional control character(s)',
  tagCharacters: 'Unicode tag character(s)',
  ansiEscape: 'ANSI escape sequence(s)',
  controlCharacter: 'control character(s)',
};
const ESC = 0x1b;
const ZWJ = 0x200d;
const BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;

function classify(codePoint: number): HiddenKind | undefined {
  if ((codePoint >= 0x200b && codePoint <= 0x200f) || (codePoint >= 0x2060 && codePoint <= 0x2064) || codePoint === 0xfeff) {
    return 'zeroWidth';
  }
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) return 'bidiControl';
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return 'tagCharacters';
  if (codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d) return undefined;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return 'controlCharacter';
  return undefined;
}

const PICTOGRAPHIC = /[\p{Extended_Pictographic}\u{FE0F}\u{1F3FB}-\u{1F3FF}]/u;

function isPictographic(codePoint: number | undefined): boolean {
  return codePoint !== undefined && PICTOGRAPHIC.test(String.fromCodePoint(codePoint));
}

interface Hit {
  kind: HiddenKind;
  index: number;
}

/** Hidden code points of `text` (by code-point index), leaving emoji sequences alone. */
function scan(codePoints: number[]): Hit[] {
  const hits: Hit[] = [];
  for (let index = 0; index < codePoints.length; index++) {
    const codePoint = codePoints[index] ?? 0;
    // 👨‍💻 joins emoji with U+200D; 🏴 + tags + cancel tag is a subdivision flag. Both are visible.
    if (codePoint === ZWJ && isPictographic(codePoints[index - 1]) && isPictographic(codePoints[index + 1])) continue;
    if (codePoint === BLACK_FLAG) {
      let end = index + 1;
      while (end < codePoints.length && end - index <= 7 && (codePoints[end] ?? 0) >= 0xe0020 && (codePoints[end] ?? 0) < CANCEL_TAG) end++;
      if (codePoints[end] === CANCEL_TAG && end > index + 1) {
        index = end;
        continue;
      }
    }
    const isAnsi = (codePoint === ESC && (codePoints[index + 1] === 0x5b || codePoints[index + 1] === 0x5d)) || codePoint === 0x9b;
    const kind = isAnsi ? 'ansiEscape' : classify(codePoint);
    if (kind !== undefined) hits.push({ kind, index });
  }
  return hits;
}

const hex = (codePoint: number): string => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text with every hidden code point shown as ⟨U+XXXX⟩, so the evidence itself is safe to print. */
function visible(codePoints: number[], from: number, to: number): string {
  let out = '';
  for (let index = Math.max(0, from); index < Math.min(codePoints.length, to); index++) {
    const codePoint = codePoints[index] ?? 0;
    out += classify(codePoint) !== undefined || codePoint === ESC ? `⟨${hex(codePoint)}⟩` : String.fromCodePoint(codePoint);
  }
  return out;
}

/** The ASCII a run of tag characters spells (U+E0041 → "A"). */
function decodeTags(codePoints: number[], hits: Hit[]): string {
  return hits
    .map(({ index }) => (codePoints[index] ?? 0) - 0xe0000)
    .filter((ascii) => ascii >= 0x20 && ascii <= 0x7e)
    .map((ascii) => String.fromCharCode(ascii))
    .join('');
}

function countByCodePoint(codePoints: number[], hits: Hit[]): string {
  const counts = new Map<string, number>();
  for (const { index } of hits) {
    const label = hex(codePoints[index] ?? 0);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, count]) => `${label} ×${count}`).join(', ');
}

const CONTEXT = 24;
const KINDS: readonly HiddenKind[] = ['zeroWidth', 'bidiControl', 'tagCharacters', 'ansiEscape', 'controlCharacter'];

/**
 * Every code point `scan` can report (classify's ranges; an ANSI escape starts with ESC or U+009B,
 * both among them; tag characters are U+E0000–E007F, the surrogates DB40 DC00–DC7F). A text with none
 * of them has no hit, so it is not split into code points at all: most texts are plain.
 */
const MAY_HIDE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/;

export const hiddenCharacters = defineCheck('injection/hidden-characters', ({ inventory, report }) => {
  for (const text of modelVisibleText(inventory, ROLES)) {
    if (!MAY_HIDE.test(text.text)) continue;
    const codePoints = Array.from(text.text, (char) => char.codePointAt(0) ?? 0);
    const hits = scan(codePoints);
    for (const kind of KINDS) {
      if (text.role === 'output' && !OUTPUT_KINDS.has(kind)) continue;
      const ofKind = hits.filter((hit) => hit.kind === kind);
      const first = ofKind[0];
      if (first === undefined) continue;
      const codePointList = countByCodePoint(codePoints, ofKind);
      const hidden = kind === 'tagCharacters' ? decodeTags(codePoints, ofKind) : '';
      const near = visible(codePoints, first.index - CONTEXT, first.index + CONTEXT);
      const data = { field: text.field, count: ofKind.length, codePoints: codePointList, ...(kind === 'tagCharacters' ? { hidden } : {}) };
      const evidence = kind === 'tagCharacters' ? `hidden text: ${JSON.stringify(hidden)}` : `${codePointList} near ${JSON.stringify(near)}`;
      if (text.probed !== undefined) {
        const what = kind === 'tagCharacters' ? `${WHAT[kind]} spelling ${JSON.stringify(hidden)}` : WHAT[kind];
        report({
          messageId: 'indirectHidden',
          data: { ...data, what, where: describeProbed(text.probed) },
          capability: text.capability,
          field: text.field,
          evidence,
          evidenceKind: 'probe',
        });
      } else {
        report({ messageId: kind, data, capability: text.capability, field: text.field, evidence });
      }
    }
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { isAscii, twinnable } from '../../util/ascii-twin.js';
import { truncateSafely } from '../../secrets/truncate.js';
import { recordListOption, stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import { describeProbed, modelVisibleText } from '../model-visible-text.js';
import { normaliseForMatching } from '../words.js';

/**
 * injection/cross-tool-shadowing: text of one capability that tells the model how to use ANOTHER
 * tool ("when you call send_email, always BCC ...", "instead of read_file use this", "the
 * transfer_funds tool must always ..."), so a server rewrites the behaviour of tools it does not
 * own. Patterns come from the pack with a `{tool}` placeholder, filled with each tool name:
 *   - sibling patterns apply to this server's own tools (mentioning a sibling is documentation;
 *     only phrases that modify how it is called count);
 *   - foreign patterns also cover common tools of other servers and clients (`foreignTools`),
 *     where any steering is shadowing.
 * A name is matched whole; a one-word name (`fetch`, `echo`) only when quoted, backticked or
 * followed by "tool", so plain English never matches.
 */

interface Pattern {
  id: string;
  source: string;
}

const compiled = new WeakMap<RuleMeta, { sibling: Pattern[]; foreign: Pattern[] }>();

function patternsOf(rule: RuleMeta): { sibling: Pattern[]; foreign: Pattern[] } {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const parse = (item: Record<string, unknown>): Pattern => {
    if (typeof item.id !== 'string' || typeof item.pattern !== 'string' || !item.pattern.includes('{tool}')) {
      throw new Error('a mapping with string "id" and a "pattern" containing {tool}');
    }
    return { id: item.id, source: item.pattern };
  };
  const patterns = { sibling: recordListOption(rule, 'siblingPatterns', parse), foreign: recordListOption(rule, 'foreignPatterns', parse) };
  compiled.set(rule, patterns);
  return patterns;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex fragment matching the tool name as a name, not as an ordinary word. */
function nameFragment(name: string): string {
  const quoted = `[\`'"“‘]${escape(name)}[\`'"”’]`;
  const compound = /[_\-.]|[a-z][A-Z]/.test(name);
  const bare = compound ? `(?<![\\w.-])${escape(name)}(?![\\w-]|\\.\\w)` : `${escape(name)}\\s+tool\\b`;
  return `(?:${quoted}|${bare})`;
}

/**
 * The pattern filled with `name`, compiled when first used: `iu` as documented, or for ASCII text
 * its `i`-only twin when that provably matches the same (src/util/ascii-twin.ts; packRegExp itself
 * cannot judge the filled pattern, whose curly quotes are not ASCII). Each mentioned name compiles
 * its own regexes, and V8 runs the twin faster.
 */
class Candidate {
  private unicode: RegExp | undefined;
  private ascii: RegExp | null | undefined;

  constructor(
    readonly name: string,
    readonly pattern: Pattern,
    readonly scope: 'sibling' | 'foreign',
  ) {}

  /** `asciiText`: isAscii(text), worked out once per text by the caller. */
  exec(text: string, asciiText: boolean): RegExpExecArray | null {
    if (asciiText) {
      this.ascii ??= this.asciiTwin();
      if (this.ascii !== null) return this.ascii.exec(text);
    }
    this.unicode ??= new RegExp(this.filled(), 'iu');
    return this.unicode.exec(text);
  }

  private asciiTwin(): RegExp | null {
    // The filled pattern holds the fragment's curly quotes, which have no case mapping: the
    // pattern and the name are what must be ASCII for the twin to agree.
    if (!twinnable(this.pattern.source) || !isAscii(this.name)) return null;
    try {
      return new RegExp(this.filled(), 'i');
    } catch {
      return null;
    }
  }

  private filled(): string {
    return this.pattern.source.replaceAll('{tool}', nameFragment(this.name));
  }
}

/** Characters a tool name is made of when it can be found as one token of a text. */
const NAME_TOKEN = /[\p{L}\p{N}_.-]+/gu;

/**
 * Finds which of `names` a text mentions, by token lookup instead of one regex per name: a server
 * with 600 tools would otherwise run 600 × patterns regexes over every one of its 600 descriptions
 * (measured: 46 s; with the lookup, milliseconds). Names a token cannot hold (spaces, other
 * punctuation) fall back to a substring test.
 */
function mentionIndex(names: readonly string[]): (text: string) => Set<string> {
  const byToken = new Map<string, string[]>();
  const odd: string[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    if (lower.replace(NAME_TOKEN, '') !== '') {
      odd.push(name);
      continue;
    }
    const list = byToken.get(lower) ?? [];
    list.push(name);
    byToken.set(lower, list);
  }
  // The same text (a parameter description on every tool) is looked up once per run.
  const known = new Map<string, Set<string>>();
  return (text) => {
    const remembered = known.get(text);
    if (remembered !== undefined) return remembered;
    const lower = text.toLowerCase();
    const found = new Set<string>();
    for (const [token] of lower.matchAll(NAME_TOKEN)) {
      for (const name of byToken.get(token) ?? []) found.add(name);
      // "use send_email." ends a sentence: the name is the token without its trailing dots/dashes
      // (looked up only when there are some: this runs on every token of every text, issue 18).
      const last = token.charCodeAt(token.length - 1);
      if (last === 0x2e || last === 0x2d) for (const name of byToken.get(token.replace(/[.-]+$/u, '')) ?? []) found.add(name);
    }
    for (const name of odd) if (lower.includes(name.toLowerCase())) found.add(name);
    known.set(text, found);
    return found;
  };
}

export const crossToolShadowing = defineCheck('injection/cross-tool-shadowing', ({ inventory, rule, report }) => {
  const { sibling, foreign } = patternsOf(rule);
  const own = inventory.tools.map((tool) => tool.name).filter((name) => name.length >= 3);
  const ownSet = new Set(own);
  const others = stringListOption(rule, 'foreignTools').filter((name) => !ownSet.has(name));
  const scopeOf = new Map<string, 'sibling' | 'foreign'>([
    ...others.map((name) => [name, 'foreign'] as const),
    ...own.map((name) => [name, 'sibling'] as const),
  ]);
  const order = [...own, ...others];
  const rank = new Map<string, number>();
  order.forEach((name, index) => {
    if (!rank.has(name)) rank.set(name, index);
  });
  const mentioned = mentionIndex(order);
  // Regexes are compiled only for names some text mentions, once each.
  const compiledFor = new Map<string, Candidate[]>();
  const candidatesFor = (name: string): Candidate[] => {
    let candidates = compiledFor.get(name);
    if (candidates === undefined) {
      const scope = scopeOf.get(name)!;
      candidates = (scope === 'sibling' ? sibling : foreign).map((pattern) => new Candidate(name, pattern, scope));
      compiledFor.set(name, candidates);
    }
    return candidates;
  };
  // Under --probe also what the model reads indirectly (prompt messages, tool results, resource
  // contents): reported as indirect injection, once per capability and text.
  const seenProbed = new Set<string>();
  for (const visible of modelVisibleText(inventory, ['instructions', 'description', 'prompt', 'output'])) {
    if (visible.role === 'prompt' && visible.probed === undefined) continue;
    const text = normaliseForMatching(visible.text);
    if (visible.probed !== undefined) {
      const key = `${visible.capability.kind}\u0000${visible.capability.name ?? ''}\u0000${text}`;
      if (seenProbed.has(key)) continue;
      seenProbed.add(key);
    }
    const names = mentioned(text);
    if (names.size === 0) continue;
    const asciiText = isAscii(text);
    // Same order as before the index existed: own tools first, then foreign ones, as listed (sorted
    // by rank, not by a scan of every name per text: 10,000 tools mentioning one name each, issue 18).
    const inOrder = [...names].sort((a, b) => rank.get(a)! - rank.get(b)!);
    search: for (const name of inOrder) {
      // A tool describing itself is not shadowing.
      if (visible.capability.kind === 'tool' && visible.capability.name === name) continue;
      for (const candidate of candidatesFor(name)) {
        const match = candidate.exec(text, asciiText);
        if (match === null) continue;
        const data = { field: visible.field, target: candidate.name, phrase: candidate.pattern.id };
        const evidence = JSON.stringify(truncateSafely(match[0], 120));
        if (visible.probed !== undefined) {
          report({
            messageId: 'indirectShadowing',
            data: { ...data, where: describeProbed(visible.probed) },
            capability: visible.capability,
            field: visible.field,
            evidence,
            evidenceKind: 'probe',
          });
        } else {
          report({
            messageId: candidate.scope === 'sibling' ? 'shadowsSibling' : 'shadowsForeign',
            data,
            capability: visible.capability,
            field: visible.field,
            evidence,
          });
        }
        break search;
      }
    }
  }
});

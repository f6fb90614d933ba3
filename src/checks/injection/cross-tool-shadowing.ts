import { recordListOption, stringListOption } from '../../engine/options.js';
import type { CheckFunction, RuleMeta } from '../../engine/types.js';
import { modelVisibleText } from '../model-visible-text.js';
import { normaliseForMatching } from './instruction-in-description.js';

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

function compile(pattern: Pattern, name: string): RegExp {
  return new RegExp(pattern.source.replaceAll('{tool}', nameFragment(name)), 'iu');
}

export const crossToolShadowing: CheckFunction = ({ inventory, rule, report }) => {
  const { sibling, foreign } = patternsOf(rule);
  const own = inventory.tools.map((tool) => tool.name).filter((name) => name.length >= 3);
  const ownSet = new Set(own);
  const others = stringListOption(rule, 'foreignTools').filter((name) => !ownSet.has(name));
  const regexes = [
    ...own.flatMap((name) => sibling.map((pattern) => ({ name, pattern, scope: 'sibling' as const, regex: compile(pattern, name) }))),
    ...others.flatMap((name) => foreign.map((pattern) => ({ name, pattern, scope: 'foreign' as const, regex: compile(pattern, name) }))),
  ];
  for (const visible of modelVisibleText(inventory, ['instructions', 'description'])) {
    const text = normaliseForMatching(visible.text);
    for (const candidate of regexes) {
      // A tool describing itself is not shadowing.
      if (visible.capability.kind === 'tool' && visible.capability.name === candidate.name) continue;
      const match = candidate.regex.exec(text);
      if (match === null) continue;
      report({
        messageId: candidate.scope === 'sibling' ? 'shadowsSibling' : 'shadowsForeign',
        data: { field: visible.field, target: candidate.name, phrase: candidate.pattern.id },
        capability: visible.capability,
        field: visible.field,
        evidence: JSON.stringify(match[0].length > 120 ? `${match[0].slice(0, 119)}…` : match[0]),
      });
      break;
    }
  }
};

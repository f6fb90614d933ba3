import { defineCheck } from '../../engine/define-check.js';
import { isAscii, packRegExp, type PackRegExp } from '../../util/ascii-twin.js';
import { truncateSafely } from '../../secrets/truncate.js';
import { numberOption, recordListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import { normaliseForMatching } from '../words.js';
import { describeProbed, modelVisibleText, PROSE_ROLES, type TextRole } from '../model-visible-text.js';

/**
 * injection/instruction-in-description: model-directed instructions hidden in text the model reads
 * (tool poisoning). A versioned, weighted phrase list from the pack is matched per field; a field
 * reports when the weights of its distinct matching phrases reach the threshold. Strong markers
 * (`<IMPORTANT>`, "ignore previous instructions") reach it alone; weaker ones (a sensitive path,
 * "before using this tool, call") only together, so documentation imperatives stay quiet.
 * Under --probe, text the model reads indirectly is judged the same way and reported as indirect
 * injection with where it came from: tool results and errors, resource contents, prompt messages.
 */

/** Prose the model reads, and (under --probe) what tool calls, resource reads and prompts brought back. */
const ROLES: readonly TextRole[] = [...PROSE_ROLES, 'output'];

interface Phrase {
  id: string;
  regex: PackRegExp;
  weight: number;
}

const compiled = new WeakMap<RuleMeta, Phrase[]>();

function phrasesOf(rule: RuleMeta): Phrase[] {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const phrases = recordListOption(rule, 'phrases', (item) => {
    const { id, pattern, weight } = item;
    if (typeof id !== 'string' || typeof pattern !== 'string' || typeof weight !== 'number') {
      throw new Error('a mapping with string "id", string "pattern" and number "weight"');
    }
    try {
      return { id, regex: packRegExp(pattern), weight };
    } catch (error) {
      throw new Error(`a valid regular expression for "${id}" (${error instanceof Error ? error.message : String(error)})`);
    }
  });
  compiled.set(rule, phrases);
  return phrases;
}

const MAX_EXCERPT = 80;

function quote(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(truncateSafely(trimmed, MAX_EXCERPT));
}

export const instructionInDescription = defineCheck('injection/instruction-in-description', ({ inventory, rule, report }) => {
  const phrases = phrasesOf(rule);
  const threshold = numberOption(rule, 'threshold');
  // Both probe calls of a tool may bring back the same text: one finding, on the first.
  const seenProbed = new Set<string>();
  // Servers repeat the same text (a parameter's description on every tool): each distinct text is
  // normalised and matched against the phrase list once per run.
  const normalised = new Map<string, string>();
  const matches = new Map<string, Array<{ phrase: Phrase; excerpt: string }>>();
  for (const visible of modelVisibleText(inventory, ROLES)) {
    let text = normalised.get(visible.text);
    if (text === undefined) {
      text = normaliseForMatching(visible.text);
      normalised.set(visible.text, text);
    }
    if (visible.probed !== undefined) {
      const key = `${visible.capability.kind}\u0000${visible.capability.name ?? ''}\u0000${text}`;
      if (seenProbed.has(key)) continue;
      seenProbed.add(key);
    }
    let matched = matches.get(text);
    if (matched === undefined) {
      matched = [];
      const asciiText = isAscii(text);
      for (const phrase of phrases) {
        const match = phrase.regex.exec(text, asciiText);
        if (match !== null) matched.push({ phrase, excerpt: match[0] });
      }
      matches.set(text, matched);
    }
    const score = matched.reduce((sum, { phrase }) => sum + phrase.weight, 0);
    if (score < threshold) continue;
    const data = { field: visible.field, phrases: matched.map(({ phrase }) => phrase.id).join(', '), score, threshold };
    const evidence = matched.map(({ excerpt }) => quote(excerpt)).join(' … ');
    if (visible.probed !== undefined) {
      report({
        messageId: 'indirectInstruction',
        data: { ...data, where: describeProbed(visible.probed) },
        capability: visible.capability,
        field: visible.field,
        evidence,
        evidenceKind: 'probe',
      });
    } else {
      report({ messageId: 'instructionFound', data, capability: visible.capability, field: visible.field, evidence });
    }
  }
});

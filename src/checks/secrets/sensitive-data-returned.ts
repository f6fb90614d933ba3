import { defineCheck } from '../../engine/define-check.js';
import { recordListOption } from '../../engine/options.js';
import type { Level, RuleMeta } from '../../engine/types.js';
import { capabilityRef } from '../../inventory/model.js';
import { splitWords } from '../words.js';

/**
 * secrets/sensitive-data-returned (live): a tool or resource whose listing says it hands the model
 * data that carries secrets or personal data: the server's environment variables (error), request
 * headers and cookies of the browsed sites, the history of past tool calls with their arguments and
 * outputs (warning), logs, process lists, the server's whole configuration, user profiles (note).
 * Judged on the capability's name words, title and description against `kinds` (regular
 * expressions, each with its level); the first kind that matches is reported.
 */

interface Kind {
  id: string;
  regex: RegExp;
  level: Level;
  what: string;
}

const compiled = new WeakMap<RuleMeta, Kind[]>();
const LEVELS: ReadonlySet<string> = new Set(['error', 'warning', 'note']);

function kindsOf(rule: RuleMeta): Kind[] {
  const cached = compiled.get(rule);
  if (cached !== undefined) return cached;
  const kinds = recordListOption(rule, 'kinds', (item) => {
    if (
      typeof item.id !== 'string' ||
      typeof item.pattern !== 'string' ||
      typeof item.what !== 'string' ||
      typeof item.level !== 'string' ||
      !LEVELS.has(item.level)
    )
      throw new Error('a mapping with string "id", "pattern", "what" and a "level" of error, warning or note');
    return { id: item.id, regex: new RegExp(item.pattern, 'iu'), level: item.level as Level, what: item.what };
  });
  compiled.set(rule, kinds);
  return kinds;
}

export const sensitiveDataReturned = defineCheck('secrets/sensitive-data-returned', ({ inventory, rule, report }) => {
  const kinds = kindsOf(rule);
  const capabilities = [...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates];
  for (const capability of capabilities) {
    // The name as words first ("get env", "kubectl logs"), so a pattern can anchor on it.
    const text = [splitWords(capability.name).join(' '), capability.title ?? '', capability.description ?? ''].join('\n');
    for (const kind of kinds) {
      const match = kind.regex.exec(text);
      if (match === null) continue;
      const excerpt = match[0].replace(/\s+/g, ' ').trim().slice(0, 80);
      report({
        messageId: 'sensitiveData',
        data: { kind: capability.kind, name: capability.name, what: kind.what, excerpt },
        capability: capabilityRef(capability),
        field: 'description',
        evidence: `${kind.id}: ${excerpt}`,
        level: kind.level,
        ...(capability.origin.source === undefined ? {} : { location: capability.origin.source }),
      });
      break;
    }
  }
});

import { positionOf, type ParsedYaml } from '../util/yaml-schema.js';
import type { Suppression } from './types.js';

/** A `suppress:` entry as written (shape checked by schemas/config.schema.json). */
interface RawEntry {
  rule: string;
  capability?: string;
  target?: string;
  reason?: string;
  expires?: string;
  owner?: string;
}

/**
 * The config's `suppress:` list: each entry accepts the findings of `rule` (an id or `pack/*`) on
 * the capabilities its `capability` glob names (all, when absent). Validity (a reason, a known
 * rule, not expired) is judged when applied: an invalid entry is a suppression/* finding, not a
 * config error, as ESLint reports a bad directive without refusing to run.
 */
export function readSuppressions(raw: unknown, parsed: ParsedYaml, file: string): Suppression[] {
  if (!Array.isArray(raw)) return [];
  return (raw as RawEntry[]).map((entry, index) => {
    const line = positionOf(parsed, ['suppress', index])?.line ?? 1;
    const reason = entry.reason?.trim();
    return {
      kind: 'external' as const,
      rules: [entry.rule],
      ...(reason ? { reason } : {}),
      ...(entry.expires !== undefined ? { expires: String(entry.expires) } : {}),
      ...(entry.owner !== undefined ? { owner: entry.owner } : {}),
      scope: {
        form: 'config' as const,
        ...(entry.capability !== undefined ? { capability: entry.capability } : {}),
        ...(entry.target !== undefined ? { target: entry.target } : {}),
      },
      at: { file, line, column: 1 },
      text: `suppress: rule ${entry.rule}${entry.capability !== undefined ? `, capability ${entry.capability}` : ''}`,
    };
  });
}

import type { Finding } from '../engine/types.js';
import { closest } from '../engine/levenshtein.js';
import { mergedInto } from '../engine/rule-aliases.js';
import type { TargetResult } from '../report/types.js';
import type { SuppressedFinding, Suppression, SuppressionProblem } from './types.js';

/** `*` any run of characters, `?` one; everything else literal. */
export function globMatches(glob: string, value: string): boolean {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

function ruleMatches(pattern: string, ruleId: string): boolean {
  return pattern.endsWith('/*') ? ruleId.startsWith(pattern.slice(0, -1)) : pattern === ruleId;
}

function scopeMatches(suppression: Suppression, finding: Finding, targetName: string): boolean {
  const scope = suppression.scope;
  if (scope.form === 'config') {
    if (scope.target !== undefined && !globMatches(scope.target, targetName)) return false;
    return scope.capability === undefined || globMatches(scope.capability, finding.capability.name ?? finding.capability.kind);
  }
  const location = finding.location;
  if (location === undefined || location.file !== suppression.at.file) return false;
  if (scope.form === 'file') return true;
  if (scope.form === 'next-line') return location.line === scope.lines[0] || location.line === scope.lines[1];
  return location.line >= scope.from && location.line <= scope.to;
}

function applies(suppression: Suppression, targetName: string): boolean {
  return suppression.scope.form !== 'config' || suppression.scope.target === undefined || globMatches(suppression.scope.target, targetName);
}

export interface SuppressionInput {
  /** Per target name: the inline directives found in its source files. */
  inline: Map<string, Suppression[]>;
  /** The config's `suppress:` entries (apply to every target their `target` glob matches). */
  config: Suppression[];
  knownRuleIds: readonly string[];
  /** `YYYY-MM-DD`, the day the check runs (UTC). */
  today: string;
}

/**
 * Moves each finding a valid suppression covers from `findings` to `suppressed`, and returns, per
 * target, the suppressions that are themselves problems. Fail closed: a suppression without a
 * reason, past its `expires` date, or naming only unknown rules suppresses nothing.
 */
export function applySuppressions(results: TargetResult[], input: SuppressionInput): Map<string, SuppressionProblem[]> {
  const problems = new Map<string, SuppressionProblem[]>();
  const used = new Set<Suppression>();
  const ran = new Map<Suppression, boolean>();
  const known = (pattern: string) => input.knownRuleIds.some((id) => ruleMatches(pattern, id));
  const valid = (suppression: Suppression) =>
    suppression.reason !== undefined && !(suppression.expires !== undefined && suppression.expires < input.today) && suppression.rules.some(known);
  const firstTarget = new Map<Suppression, string>();

  for (const result of results) {
    if (result.failure !== undefined) continue;
    const name = result.target.name;
    const candidates = [...(input.inline.get(name) ?? []), ...input.config.filter((suppression) => applies(suppression, name))];
    const kept: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    for (const finding of result.findings) {
      const by = candidates.find(
        (suppression) => valid(suppression) && suppression.rules.some((rule) => ruleMatches(rule, finding.ruleId)) && scopeMatches(suppression, finding, name),
      );
      if (by === undefined) {
        kept.push(finding);
        continue;
      }
      used.add(by);
      suppressed.push({
        ...finding,
        suppression: {
          kind: by.kind,
          justification: by.reason!,
          at: by.at,
          ...(by.owner ? { owner: by.owner } : {}),
          ...(by.expires ? { expires: by.expires } : {}),
        },
      });
    }
    result.findings = kept;
    if (suppressed.length > 0) result.suppressed = suppressed;
    for (const suppression of candidates) {
      if (!firstTarget.has(suppression)) firstTarget.set(suppression, name);
      const ranHere = result.outcomes.some((outcome) => outcome.status === 'ran' && suppression.rules.some((rule) => ruleMatches(rule, outcome.ruleId)));
      ran.set(suppression, (ran.get(suppression) ?? false) || ranHere);
    }
  }

  // Each problem is reported once, on the first target the suppression applied to.
  for (const [suppression, target] of firstTarget) {
    const list = problems.get(target) ?? [];
    const unknown = suppression.rules.filter((rule) => !known(rule));
    if (suppression.rules.length === 0) list.push({ problem: 'unknown-rule', suppression, rule: '' });
    for (const rule of unknown) {
      const merged = mergedInto(rule);
      const suggestion = merged ?? closest(rule, [...input.knownRuleIds]);
      list.push({ problem: 'unknown-rule', suppression, rule, ...(suggestion ? { suggestion } : {}), ...(merged ? { merged: true } : {}) });
    }
    if (suppression.reason === undefined) list.push({ problem: 'missing-reason', suppression });
    else if (suppression.expires !== undefined && suppression.expires < input.today) list.push({ problem: 'expired', suppression });
    // Unused: valid, matched nothing, and at least one rule it names ran (a rule that did not look proves nothing).
    else if (valid(suppression) && !used.has(suppression) && ran.get(suppression)) list.push({ problem: 'unused', suppression });
    problems.set(target, list);
  }
  return problems;
}

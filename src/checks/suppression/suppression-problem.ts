import { defineCheck } from '../../engine/define-check.js';
import type { SuppressionProblem } from '../../suppress/types.js';

/**
 * suppression/*: a suppression that is itself a problem (src/suppress/apply.ts found it). The four
 * rules share this check; the pack's `problem` option says which kind a rule takes. The finding
 * points at the comment or config entry.
 */
export const suppressionProblem = defineCheck('suppression/problem', ({ inventory, rule, report }) => {
  const wanted = rule.options?.problem as SuppressionProblem['problem'] | undefined;
  for (const problem of inventory.suppressions?.problems ?? []) {
    if (problem.problem !== wanted) continue;
    const { suppression } = problem;
    report({
      messageId:
        problem.problem === 'unknown-rule' && problem.rule === ''
          ? 'noRule'
          : problem.merged
            ? 'mergedRule'
            : problem.suggestion
              ? 'unknownWithSuggestion'
              : 'problem',
      data: {
        directive: suppression.text,
        rule: problem.rule ?? suppression.rules.join(', '),
        ...(problem.suggestion ? { suggestion: problem.suggestion } : {}),
        ...(suppression.expires ? { expires: suppression.expires } : {}),
        where: suppression.kind === 'inSource' ? 'comment' : 'config entry',
      },
      capability: { kind: 'server' },
      field: suppression.kind === 'inSource' ? 'source' : 'config.suppress',
      evidence: `${suppression.text}${problem.rule !== undefined ? ` ${problem.rule}` : ''}`,
      location: suppression.at,
    });
  }
});

import type { Suppression, SuppressionProblem } from '../../../src/suppress/types.js';
import { inventory } from '../../helpers/inventory.js';
import { ruleTester } from '../../helpers/rule-tester.js';

// suppression/* on the problems src/suppress/apply.ts hands over (its own tests are in test/lock).
const inline = (text: string, fields: Partial<Suppression> = {}): Suppression => ({
  kind: 'inSource',
  rules: ['design/shell-like-tool'],
  reason: 'admin-only tool',
  scope: { form: 'next-line', lines: [4, 4] },
  at: { file: '/srv/app/src/server.ts', line: 3, column: 1 },
  text,
  ...fields,
});
const configured = (text: string, fields: Partial<Suppression> = {}): Suppression =>
  inline(text, {
    kind: 'external',
    scope: { form: 'config', capability: 'run_command' },
    at: { file: '/srv/app/mcp-preflight.yaml', line: 7, column: 5 },
    ...fields,
  });
const withProblems = (...problems: SuppressionProblem[]) => inventory({ facts: ['live', 'suppress'], suppressions: { count: problems.length, problems } });
const none = { name: 'suppressions without problems', docExample: 'good' as const, facts: withProblems() };
const at = (messageId: string, line: number, field: string) => ({ messageId, capability: { kind: 'server' as const }, field, line });

ruleTester.run('suppression/missing-reason', {
  valid: [none, { name: 'another kind of problem', facts: withProblems({ problem: 'unused', suppression: configured('design/shell-like-tool run_command') }) }],
  invalid: [
    {
      name: 'a next-line comment without "-- reason"',
      docExample: 'bad',
      facts: withProblems({
        problem: 'missing-reason',
        suppression: inline('// mcp-preflight-disable-next-line design/shell-like-tool', { reason: undefined }),
      }),
      errors: [at('problem', 3, 'source')],
    },
  ],
});

ruleTester.run('suppression/unknown-rule', {
  valid: [none],
  invalid: [
    {
      name: 'a misspelt rule id, with the closest one',
      docExample: 'bad',
      facts: withProblems({
        problem: 'unknown-rule',
        rule: 'design/shell-like-tol',
        suggestion: 'design/shell-like-tool',
        suppression: inline('// mcp-preflight-disable-next-line design/shell-like-tol -- admin-only'),
      }),
      errors: [at('unknownWithSuggestion', 3, 'source')],
    },
    {
      name: 'an id merged into another (issue 13), named with the id it became',
      facts: withProblems({
        problem: 'unknown-rule',
        rule: 'design/shell-like-tool-in-source',
        suggestion: 'design/shell-like-tool',
        merged: true,
        suppression: inline('// mcp-preflight-disable-next-line design/shell-like-tool-in-source -- admin-only', {
          rules: ['design/shell-like-tool-in-source'],
        }),
      }),
      errors: [at('mergedRule', 3, 'source')],
    },
    {
      name: 'an unknown id nothing is close to',
      facts: withProblems({ problem: 'unknown-rule', rule: 'x/y', suppression: configured('x/y') }),
      errors: [at('problem', 7, 'config.suppress')],
    },
    {
      name: 'a directive that names no rule',
      facts: withProblems({ problem: 'unknown-rule', rule: '', suppression: inline('// mcp-preflight-disable-next-line -- why', { rules: [] }) }),
      errors: [at('noRule', 3, 'source')],
    },
  ],
});

ruleTester.run('suppression/expired', {
  valid: [none],
  invalid: [
    {
      name: 'a config entry past its expiry date',
      docExample: 'bad',
      facts: withProblems({
        problem: 'expired',
        suppression: configured('design/unrestricted-path read_file', { rules: ['design/unrestricted-path'], expires: '2026-01-31' }),
      }),
      errors: [at('problem', 7, 'config.suppress')],
    },
  ],
});

ruleTester.run('suppression/unused', {
  valid: [none],
  invalid: [
    {
      name: 'a config entry that suppressed nothing',
      docExample: 'bad',
      facts: withProblems({ problem: 'unused', suppression: configured('design/shell-like-tool run_command') }),
      errors: [at('problem', 7, 'config.suppress')],
    },
  ],
});

import type { Inventory } from '../../../src/inventory/model.js';
import { riskInventory, type RiskDeclarations } from '../../../src/inventory/risk.js';
import { closedSchema, inventory, tool } from '../../helpers/inventory.js';
import { ruleTester } from '../../helpers/rule-tester.js';

// risk/class-mismatch on `inventory.risk` as the real ranking builds it from the config's `risk:`
// declarations (test/inventory/risk.test.ts pins the ranking itself).
const served = () =>
  inventory({
    tools: [
      tool('run_query', { inputSchema: closedSchema('sql') }),
      tool('get_issue', { annotations: { readOnlyHint: true } }),
      tool('purge_cache', { annotations: { destructiveHint: true } }),
    ],
  });
function declared(declarations: RiskDeclarations): () => Inventory {
  return () => {
    const inv = served();
    return { ...inv, risk: riskInventory(inv, declarations) };
  };
}
const at = (line: number) => ({ file: '/srv/mcp-preflight.yaml', line });

ruleTester.run('risk/class-mismatch', {
  valid: [
    {
      name: 'declarations that agree with the computed classes',
      docExample: 'good',
      facts: declared({ tools: { run_query: { class: 'destructive', at: at(3) }, get_issue: { class: 'read-only', at: at(4) } } }),
    },
    {
      name: 'a declaration without a class (an approval note only)',
      facts: declared({ tools: { purge_cache: { approval: 'two-person review', at: at(3) } } }),
    },
  ],
  invalid: [
    {
      name: 'run_query declared read-only while it takes model-written SQL',
      docExample: 'bad',
      facts: declared({ tools: { run_query: { class: 'read-only', at: at(3) } } }),
      errors: [{ messageId: 'understated', capability: { kind: 'tool', name: 'run_query' }, field: 'risk.class', line: 3 }],
    },
    {
      name: 'get_issue declared destructive while it is read-only',
      facts: declared({ tools: { get_issue: { class: 'destructive', at: at(5) } } }),
      errors: [{ messageId: 'overstated', capability: { kind: 'tool', name: 'get_issue' }, field: 'risk.class', line: 5 }],
    },
  ],
});

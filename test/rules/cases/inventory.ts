import type { SourceFacts } from '../../../src/source/types.js';
import type { MergeResult } from '../../../src/source/types.js';
import { inventory, tool } from '../../helpers/inventory.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { fakeSecrets } from '../../secrets/fake-secrets.js';

// inventory/* on the merge of live discovery with source (src/source/merge.ts builds `merge`; the
// end-to-end case is in test/e2e/source.test.ts).
function merged(merge: Partial<MergeResult>) {
  const source = { root: '/srv/app', merge: { liveOnly: [], sourceOnly: [], dynamicNames: {}, ...merge } } as unknown as SourceFacts;
  return inventory({ facts: ['live', 'source'], tools: [tool('read_file'), tool('debug_dump')], source });
}
const location = { file: '/srv/app/src/server.ts', line: 12, column: 1 };

ruleTester.run('inventory/live-only', {
  valid: [{ name: 'every served tool registered in source', docExample: 'good', facts: merged({}) }],
  invalid: [
    {
      name: 'debug_dump served, registered nowhere',
      docExample: 'bad',
      facts: merged({ liveOnly: [{ kind: 'tool', name: 'debug_dump' }] }),
      errors: [{ messageId: 'liveOnly', capability: { kind: 'tool', name: 'debug_dump' } }],
    },
    {
      name: 'debug_dump served, and a registration with a computed name',
      facts: merged({ liveOnly: [{ kind: 'tool', name: 'debug_dump' }], dynamicNames: { tool: 1 } }),
      errors: [{ messageId: 'liveOnlyMaybeDynamic', capability: { kind: 'tool', name: 'debug_dump' } }],
    },
  ],
});

ruleTester.run('inventory/source-only', {
  valid: [{ name: 'every registration served', docExample: 'good', facts: merged({}) }],
  invalid: [
    {
      name: 'old_export registered, never served',
      docExample: 'bad',
      facts: merged({ sourceOnly: [{ kind: 'tool', name: 'old_export', location, conditional: false }] }),
      errors: [{ messageId: 'sourceOnly', capability: { kind: 'tool', name: 'old_export' }, line: 12 }],
    },
    {
      name: 'hidden_admin registered under a condition, not served',
      facts: merged({ sourceOnly: [{ kind: 'tool', name: 'hidden_admin', location, conditional: true }] }),
      errors: [{ messageId: 'sourceOnlyConditional', capability: { kind: 'tool', name: 'hidden_admin' }, line: 12 }],
    },
  ],
});

const { github, aws } = fakeSecrets();
ruleTester.run('secrets/secret-in-model-visible-text', {
  valid: [
    {
      name: 'a description that names a key without its value',
      facts: inventory({ tools: [tool('deploy', { description: 'Deploys with the token in GITHUB_TOKEN.' })] }),
    },
    {
      name: 'a placeholder default',
      facts: inventory({
        tools: [
          tool('cloud', { inputSchema: { type: 'object', properties: { key: { type: 'string', default: '<your-api-key>' } }, additionalProperties: false } }),
        ],
      }),
    },
    {
      name: "placeholders in a credential's format: ghp_xxxx…, AKIAXXXX…, xoxb-your-bot-token, <your-token>, your-api-key-here",
      facts: inventory({
        tools: [
          tool('github', {
            description: `Set GITHUB_TOKEN (for example ghp_${'x'.repeat(36)}) before calling.`,
            inputSchema: {
              type: 'object',
              properties: { token: { type: 'string', examples: [`ghp_${'X'.repeat(36)}`, 'Bearer <your-token>'] } },
              additionalProperties: false,
            },
          }),
          tool('aws', { description: 'Needs an access key id such as AKIAXXXXXXXXXXXXXXXX.' }),
          tool('slack', { description: 'Configure SLACK_BOT_TOKEN=xoxb-your-bot-token and API_KEY=your-api-key-here.' }),
          tool('claude', { description: `ANTHROPIC_API_KEY=sk-ant-api03-your-key-here-${'x'.repeat(20)}` }),
        ],
      }),
    },
  ],
  invalid: [
    {
      name: 'a token in a description',
      facts: inventory({ tools: [tool('deploy', { description: `Deploys with token ${github}.` })] }),
      errors: [{ messageId: 'secretFound', capability: { kind: 'tool', name: 'deploy' }, field: 'description' }],
    },
    {
      name: 'a key in a schema default',
      facts: inventory({
        tools: [tool('cloud', { inputSchema: { type: 'object', properties: { key: { type: 'string', default: aws } }, additionalProperties: false } })],
      }),
      errors: [{ messageId: 'secretFound', capability: { kind: 'tool', name: 'cloud' }, field: 'inputSchema.properties.key.default' }],
    },
    {
      name: 'a real token next to a placeholder is still found',
      facts: inventory({ tools: [tool('deploy', { description: `Replace ghp_${'x'.repeat(36)} with your token, e.g. ${github}.` })] }),
      errors: [{ messageId: 'secretFound', capability: { kind: 'tool', name: 'deploy' }, field: 'description' }],
    },
  ],
});

import { describe, expect, it } from 'vitest';
import { inventory, resource, tool, withTools } from '../helpers/inventory.js';
import { fakeSecrets } from '../secrets/fake-secrets.js';
import { builtinRule, runRule, shape } from './run-rule.js';

const RULE = 'secrets/secret-in-model-visible-text';
const fake = fakeSecrets();
const { github, aws, openai } = fake;

describe(RULE, () => {
  // The example is AWS's documentation key: secrets/hardcoded-secret allows it in this repository.
  it("catches the pack's 'caught' example and passes its 'passes' example (what explain and the docs show)", () => {
    const { examples } = builtinRule(RULE);
    const asTool = (json: string) => {
      const { name, ...fields } = JSON.parse(json) as { name: string; description: string };
      return tool(name, fields);
    };
    expect(runRule(RULE, withTools(asTool(examples!.bad!))).map((finding) => [finding.field, finding.data.kind])).toEqual([
      ['description', 'aws-access-key-id'],
    ]);
    expect(runRule(RULE, withTools(asTool(examples!.good!)))).toEqual([]);
  });

  it('catches a token in a description and masks it everywhere', () => {
    const findings = runRule(RULE, withTools(tool('deploy', { description: `Deploys with token ${github}.` })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'secretFound', capability: { kind: 'tool', name: 'deploy' }, field: 'description' }]);
    expect(findings[0]?.data.kind).toBe('github-token');
    expect(findings[0]?.evidence).toBe(`github-token: ghp_****${github.slice(-4)}`);
    expect(JSON.stringify(findings)).not.toContain(github.slice(4, 20));
  });

  it('catches secrets in schema defaults, examples, enums and const', () => {
    const inputSchema = {
      type: 'object',
      properties: {
        key: { type: 'string', default: aws },
        api: { type: 'string', examples: [openai] },
        region: { enum: ['eu', `AWS_KEY=${aws}`] },
        fixed: { const: { password: 'Sup3r-Secret-pw!' } },
      },
      additionalProperties: false,
    };
    const findings = runRule(RULE, withTools(tool('cloud', { inputSchema })));
    expect(findings.map((finding) => [finding.field, finding.data.kind])).toEqual([
      ['inputSchema.properties.api.examples[0]', 'openai-api-key'],
      ['inputSchema.properties.fixed.const', 'key-value-secret'],
      ['inputSchema.properties.key.default', 'aws-access-key-id'],
      ['inputSchema.properties.region.enum[1]', 'aws-access-key-id'],
    ]);
    expect(JSON.stringify(findings)).not.toContain('Sup3r');
  });

  it('catches URL passwords in resource URIs, secrets in instructions and in log notifications', () => {
    const findings = runRule(
      RULE,
      inventory({
        server: { info: { name: 's', version: '1' }, instructions: `Use key ${openai}`, capabilities: {}, era: 'legacy', transport: 'stdio' },
        resources: [resource('db', 'postgres://admin:Xk29-vLq83-mPz@db.internal/app')],
        logNotifications: [{ level: 'debug', data: { msg: 'connected', token: github } }],
      }),
    );
    expect(findings.map((finding) => [finding.capability.kind, finding.field, finding.data.kind])).toEqual([
      ['resource', 'uri', 'url-password'],
      ['server', 'instructions', 'openai-api-key'],
      ['server', 'logNotifications.data', 'github-token'],
    ]);
    expect(JSON.stringify(findings)).not.toContain('Xk29-vLq83');
  });

  it('catches secrets in names, resource-template URIs, OpenAPI-style `example`, and in every part of a log notification', () => {
    const findings = runRule(
      RULE,
      inventory({
        tools: [
          tool('lookup', { inputSchema: { type: 'object', properties: { [`key.${github}`]: { type: 'string' }, region: { type: 'string', example: aws } } } }),
        ],
        resources: [resource(`backup-${aws}`, 'file:///backups/latest')],
        resourceTemplates: [
          { kind: 'resourceTemplate', name: 'search', uriTemplate: `https://api.example.com/search{?q}&api_key=${fake.apiKeyValue}`, origin: {} },
        ],
        prompts: [{ kind: 'prompt', name: 'review', arguments: [{ name: `token ${github}` }], origin: {} }],
        logNotifications: [
          { level: 'info', data: `connecting to postgres://app:${fake.urlPassword}@127.0.0.1/app` },
          { level: 'debug', logger: `worker ${openai}`, data: { nested: [{ headers: { authorization: `Bearer ${fake.bearer}` } }] } },
        ],
      }),
    );
    expect(findings.map((finding) => [finding.capability.kind, finding.capability.name ?? '', finding.field, finding.data.kind]).sort()).toEqual(
      [
        ['prompt', 'review', `arguments["token ${github}"]`, 'github-token'],
        ['resource', `backup-${aws}`, 'name', 'aws-access-key-id'],
        ['resourceTemplate', 'search', 'uriTemplate', 'key-value-secret'],
        ['server', '', 'logNotifications.data', 'bearer-token'],
        ['server', '', 'logNotifications.data', 'url-password'],
        ['server', '', 'logNotifications.logger', 'openai-api-key'],
        ['tool', 'lookup', 'inputSchema.properties.region.example', 'aws-access-key-id'],
        ['tool', 'lookup', `inputSchema.properties["key.${github}"]`, 'github-token'],
      ].sort(),
    );
    // Names and fields hold what the server sent (every reporter masks them); the evidence and the message are masked here.
    const shown = JSON.stringify(findings.map((finding) => [finding.evidence, finding.message]));
    for (const secret of [github, aws, openai, fake.apiKeyValue, fake.urlPassword, fake.bearer]) expect(shown).not.toContain(secret);
  });

  it.each([
    ['a placeholder', 'Pass your token as Bearer <token>, e.g. postgres://user:password@localhost/db.'],
    ['an env var name', 'Reads GITHUB_TOKEN and OPENAI_API_KEY from the environment.'],
    ['a UUID and a git SHA', 'Issue 123e4567-e89b-12d3-a456-426614174000 at 3f786850e387550fdab836ed7e6dc881de23001b.'],
    ['a token count', 'max_tokens=4096 and token_type: bearer'],
  ])('passes %s', (_label, description) => {
    expect(runRule(RULE, withTools(tool('t', { description })))).toEqual([]);
  });
});

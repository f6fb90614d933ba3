import { describe, expect, it } from 'vitest';
import { inventory, prompt, tool, withTools } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

describe('schema/invalid-json-schema', () => {
  const RULE = 'schema/invalid-json-schema';
  it.each([
    ['a misspelt type', { type: 'object', properties: { n: { type: 'int' } } }],
    ['required that is not a list', { type: 'object', properties: { n: { type: 'string' } }, required: 'n' }],
    ['a local $ref into nothing', { type: 'object', properties: { n: { $ref: '#/$defs/missing' } } }],
    ['draft-07 declared, 2020-12 items array misuse', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { n: { type: 'array', maxItems: 'ten' } } }],
  ])('catches an input schema with %s', (_label, inputSchema) => {
    expect(runRule(RULE, withTools(tool('t', { inputSchema }))).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'invalidSchema', capability: { kind: 'tool', name: 't' }, field: 'inputSchema' },
    ]);
  });
  it('catches an output schema that is invalid, and one whose root is not an object before 2026-07-28', () => {
    const findings = runRule(
      RULE,
      withTools(tool('a', { outputSchema: { type: 'object', properties: { x: { type: 'float' } } } }), tool('b', { outputSchema: { type: 'array', items: { type: 'string' } } })),
    );
    expect(findings.map((finding) => `${finding.capability.name} ${finding.messageId}`)).toEqual(['a invalidSchema', 'b outputRootNotObject']);
  });
  it('reports an unknown $schema dialect', () => {
    const findings = runRule(RULE, withTools(tool('t', { inputSchema: { $schema: 'https://example.com/my-dialect', type: 'object' } })));
    expect(findings.map((finding) => finding.messageId)).toEqual(['unknownDialect']);
  });
  it('compiles each schema in its declared dialect: draft-07 tuple items pass, as do 2019-09 and 2020-12', () => {
    const draft07 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { p: { type: 'array', items: [{ type: 'string' }] } } };
    const draft2019 = { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object', $defs: { s: { type: 'string' } }, properties: { p: { $ref: '#/$defs/s' } } };
    const draft2020 = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { p: { type: 'array', prefixItems: [{ type: 'string' }] } } };
    expect(runRule(RULE, withTools(tool('a', { inputSchema: draft07 }), tool('b', { inputSchema: draft2019 }), tool('c', { inputSchema: draft2020 })))).toEqual([]);
  });
  it('accepts a draft-07-only schema without $schema before 2025-11-25 but not from 2025-11-25', () => {
    const inputSchema = { type: 'object', properties: { p: { type: 'array', items: [{ type: 'string' }] } }, additionalItems: false };
    const tools = [tool('t', { inputSchema: { ...inputSchema, properties: { p: { type: 'array', items: [{ type: 'string' }], additionalItems: 'no' } } } })];
    const old = inventory({ tools });
    old.server.protocolVersion = '2025-06-18';
    expect(runRule(RULE, old).map((finding) => finding.messageId)).toEqual(['invalidSchema']);
    const tuple = [tool('t', { inputSchema })];
    const oldTuple = inventory({ tools: tuple });
    oldTuple.server.protocolVersion = '2025-06-18';
    expect(runRule(RULE, oldTuple)).toEqual([]);
  });
  it('ignores unknown keywords, unknown formats, remote $refs and schemas other rules judge', () => {
    const inputSchema = { type: 'object', properties: { p: { type: 'string', format: 'made-up', 'x-widget': 'text' }, q: { $ref: 'https://example.com/schemas/q.json' } } };
    expect(runRule(RULE, withTools(tool('a', { inputSchema }), tool('b', { inputSchema: undefined }), tool('c', { inputSchema: null })))).toEqual([]);
  });
});

describe('schema/unbounded-input', () => {
  const RULE = 'schema/unbounded-input';
  it('catches unbounded strings, arrays and sizing numbers, once per tool', () => {
    const inputSchema = {
      type: 'object',
      properties: { q: { type: 'string' }, ids: { type: 'array', items: { type: 'string', maxLength: 5 } }, limit: { type: 'integer' }, id: { type: 'integer' } },
      additionalProperties: false,
    };
    const findings = runRule(RULE, withTools(tool('search', { inputSchema })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'unbounded', capability: { kind: 'tool', name: 'search' }, field: 'inputSchema.properties' }]);
    expect(findings[0]?.data.parameters).toBe('q (string), ids (array), limit (number)');
  });
  it('passes bounded, enumerated, patterned and formatted values', () => {
    const inputSchema = {
      type: 'object',
      properties: {
        q: { type: 'string', maxLength: 100 },
        kind: { type: 'string', enum: ['a', 'b'] },
        slug: { type: 'string', pattern: '^[a-z]{1,20}$' },
        when: { type: 'string', format: 'date' },
        limit: { type: 'integer', maximum: 100 },
        flag: { type: 'boolean' },
        tags: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 9 } },
      },
      additionalProperties: false,
    };
    expect(runRule(RULE, withTools(tool('search', { inputSchema })))).toEqual([]);
  });
});

describe('schema/missing-required', () => {
  const RULE = 'schema/missing-required';
  it('catches parameters with no required list and no defaults', () => {
    const inputSchema = { type: 'object', properties: { id: { type: 'string' }, verbose: { type: 'boolean', default: false } } };
    const findings = runRule(RULE, withTools(tool('get', { inputSchema })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'noRequired', capability: { kind: 'tool', name: 'get' }, field: 'inputSchema.required' }]);
    expect(findings[0]?.data.parameters).toBe('id');
  });
  it.each([
    ['a required list', { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }],
    ['all defaulted', { type: 'object', properties: { n: { type: 'number', default: 3 } } }],
    ['documented as optional', { type: 'object', properties: { tone: { type: 'string', description: 'Optional tone.' } } }],
    ['no parameters', { type: 'object', additionalProperties: false }],
  ])('passes %s', (_label, inputSchema) => {
    expect(runRule(RULE, withTools(tool('get', { inputSchema })))).toEqual([]);
  });
});

describe('schema/missing-output-schema', () => {
  const RULE = 'schema/missing-output-schema';
  it.each(['Returns a JSON object with the forecast.', 'Responds with structured data about the repo.', 'Gives the result as a JSON array.'])('catches "%s" without outputSchema', (description) => {
    expect(runRule(RULE, withTools(tool('get_forecast', { description }))).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'structuredWithoutSchema', capability: { kind: 'tool', name: 'get_forecast' }, field: 'outputSchema' },
    ]);
  });
  it('passes a tool with an outputSchema, plain-text tools, and servers older than 2025-06-18', () => {
    expect(runRule(RULE, withTools(tool('a', { description: 'Returns a JSON object.', outputSchema: { type: 'object' } }), tool('b', { description: 'Returns the file text.' })))).toEqual([]);
    const old = withTools(tool('a', { description: 'Returns a JSON object.' }));
    old.server.protocolVersion = '2025-03-26';
    expect(runRule(RULE, old)).toEqual([]);
  });
});

describe('schema/undocumented-params', () => {
  const RULE = 'schema/undocumented-params';
  it('catches a parameter and a prompt argument without description', () => {
    const inv = inventory({
      tools: [tool('get', { inputSchema: { type: 'object', properties: { id: { type: 'string' }, ok: { type: 'string', description: 'Fine.' }, t: { type: 'string', title: 'Titled' } } } })],
      prompts: [prompt('p', { arguments: [{ name: 'state' }, { name: 'city', description: 'City.' }] })],
    });
    expect(runRule(RULE, inv).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'promptArgument', capability: { kind: 'prompt', name: 'p' }, field: 'arguments.state.description' },
      { ruleId: RULE, messageId: 'parameter', capability: { kind: 'tool', name: 'get' }, field: 'inputSchema.properties.id.description' },
    ]);
  });
  it('passes documented parameters and $ref parameters', () => {
    expect(runRule(RULE, withTools(tool('get', { inputSchema: { type: 'object', properties: { a: { $ref: '#/$defs/a' } }, $defs: { a: { type: 'string' } } } })))).toEqual([]);
  });
});

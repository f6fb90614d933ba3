import { closedSchema, inventory, prompt, tool, withTools } from '../../helpers/inventory.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import type { ToolCapability } from '../../../src/inventory/model.js';
import { oneTool, onTool } from '../live-facts.js';

/** One tool on a server that negotiated `protocolVersion`. */
const revision = (protocolVersion: string, only: ToolCapability) => () => {
  const inv = withTools(only);
  inv.server.protocolVersion = protocolVersion;
  return inv;
};

ruleTester.run('schema/missing-input-schema', {
  valid: [
    {
      name: 'a closed object schema',
      facts: oneTool('search', { inputSchema: { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false } }),
    },
    { name: 'the SDK default for no parameters', facts: oneTool('search', { inputSchema: { type: 'object', properties: {} } }) },
    {
      name: 'an object with a $schema',
      facts: oneTool('search', { inputSchema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' } }),
    },
  ],
  invalid: (
    [
      ['absent', undefined, 'absent'],
      ['null', null, 'nullSchema'],
      ['a string', 'object', 'notObject'],
      ['an array', [{ type: 'object' }], 'notObject'],
      ['root type string', { type: 'string' }, 'rootTypeNotObject'],
      ['root type missing', { properties: { q: { type: 'string' } } }, 'rootTypeNotObject'],
      ['root type a union', { type: ['object', 'null'] }, 'rootTypeNotObject'],
    ] as Array<[string, unknown, string]>
  ).map(([label, inputSchema, messageId]) => ({
    name: `an inputSchema that is ${label}`,
    facts: oneTool('search', { inputSchema: inputSchema as never }),
    errors: [onTool(messageId, 'search', 'inputSchema')],
  })),
});

ruleTester.run('schema/open-input-schema', {
  valid: [
    { name: 'a closed schema', facts: oneTool('write_file', { inputSchema: closedSchema('path', 'content') }) },
    { name: 'the recommended no-parameter form', facts: oneTool('write_file', { inputSchema: { type: 'object', additionalProperties: false } }) },
    {
      name: 'unevaluatedProperties: false (2020-12)',
      facts: oneTool('write_file', { inputSchema: { type: 'object', properties: { a: { type: 'string' } }, unevaluatedProperties: false } }),
    },
    {
      name: 'a composed root left to its parts',
      facts: oneTool('write_file', { inputSchema: { type: 'object', allOf: [{ $ref: '#/$defs/args' }], $defs: { args: { type: 'object' } } } }),
    },
    { name: 'a schema that is absent (left to missing-input-schema)', facts: oneTool('broken', { inputSchema: undefined }) },
  ],
  invalid: [
    {
      name: 'a root without additionalProperties (absent counts as open)',
      facts: oneTool('write_file', { inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }),
      errors: [onTool('additionalPropertiesMissing', 'write_file', 'inputSchema.additionalProperties')],
    },
    {
      name: 'additionalProperties: true',
      facts: oneTool('write_file', { inputSchema: { type: 'object', properties: { path: { type: 'string' } }, additionalProperties: true } }),
      errors: [onTool('additionalPropertiesAllowed', 'write_file', 'inputSchema.additionalProperties')],
    },
    {
      name: 'a no-parameter tool left open',
      facts: oneTool('ping', { inputSchema: { type: 'object', properties: {} } }),
      errors: [onTool('noParametersOpen', 'ping', 'inputSchema')],
    },
    {
      name: 'parameters that accept anything, nested ones and array items too',
      facts: oneTool('write_file', {
        inputSchema: {
          type: 'object',
          properties: {
            path: { type: 'string' },
            options: {},
            flag: true,
            nested: { type: 'object', properties: { inner: {} }, additionalProperties: false },
            list: { type: 'array', items: {} },
          },
          additionalProperties: false,
        },
      }),
      errors: ['options', 'flag', 'list.items', 'nested.properties.inner'].map((path) =>
        onTool('propertyAcceptsAnything', 'write_file', `inputSchema.properties.${path}`),
      ),
    },
  ],
});

ruleTester.run('schema/invalid-json-schema', {
  valid: [
    {
      name: 'schemas in draft-07, 2019-09 and 2020-12',
      facts: withTools(
        tool('a', {
          inputSchema: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { p: { type: 'array', items: [{ type: 'string' }] } },
          },
        }),
        tool('b', {
          inputSchema: {
            $schema: 'https://json-schema.org/draft/2019-09/schema',
            type: 'object',
            $defs: { s: { type: 'string' } },
            properties: { p: { $ref: '#/$defs/s' } },
          },
        }),
        tool('c', {
          inputSchema: {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            properties: { p: { type: 'array', prefixItems: [{ type: 'string' }] } },
          },
        }),
      ),
    },
    {
      name: 'a draft-07 tuple without $schema before 2025-11-25',
      facts: revision(
        '2025-06-18',
        tool('t', { inputSchema: { type: 'object', properties: { p: { type: 'array', items: [{ type: 'string' }] } }, additionalItems: false } }),
      ),
    },
    {
      name: 'absent and null schemas (judged by missing-input-schema)',
      facts: withTools(tool('b', { inputSchema: undefined }), tool('c', { inputSchema: null })),
    },
    {
      name: 'unknown keywords, unknown formats and remote $refs',
      facts: oneTool('a', {
        inputSchema: {
          type: 'object',
          properties: { p: { type: 'string', format: 'made-up', 'x-widget': 'text' }, q: { $ref: 'https://example.com/schemas/q.json' } },
        },
      }),
    },
  ],
  invalid: [
    {
      name: 'a misspelt type',
      facts: oneTool('t', { inputSchema: { type: 'object', properties: { n: { type: 'int' } } } }),
      errors: [onTool('invalidSchema', 't', 'inputSchema')],
    },
    {
      name: 'required that is not a list',
      facts: oneTool('t', { inputSchema: { type: 'object', properties: { n: { type: 'string' } }, required: 'n' } }),
      errors: [onTool('invalidSchema', 't', 'inputSchema')],
    },
    {
      name: 'draft-07 declared, a keyword of the wrong type',
      facts: oneTool('t', {
        inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { n: { type: 'array', maxItems: 'ten' } } },
      }),
      errors: [onTool('invalidSchema', 't', 'inputSchema')],
    },
    {
      name: 'a draft-07 schema without $schema, invalid before 2025-11-25 too',
      facts: revision(
        '2025-06-18',
        tool('t', {
          inputSchema: { type: 'object', properties: { p: { type: 'array', items: [{ type: 'string' }], additionalItems: 'no' } }, additionalItems: false },
        }),
      ),
      errors: [{ messageId: 'invalidSchema', capability: { kind: 'tool', name: 't' } }],
    },
    {
      name: 'a local $ref into nothing',
      facts: oneTool('t', { inputSchema: { type: 'object', properties: { n: { $ref: '#/$defs/missing' } } } }),
      errors: [onTool('invalidSchema', 't', 'inputSchema')],
    },
    {
      name: 'an unknown $schema dialect',
      facts: oneTool('t', { inputSchema: { $schema: 'https://example.com/my-dialect', type: 'object' } }),
      errors: [{ messageId: 'unknownDialect', capability: { kind: 'tool', name: 't' } }],
    },
    {
      name: 'an output schema that is not an object',
      facts: oneTool('t', { outputSchema: 'object' }),
      errors: [onTool('outputNotObject', 't', 'outputSchema')],
    },
    {
      name: 'an invalid output schema, and one whose root is not an object before 2026-07-28',
      facts: withTools(
        tool('a', { outputSchema: { type: 'object', properties: { x: { type: 'float' } } } }),
        tool('b', { outputSchema: { type: 'array', items: { type: 'string' } } }),
      ),
      errors: [
        { messageId: 'invalidSchema', capability: { kind: 'tool', name: 'a' } },
        { messageId: 'outputRootNotObject', capability: { kind: 'tool', name: 'b' } },
      ],
    },
  ],
});

ruleTester.run('schema/unbounded-input', {
  valid: [
    {
      name: 'bounded, enumerated, patterned and formatted values',
      facts: oneTool('search', {
        inputSchema: {
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
        },
      }),
    },
  ],
  invalid: [
    {
      name: 'unbounded strings, arrays and sizing numbers, once per tool',
      facts: oneTool('search', {
        inputSchema: {
          type: 'object',
          properties: {
            q: { type: 'string' },
            ids: { type: 'array', items: { type: 'string', maxLength: 5 } },
            limit: { type: 'integer' },
            id: { type: 'integer' },
          },
          additionalProperties: false,
        },
      }),
      errors: [{ ...onTool('unbounded', 'search', 'inputSchema.properties'), data: { parameters: 'q (string), ids (array), limit (number)' } }],
    },
    {
      name: "severity by risk, built-in default: a note on every class, a shell's unbounded command included",
      facts: withTools(
        tool('run_command', { inputSchema: { type: 'object', properties: { command: { type: 'string' } }, additionalProperties: false } }),
        tool('delete_file', { inputSchema: { type: 'object', properties: { path: { type: 'string' } }, additionalProperties: false } }),
      ),
      errors: [
        { ...onTool('unbounded', 'run_command', 'inputSchema.properties'), level: 'note' },
        { ...onTool('unbounded', 'delete_file', 'inputSchema.properties'), level: 'note' },
      ],
    },
    {
      name: 'severity by risk, opted in for exec and destructive: a warning where a command or path string reaches them, a note elsewhere',
      options: { warningRiskClasses: ['exec', 'destructive'] },
      facts: withTools(
        tool('run_command', { inputSchema: { type: 'object', properties: { command: { type: 'string' } }, additionalProperties: false } }),
        tool('delete_file', { inputSchema: { type: 'object', properties: { path: { type: 'string' } }, additionalProperties: false } }),
        tool('delete_note', { inputSchema: { type: 'object', properties: { title: { type: 'string' } }, additionalProperties: false } }),
        tool('read_file', {
          annotations: { readOnlyHint: true, openWorldHint: false },
          inputSchema: { type: 'object', properties: { path: { type: 'string' } }, additionalProperties: false },
        }),
        tool('send_message', { inputSchema: { type: 'object', properties: { url: { type: 'string' } }, additionalProperties: false } }),
      ),
      errors: [
        { ...onTool('unbounded', 'run_command', 'inputSchema.properties'), level: 'warning' },
        { ...onTool('unbounded', 'delete_file', 'inputSchema.properties'), level: 'warning' },
        { ...onTool('unbounded', 'delete_note', 'inputSchema.properties'), level: 'note' },
        { ...onTool('unbounded', 'read_file', 'inputSchema.properties'), level: 'note' },
        { ...onTool('unbounded', 'send_message', 'inputSchema.properties'), level: 'note' },
      ],
    },
  ],
});

ruleTester.run('schema/missing-required', {
  valid: [
    { name: 'a required list', facts: oneTool('get', { inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }) },
    { name: 'all defaulted', facts: oneTool('get', { inputSchema: { type: 'object', properties: { n: { type: 'number', default: 3 } } } }) },
    {
      name: 'documented as optional',
      facts: oneTool('get', { inputSchema: { type: 'object', properties: { tone: { type: 'string', description: 'Optional tone.' } } } }),
    },
    { name: 'no parameters', facts: oneTool('get', { inputSchema: { type: 'object', additionalProperties: false } }) },
  ],
  invalid: [
    {
      name: 'parameters with no required list and no defaults',
      facts: oneTool('get', { inputSchema: { type: 'object', properties: { id: { type: 'string' }, verbose: { type: 'boolean', default: false } } } }),
      errors: [{ ...onTool('noRequired', 'get', 'inputSchema.required'), data: { parameters: 'id' } }],
    },
    {
      name: 'severity by risk, built-in default: a note on a destructive tool too',
      facts: oneTool('delete_branch', { inputSchema: { type: 'object', properties: { branch: { type: 'string' } } } }),
      errors: [{ ...onTool('noRequired', 'delete_branch', 'inputSchema.required'), level: 'note' }],
    },
    {
      name: 'severity by risk, opted in for destructive: a warning there, a note on a read-only tool and on a fully enumerated schema',
      options: { warningRiskClasses: ['destructive'] },
      facts: withTools(
        tool('delete_branch', { inputSchema: { type: 'object', properties: { branch: { type: 'string' } } } }),
        tool('get_branch', {
          annotations: { readOnlyHint: true, openWorldHint: false },
          inputSchema: { type: 'object', properties: { branch: { type: 'string' } } },
        }),
        tool('reset_cache', { inputSchema: { type: 'object', properties: { scope: { type: 'string', enum: ['all', 'mine'] } } } }),
      ),
      errors: [
        { ...onTool('noRequired', 'delete_branch', 'inputSchema.required'), level: 'warning' },
        { ...onTool('noRequired', 'get_branch', 'inputSchema.required'), level: 'note' },
        { ...onTool('noRequired', 'reset_cache', 'inputSchema.required'), level: 'note' },
      ],
    },
  ],
});

ruleTester.run('schema/missing-output-schema', {
  valid: [
    {
      name: 'a tool with an outputSchema, and a plain-text tool',
      facts: withTools(
        tool('a', { description: 'Returns a JSON object.', outputSchema: { type: 'object' } }),
        tool('b', { description: 'Returns the file text.' }),
      ),
    },
    { name: 'a server older than 2025-06-18 (no outputSchema yet)', facts: revision('2025-03-26', tool('a', { description: 'Returns a JSON object.' })) },
  ],
  invalid: ['Returns a JSON object with the forecast.', 'Responds with structured data about the repo.', 'Gives the result as a JSON array.'].map(
    (description) => ({
      name: `"${description}" without outputSchema`,
      facts: oneTool('get_forecast', { description }),
      errors: [onTool('structuredWithoutSchema', 'get_forecast', 'outputSchema')],
    }),
  ),
});

ruleTester.run('schema/undocumented-params', {
  valid: [
    {
      name: 'a $ref parameter',
      facts: oneTool('get', { inputSchema: { type: 'object', properties: { a: { $ref: '#/$defs/a' } }, $defs: { a: { type: 'string' } } } }),
    },
  ],
  invalid: [
    {
      name: 'a parameter and a prompt argument without description',
      facts: inventory({
        tools: [
          tool('get', {
            inputSchema: {
              type: 'object',
              properties: { id: { type: 'string' }, ok: { type: 'string', description: 'Fine.' }, t: { type: 'string', title: 'Titled' } },
            },
          }),
        ],
        prompts: [prompt('p', { arguments: [{ name: 'state' }, { name: 'city', description: 'City.' }] })],
      }),
      errors: [
        { messageId: 'promptArgument', capability: { kind: 'prompt', name: 'p' }, field: 'arguments.state.description' },
        onTool('parameter', 'get', 'inputSchema.properties.id.description'),
      ],
    },
  ],
});

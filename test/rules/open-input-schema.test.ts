import { describe, expect, it } from 'vitest';
import { closedSchema, tool, withTools } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

const RULE = 'schema/open-input-schema';
const capability = { kind: 'tool', name: 'write_file' };

describe(RULE, () => {
  it('catches a root without additionalProperties (absent counts as open)', () => {
    const inputSchema = { type: 'object', properties: { path: { type: 'string' } } };
    const findings = runRule(RULE, withTools(tool('write_file', { inputSchema })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'additionalPropertiesMissing', capability, field: 'inputSchema.additionalProperties' }]);
    expect(findings[0]?.level).toBe('warning');
  });

  it('catches additionalProperties: true and says so', () => {
    const inputSchema = { type: 'object', properties: { path: { type: 'string' } }, additionalProperties: true };
    const [finding] = runRule(RULE, withTools(tool('write_file', { inputSchema })));
    expect(finding && shape(finding)).toEqual({
      ruleId: RULE,
      messageId: 'additionalPropertiesAllowed',
      capability,
      field: 'inputSchema.additionalProperties',
    });
    expect(finding?.data.value).toBe('true');
  });

  it('catches a no-parameter tool that is not {type: object, additionalProperties: false}', () => {
    const findings = runRule(RULE, withTools(tool('ping', { inputSchema: { type: 'object', properties: {} } })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'noParametersOpen', capability: { kind: 'tool', name: 'ping' }, field: 'inputSchema' }]);
  });

  it('names each parameter that accepts anything, nested ones and array items too', () => {
    const inputSchema = {
      type: 'object',
      properties: {
        path: { type: 'string' },
        options: {},
        flag: true,
        anyDescribed: { description: 'z.any().describe() gives this' },
        nested: { type: 'object', properties: { inner: {} }, additionalProperties: false },
        list: { type: 'array', items: {} },
      },
      additionalProperties: false,
    };
    const findings = runRule(RULE, withTools(tool('write_file', { inputSchema })));
    expect(findings.map((finding) => [finding.messageId, finding.field, finding.data.parameter])).toEqual([
      ['propertyAcceptsAnything', 'inputSchema.properties.anyDescribed', 'anyDescribed'],
      ['propertyAcceptsAnything', 'inputSchema.properties.flag', 'flag'],
      ['propertyAcceptsAnything', 'inputSchema.properties.list.items', 'list[]'],
      ['propertyAcceptsAnything', 'inputSchema.properties.nested.properties.inner', 'nested.inner'],
      ['propertyAcceptsAnything', 'inputSchema.properties.options', 'options'],
    ]);
  });

  it.each([
    ['a closed schema', closedSchema('path', 'content')],
    ['the recommended no-parameter form', { type: 'object', additionalProperties: false }],
    ['unevaluatedProperties: false (2020-12)', { type: 'object', properties: { a: { type: 'string' } }, unevaluatedProperties: false }],
    ['a composed root left to its parts', { type: 'object', allOf: [{ $ref: '#/$defs/args' }], $defs: { args: { type: 'object' } } }],
    [
      'typed parameters with enums and refs',
      { type: 'object', properties: { mode: { enum: ['a', 'b'] }, ref: { $ref: '#/$defs/x' } }, additionalProperties: false },
    ],
  ])('passes %s', (_label, inputSchema) => {
    expect(runRule(RULE, withTools(tool('write_file', { inputSchema })))).toEqual([]);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['not an object type', { type: 'string' }],
  ])('leaves a tool whose schema is %s to missing-input-schema', (_label, inputSchema) => {
    expect(runRule(RULE, withTools(tool('broken', { inputSchema })))).toEqual([]);
  });
});

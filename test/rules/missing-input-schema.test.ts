import { describe, expect, it } from 'vitest';
import { tool, withTools } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

const RULE = 'schema/missing-input-schema';

describe(RULE, () => {
  it.each([
    ['absent', undefined, 'absent', undefined],
    ['null', null, 'nullSchema', undefined],
    ['a string', 'object', 'notObject', 'a string'],
    ['an array', [{ type: 'object' }], 'notObject', 'an array'],
    ['root type string', { type: 'string' }, 'rootTypeNotObject', '"string"'],
    ['root type missing', { properties: { q: { type: 'string' } } }, 'rootTypeNotObject', 'missing'],
    ['root type a union', { type: ['object', 'null'] }, 'rootTypeNotObject', '["object","null"]'],
  ])('catches an inputSchema that is %s', (_label, inputSchema, messageId, actual) => {
    const findings = runRule(RULE, withTools(tool('search', { inputSchema })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId, capability: { kind: 'tool', name: 'search' }, field: 'inputSchema' }]);
    expect(findings[0]?.level).toBe('error');
    if (actual !== undefined) expect(findings[0]?.data.actual).toBe(actual);
  });

  it.each([
    ['a closed object schema', { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false }],
    ['the SDK default for no parameters', { type: 'object', properties: {} }],
    ['an object with a $schema', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }],
  ])('passes %s', (_label, inputSchema) => {
    expect(runRule(RULE, withTools(tool('search', { inputSchema })))).toEqual([]);
  });
});

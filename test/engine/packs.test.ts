import { describe, expect, it } from 'vitest';
import { loadBuiltinRules, loadPacks, PackError, parsePack } from '../../src/engine/packs.js';
import { checkNames, getCheck } from '../../src/engine/registry.js';
import { findRule } from '../../src/engine/run.js';
import { optionsValidator } from '../../src/engine/options.js';

const GOOD_RULE = `
  - id: demo/some-rule
    level: warning
    title: A title
    rationale: Why.
    fix: How.
    references: [{ title: Spec, url: "https://example.com/spec" }]
    tags: [security]
    facts: [live]
    securitySeverity: "4.0"
    precision: high
    messages: { someMessage: "Tool {{tool}} is odd." }
    check: schema/open-input-schema
`;

describe('built-in packs', () => {
  it('load, with every rule resolving to a registered check', () => {
    const rules = loadBuiltinRules();
    const ids = rules.map((rule) => rule.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'design/shell-like-tool',
        'injection/hidden-characters',
        'injection/instruction-in-description',
        'schema/missing-input-schema',
        'schema/open-input-schema',
        'secrets/secret-in-model-visible-text',
      ]),
    );
    for (const rule of rules) {
      if (rule.match === undefined) expect(() => getCheck(rule.check ?? '', rule.id)).not.toThrow();
    }
  });

  it('declare each id once over all packs, and the registry holds exactly the checks the rules name', () => {
    const declared = loadPacks().flatMap((pack) => pack.rules.map((rule) => rule.id));
    expect(declared.filter((id, index) => declared.indexOf(id) !== index)).toEqual([]);
    const named = [...new Set(loadBuiltinRules().flatMap((rule) => (rule.check === undefined ? [] : [rule.check])))].sort();
    expect(checkNames()).toEqual(named);
  });

  it('are one file per pack, the pack named like the file', () => {
    for (const pack of loadPacks()) {
      expect(pack.file.endsWith(`${pack.pack}.yaml`)).toBe(true);
      for (const rule of pack.rules) expect(rule.pack).toBe(pack.pack);
    }
  });

  it('keep tags within what GitHub shows, a severity score, and cite at least one https reference', () => {
    for (const rule of loadBuiltinRules()) {
      expect(rule.tags.length, rule.id).toBeLessThanOrEqual(10);
      expect(Number(rule.securitySeverity), rule.id).toBeGreaterThan(0);
      expect(rule.references.length, rule.id).toBeGreaterThan(0);
      for (const reference of rule.references) expect(new URL(reference.url).protocol, `${rule.id}: ${reference.url}`).toBe('https:');
    }
  });

  it('declare an options schema for every rule with options: closed, every option typed and described, the defaults valid', () => {
    const withOptions = loadBuiltinRules().filter((rule) => rule.options !== undefined);
    expect(withOptions.length).toBeGreaterThan(0);
    for (const rule of withOptions) {
      const schema = rule.optionsSchema as { additionalProperties: unknown; required: string[]; properties: Record<string, Record<string, unknown>> };
      expect(schema.additionalProperties, rule.id).toBe(false);
      expect(Object.keys(schema.properties).sort(), rule.id).toEqual(Object.keys(rule.options!).sort());
      expect([...schema.required].sort(), rule.id).toEqual(Object.keys(rule.options!).sort());
      for (const [key, property] of Object.entries(schema.properties)) {
        expect(typeof property.type, `${rule.id} ${key}`).toBe('string');
        expect(String(property.description ?? ''), `${rule.id} ${key}`).toMatch(/\S{3}/);
      }
      const validate = optionsValidator(rule);
      expect(validate(rule.options), `${rule.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
      // The schema is not a rubber stamp: a key it does not declare is refused.
      expect(validate({ ...rule.options, notAnOption: 1 }), rule.id).toBe(false);
    }
  });
});

describe('parsePack', () => {
  it('accepts a regular pack and fills in the pack name', () => {
    const pack = parsePack(`pack: demo\nversion: 1\nrules:${GOOD_RULE}`, 'demo.yaml');
    expect(pack.rules[0]).toMatchObject({ id: 'demo/some-rule', pack: 'demo', level: 'warning' });
  });

  it.each([
    [
      'a bad level',
      GOOD_RULE.replace('level: warning', 'level: warn'),
      /demo\.yaml:5:12: rule "demo\/some-rule": "level" must be one of error, warning, note \(got "warn"\)/,
    ],
    ['an id outside the pack', GOOD_RULE.replace('demo/some-rule', 'other/some-rule'), /rule "other\/some-rule": "id" must read "demo\//],
    ['an unknown field', `${GOOD_RULE}    severity: high\n`, /demo\.yaml:16:5: rule "demo\/some-rule": unknown key "severity"/],
    ['a numeric severity', GOOD_RULE.replace('"4.0"', '4.0'), /"securitySeverity" must be a string score/],
    ['a missing field', GOOD_RULE.replace('    fix: How.\n', ''), /missing field "fix"/],
    ['a non-camelCase message id', GOOD_RULE.replace('someMessage', 'some-message'), /demo\.yaml:14:17: .*key "some-message" in "messages" must be camelCase/],
    [
      'an unknown fact',
      GOOD_RULE.replace('facts: [live]', 'facts: [network]'),
      /demo\.yaml:11:13: .*"facts\[0\]" must be one of live, source, http, repo, probe/,
    ],
  ])('rejects %s, naming file and rule', (_label, rule, message) => {
    expect(() => parsePack(`pack: demo\nversion: 1\nrules:${rule}`, 'demo.yaml')).toThrow(message);
  });

  const WITH_OPTIONS = `${GOOD_RULE}    options:\n      maxThings: 3\n`;
  const OPTIONS_SCHEMA =
    '    optionsSchema:\n      type: object\n      additionalProperties: false\n      properties:\n        maxThings: { type: integer, minimum: 1, description: At most this many. }\n';

  it('accepts options with their schema, and keeps the schema on the rule', () => {
    const pack = parsePack(`pack: demo\nversion: 1\nrules:${WITH_OPTIONS}${OPTIONS_SCHEMA}`, 'demo.yaml');
    expect(pack.rules[0]!.options).toEqual({ maxThings: 3 });
    expect(pack.rules[0]!.optionsSchema).toMatchObject({ additionalProperties: false, properties: { maxThings: { type: 'integer' } } });
  });

  it.each([
    ['options without optionsSchema', WITH_OPTIONS, /demo\.yaml:\d+:\d+: rule "demo\/some-rule": missing field "optionsSchema" \(needed with "options"\)/],
    [
      'an open optionsSchema',
      `${WITH_OPTIONS}${OPTIONS_SCHEMA.replace('additionalProperties: false', 'additionalProperties: true')}`,
      /"optionsSchema\.additionalProperties" must be false/,
    ],
    [
      'a default of the wrong type',
      `${WITH_OPTIONS.replace('maxThings: 3', 'maxThings: three')}${OPTIONS_SCHEMA}`,
      /demo\.yaml:17:18: rule "demo\/some-rule": options do not match "optionsSchema": "options\.maxThings" must be integer \(got "three"\)/,
    ],
    [
      'a default the schema does not declare',
      `${WITH_OPTIONS.replace('maxThings: 3', 'maxThing: 3')}${OPTIONS_SCHEMA}`,
      /demo\.yaml:17:7: .*unknown key "maxThing" in "options"; did you mean "maxThings"\?/,
    ],
    [
      'an optionsSchema that is not a JSON Schema',
      `${WITH_OPTIONS}${OPTIONS_SCHEMA.replace('type: integer', 'type: whole')}`,
      /"optionsSchema" is not a valid JSON Schema/,
    ],
  ])('rejects %s, naming file and rule', (_label, rule, message) => {
    expect(() => parsePack(`pack: demo\nversion: 1\nrules:${rule}`, 'demo.yaml')).toThrow(message);
  });

  it('rejects broken YAML and wrong versions with the file name', () => {
    expect(() => parsePack('pack: [', 'broken.yaml')).toThrow(PackError);
    expect(() => parsePack('pack: demo\nversion: 2\nrules: []', 'v2.yaml')).toThrow(/v2\.yaml:2:10: "version" must be 1 \(got 2\)/);
  });
});

describe('findRule', () => {
  it('suggests the closest id for a typo or a missing pack prefix', () => {
    const rules = loadBuiltinRules();
    expect(findRule(rules, 'design/shell-like-tool').id).toBe('design/shell-like-tool');
    expect(() => findRule(rules, 'design/shel-like-tool')).toThrow('Did you mean "design/shell-like-tool"?');
    expect(() => findRule(rules, 'hidden-characters')).toThrow('Did you mean "injection/hidden-characters"?');
    expect(() => findRule(rules, 'totally/unrelated')).toThrow(/Unknown rule "totally\/unrelated"\. Run/);
  });

  it('registry names the rule and suggests a check for an unknown check name', () => {
    expect(() => getCheck('design/shell-like-tol', 'custom/x')).toThrow(
      'Rule "custom/x" names check "design/shell-like-tol", which does not exist. Did you mean "design/shell-like-tool"?',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { fakeSecrets } from '../secrets/fake-secrets.js';
import { parseXml, type XmlElement } from '../helpers/xml.js';
import { RULES, finding, goodTarget, report } from './fixture.js';

const child = (element: XmlElement, name: string) => element.children.filter((entry) => entry.name === name);

describe('renderJunit', () => {
  const root = parseXml(renderJunit(report()));
  const suites = child(root, 'testsuite');

  it('is a well-formed <testsuites> with a suite per target and totals that add up', () => {
    expect(root.name).toBe('testsuites');
    expect(suites.map((suite) => suite.attributes.name)).toEqual(['Server A', 'Remote B']);
    for (const key of ['tests', 'failures', 'errors', 'skipped'] as const) {
      const sum = suites.reduce((total, suite) => total + Number(suite.attributes[key]), 0);
      expect(Number(root.attributes[key])).toBe(sum);
    }
    for (const suite of suites) {
      const cases = child(suite, 'testcase');
      expect(cases).toHaveLength(Number(suite.attributes.tests));
      expect(cases.filter((entry) => child(entry, 'failure').length > 0)).toHaveLength(Number(suite.attributes.failures));
      expect(cases.filter((entry) => child(entry, 'error').length > 0)).toHaveLength(Number(suite.attributes.errors));
      expect(cases.filter((entry) => child(entry, 'skipped').length > 0)).toHaveLength(Number(suite.attributes.skipped));
    }
  });

  it('has one test case per enabled rule per target; gated findings fail, lower ones go to system-out', () => {
    const cases = child(suites[0]!, 'testcase');
    expect(cases.map((entry) => entry.attributes.name)).toEqual([...RULES.map((rule) => rule.id)].sort());
    const byName = new Map(cases.map((entry) => [entry.attributes.name, entry]));
    const shell = byName.get('design/shell-like-tool')!;
    expect(shell.attributes.classname).toBe('mcp-preflight.Server A');
    expect(child(shell, 'failure')[0]!.attributes).toEqual({ type: 'error', message: '1 finding the gate failed on (fail-on: error)' });
    expect(child(shell, 'failure')[0]!.text).toBe('error: Tool run_command looks like a shell. (tool run_command; .mcp.json:4:5)');
    const schema = byName.get('schema/missing-input-schema')!;
    expect(child(schema, 'failure')).toHaveLength(0);
    expect(child(schema, 'system-out')[0]!.text).toContain('warning: Tool add_numbers has no input schema.');
    expect(child(byName.get('repo/missing-security-policy')!, 'skipped')[0]!.attributes.message).toBe('no repo facts');
  });

  it('fails the warnings too when they are over --max-warnings, as the gate does', () => {
    const over = parseXml(
      renderJunit(report({ gate: { passed: false, exitCode: 1, failOn: 'error', maxWarnings: 0, counts: { error: 2, warning: 1, note: 0 }, reasons: [] } })),
    );
    const schema = child(child(over, 'testsuite')[0]!, 'testcase').find((entry) => entry.attributes.name === 'schema/missing-input-schema')!;
    expect(child(schema, 'failure')[0]!.attributes.type).toBe('warning');
  });

  it('makes an unscanned target an error and skips its rules, never passing them', () => {
    const cases = child(suites[1]!, 'testcase');
    expect(cases[0]!.attributes.name).toBe('discovery');
    expect(child(cases[0]!, 'error')[0]!.attributes.message).toContain('connection refused');
    expect(cases.slice(1).every((entry) => child(entry, 'skipped').length === 1)).toBe(true);
    expect(suites[1]!.attributes).toMatchObject({ tests: String(RULES.length + 1), errors: '1', skipped: String(RULES.length), failures: '0' });
  });

  it('keeps hostile text well-formed and masked: markup, quotes, control characters, lone surrogates', () => {
    const { github } = fakeSecrets();
    const target = goodTarget();
    target.target.name = `a"b'<c>&d\u0001\ud800`;
    target.findings = [finding('design/shell-like-tool', { level: 'error', message: `</failure><x a="1"> ]]> \u001b[31m ${github}` })];
    const out = renderJunit(report({ targets: [target] }));
    const parsed = parseXml(out);
    const suite = child(parsed, 'testsuite')[0]!;
    expect(suite.attributes.name).toBe(`a"b'<c>&d\\u0001\\ud800`);
    const failure = child(
      child(suite, 'testcase').find((entry) => entry.attributes.name === 'design/shell-like-tool')!,
      'failure',
    )[0]!;
    expect(failure.text).toContain('</failure><x a="1"> ]]> \\u001b[31m');
    expect(out).not.toContain(github);
  });
});

import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { formatTemplate, skipReason } from '../../src/engine/format.js';
import type { PackRule } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { CheckFunction, FindingInput, RuleMeta } from '../../src/engine/types.js';
import { inventory, tool, withTools } from '../helpers/inventory.js';
import { fakeSecrets } from '../secrets/fake-secrets.js';

function rule(id: string, fields: Partial<PackRule> = {}): PackRule {
  return {
    id,
    pack: id.split('/')[0] ?? 'demo',
    level: 'warning',
    title: 'Demo',
    rationale: 'Why.',
    fix: 'How.',
    references: [],
    tags: [],
    facts: ['live'],
    securitySeverity: '5.0',
    precision: 'high',
    messages: { found: 'Tool {{tool}} says {{what}} ({{capability}}, {{field}}).' },
    check: id,
    ...fields,
  };
}

/** A check that reports the given inputs, for one rule. */
function reporting(...inputs: FindingInput[]): CheckFunction {
  return ({ report }) => inputs.forEach((input) => report(input));
}

function run(
  rules: RuleMeta[],
  checks: Record<string, CheckFunction>,
  options: { levels?: Record<string, 'off' | 'error' | 'warning' | 'note'> } = {},
  inv = withTools(tool('t')),
) {
  return runRules(inv, rules, {
    targetId: 'srv',
    ...options,
    resolveCheck: (r) => {
      const check = checks[r.check ?? r.id];
      if (check === undefined) throw new Error(`no check ${r.check ?? r.id}`);
      return check;
    },
  });
}

const input: FindingInput = {
  messageId: 'found',
  data: { tool: 't', what: 'hi' },
  capability: { kind: 'tool', name: 't' },
  field: 'description',
  evidence: 'hi',
};

describe('runRules', () => {
  it('formats the message from the template, with capability and field available', () => {
    const { findings, outcomes } = run([rule('demo/a')], { 'demo/a': reporting(input) });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'demo/a',
      level: 'warning',
      messageId: 'found',
      message: 'Tool t says hi (tool "t", description).',
      field: 'description',
    });
    expect(outcomes).toEqual([{ ruleId: 'demo/a', status: 'ran', findings: 1 }]);
  });

  it('skips a rule whose facts were not collected, with the reason, and never runs it', () => {
    let ran = false;
    const { findings, outcomes } = run([rule('demo/src', { facts: ['live', 'source'] })], {
      'demo/src': () => {
        ran = true;
      },
    });
    expect(ran).toBe(false);
    expect(findings).toEqual([]);
    expect(outcomes).toEqual([{ ruleId: 'demo/src', status: 'skipped', reason: 'needs source facts; run with --source' }]);
  });

  it('reports a rule switched off as off, and applies level overrides', () => {
    const { findings, outcomes } = run(
      [rule('demo/a'), rule('demo/b')],
      { 'demo/a': reporting(input), 'demo/b': reporting(input) },
      { levels: { 'demo/a': 'off', 'demo/b': 'error' } },
    );
    expect(outcomes).toEqual([
      { ruleId: 'demo/a', status: 'off' },
      { ruleId: 'demo/b', status: 'ran', findings: 1 },
    ]);
    expect(findings.map((finding) => [finding.ruleId, finding.level])).toEqual([['demo/b', 'error']]);
  });

  it("gives each finding the level its check set, unless the config sets the rule's level", () => {
    const noted: FindingInput = { ...input, level: 'note', evidence: 'low' };
    const plain: FindingInput = { ...input, evidence: 'high' };
    const checks = { 'demo/a': reporting(noted, plain) };
    const levelsOf = (run_: ReturnType<typeof run>) => run_.findings.map((finding) => [finding.evidence, finding.level]).sort();
    expect(levelsOf(run([rule('demo/a')], checks))).toEqual([
      ['high', 'warning'],
      ['low', 'note'],
    ]);
    expect(levelsOf(run([rule('demo/a')], checks, { levels: { 'demo/a': 'error' } }))).toEqual([
      ['high', 'error'],
      ['low', 'error'],
    ]);
    // The level is not part of a finding's identity: a baseline keeps matching when it changes.
    const [low] = run([rule('demo/a')], { 'demo/a': reporting(noted) }).findings;
    const [lowAsWarning] = run([rule('demo/a')], { 'demo/a': reporting({ ...noted, level: 'warning' }) }).findings;
    expect(low!.fingerprint).toBe(lowAsWarning!.fingerprint);
  });

  it('masks secrets in message, data and evidence', () => {
    const { github } = fakeSecrets();
    const leaky: FindingInput = { ...input, data: { tool: 't', what: `token ${github}` }, evidence: `uses ${github}` };
    const [finding] = run([rule('demo/a')], { 'demo/a': reporting(leaky) }).findings;
    const serialised = JSON.stringify(finding);
    expect(serialised).not.toContain(github);
    expect(finding?.message).toContain(`ghp_****${github.slice(-4)}`);
    expect(finding?.data.what).toBe(`token ghp_****${github.slice(-4)}`);
    expect(finding?.evidence).toBe(`uses ghp_****${github.slice(-4)}`);
  });

  it('keeps the fingerprint when only the location changes, and changes it with the evidence', () => {
    const at = (line: number): FindingInput => ({ ...input, location: { file: '/repo/server.ts', line, column: 1 } });
    const first = run([rule('demo/a')], { 'demo/a': reporting(at(10)) }).findings[0];
    const moved = run([rule('demo/a')], { 'demo/a': reporting(at(42)) }).findings[0];
    const reformatted = run([rule('demo/a')], { 'demo/a': reporting({ ...at(42), evidence: '  hi\n' }) }).findings[0];
    const other = run([rule('demo/a')], { 'demo/a': reporting({ ...at(10), evidence: 'bye' }) }).findings[0];
    expect(first?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(moved?.fingerprint).toBe(first?.fingerprint);
    expect(reformatted?.fingerprint).toBe(first?.fingerprint);
    expect(other?.fingerprint).not.toBe(first?.fingerprint);
    expect(fingerprint({ ruleId: 'demo/a', targetId: 'other-server', capability: input.capability, field: 'description', evidence: 'hi' })).not.toBe(
      first?.fingerprint,
    );
  });

  it('dedupes identical findings and sorts deterministically', () => {
    const b: FindingInput = { ...input, capability: { kind: 'tool', name: 'b' }, evidence: 'b' };
    const a: FindingInput = { ...input, capability: { kind: 'tool', name: 'a' }, evidence: 'a' };
    const server: FindingInput = { ...input, capability: { kind: 'server' }, evidence: 's' };
    const { findings, outcomes } = run([rule('demo/z'), rule('demo/a')], { 'demo/z': reporting(b, a, b, server), 'demo/a': reporting(input) });
    expect(findings.map((finding) => `${finding.ruleId} ${finding.capability.kind} ${finding.capability.name ?? ''}`)).toEqual([
      'demo/a tool t',
      'demo/z server ',
      'demo/z tool a',
      'demo/z tool b',
    ]);
    expect(outcomes.map((outcome) => outcome.ruleId)).toEqual(['demo/a', 'demo/z']);
    expect(outcomes[1]).toEqual({ ruleId: 'demo/z', status: 'ran', findings: 3 });
  });

  it('names the rule when a check reports an undeclared message id or throws, masking the error', () => {
    const { github } = fakeSecrets();
    expect(() => run([rule('demo/a')], { 'demo/a': reporting({ ...input, messageId: 'nope' }) })).toThrow(
      'Rule "demo/a" failed: Rule "demo/a" reported message id "nope", which its pack does not declare (declared: found).',
    );
    const throwing: CheckFunction = () => {
      throw new Error(`boom ${github}`);
    };
    expect(() => run([rule('demo/a')], { 'demo/a': throwing })).toThrow(`Rule "demo/a" failed: boom ghp_****${github.slice(-4)}`);
  });

  it('runs the built-in registry by default and passes a clean inventory', () => {
    const { findings, outcomes } = runRules(
      inventory(),
      [rule('schema/missing-input-schema', { messages: { absent: 'x', nullSchema: 'x', notObject: 'x', rootTypeNotObject: 'x' } })],
      { targetId: 'srv' },
    );
    expect(findings).toEqual([]);
    expect(outcomes).toEqual([{ ruleId: 'schema/missing-input-schema', status: 'ran', findings: 0 }]);
  });
});

describe('format', () => {
  it('leaves unknown placeholders visible and joins several missing facts', () => {
    expect(formatTemplate('{{a}} and {{ b }} and {{c}}', { a: 1, b: 'two' })).toBe('1 and two and {{c}}');
    expect(skipReason(['source', 'http'])).toBe('needs source and http facts; run with --source and check an HTTP target');
  });
});

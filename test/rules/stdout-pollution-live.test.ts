import { describe, expect, it } from 'vitest';
import { failedScanFacts } from '../../src/collect/collect-target.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import { inventory } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

const ID = 'transport/stdout-pollution';
const TOKEN = `ghp_${'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8'.slice(0, 36)}`;

describe('transport/stdout-pollution on live evidence', () => {
  it('reports the lines a stdio server wrote to stdout, at error level, with masked first lines as evidence', () => {
    const findings = runRule(ID, inventory({ stdoutNoise: { lines: 7, samples: ['Server starting...', `token=${TOKEN}`, 'ready', 'more', 'and more'] } }));
    expect(findings.map(shape)).toEqual([{ ruleId: ID, messageId: 'liveNoise', capability: { kind: 'server' }, field: 'stdout' }]);
    expect(findings[0]!.level).toBe('error');
    expect(findings[0]!.message).toContain('wrote 7 non-JSON-RPC line(s)');
    expect(findings[0]!.evidence?.split('\n')).toHaveLength(3);
    expect(findings[0]!.evidence).toContain('Server starting...');
    expect(findings[0]!.evidence).not.toContain(TOKEN);
  });

  it('does not flag a stdio server whose stdout carried JSON-RPC only', () => {
    expect(runRule(ID, inventory())).toEqual([]);
  });

  it('is skipped, not passed, for an HTTP target without source', () => {
    const http = inventory({ target: { kind: 'http', name: 'h', url: 'http://127.0.0.1:1/mcp', headerNames: [] } });
    const run = runRules(
      http,
      loadBuiltinRules().filter((rule) => rule.id === ID),
      { targetId: 'h' },
    );
    expect(run.outcomes).toEqual([{ ruleId: ID, status: 'skipped', reason: expect.stringContaining('not a stdio target') }]);
  });

  it('is skipped with an "or" reason when neither live nor source facts were collected', () => {
    const run = runRules(
      inventory({ facts: [] }),
      loadBuiltinRules().filter((rule) => rule.id === ID),
      { targetId: 't' },
    );
    expect(run.outcomes).toEqual([{ ruleId: ID, status: 'skipped', reason: expect.stringMatching(/^needs live or source facts/) }]);
  });

  it('a failed stdio scan that saw noise is judged by this rule alone', () => {
    const target = inventory().target;
    const entry = {
      target,
      failure: { message: 'x', stdoutNoise: { lines: 2, samples: ['a', 'b'] } },
      anchor: { location: { file: '/tmp/x', line: 1, column: 1 }, why: 'fallback' as const },
    };
    const facts = failedScanFacts(entry, loadBuiltinRules());
    expect(facts?.rules.map((rule) => rule.id)).toEqual([ID]);
    expect(runRules(facts!.inventory, facts!.rules, { targetId: 't' }).findings.map((finding) => finding.evidence)).toEqual(['a\nb']);
    expect(failedScanFacts({ ...entry, failure: { message: 'x' } }, loadBuiltinRules())).toBeUndefined();
  });
});

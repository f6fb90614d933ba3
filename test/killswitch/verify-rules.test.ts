// killswitch/ineffective-switch: when it does not apply (its findings are RuleTester cases in
// test/rules/cases/killswitch.ts), the plan of relaunches, and the `killSwitches` config section.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { KillSwitchFacts, SwitchRun } from '../../src/killswitch/types.js';
import { plannedEngagements } from '../../src/killswitch/verify.js';
import { repoRoot } from '../helpers/fixtures.js';
import { inventory, tool } from '../helpers/inventory.js';

const rule = () => loadBuiltinRules().filter((candidate) => candidate.id === 'killswitch/ineffective-switch');
const baseline = { tools: ['read_note', 'delete_note'], resources: [], resourceTemplates: [], prompts: [] };

function judge(killSwitches: KillSwitchFacts | undefined) {
  const scanned = inventory({ tools: [tool('read_note'), tool('delete_note')], ...(killSwitches ? { killSwitches } : {}) });
  return runRules(scanned, rule(), { targetId: 't' });
}

function verified(runs: Array<Partial<SwitchRun> & Pick<SwitchRun, 'outcome'>>): KillSwitchFacts {
  const full = runs.map((run) => ({ server: false, capabilities: [], engaged: { env: { OFF: '1' }, args: [] }, durationMs: 1, ...run }));
  return {
    declared: { server: { env: { OFF: '1' }, args: [] }, capabilities: {} },
    verification: { runs: full, baseline, probing: 'off', durationMs: 1 },
  };
}

describe('killswitch/ineffective-switch', () => {
  // What the rule reports for each outcome is pinned by test/rules/cases/killswitch.ts.
  it('is skipped, with the reason, when nothing is declared, nothing was verified, or the target is HTTP', () => {
    const reason = (facts: KillSwitchFacts | undefined) => judge(facts).outcomes[0];
    expect(reason(undefined)).toEqual({
      ruleId: 'killswitch/ineffective-switch',
      status: 'skipped',
      reason: expect.stringMatching(/no kill switch is declared/),
    });
    expect(reason({ declared: { server: { env: { OFF: '1' }, args: [] }, capabilities: {} } })).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/--verify-kill-switches/),
    });
    const http = verified([]);
    http.verification!.skipped = 'an HTTP target is a server mcp-preflight did not start';
    expect(reason(http)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/HTTP target/) });
  });
});

describe('relaunch plan', () => {
  it('relaunches once per distinct engagement, the server switch first', () => {
    const plan = plannedEngagements({
      server: { env: { MCP_DISABLED: '1' }, args: [] },
      capabilities: {
        write_note: { env: { DISABLE_WRITES: '1' }, args: [] },
        delete_note: { env: { DISABLE_WRITES: '1' }, args: [] },
        send_email: { env: {}, args: ['--no-email'] },
      },
    });
    expect(plan.map((entry) => [entry.server, entry.capabilities])).toEqual([
      [true, []],
      [false, ['write_note', 'delete_note']],
      [false, ['send_email']],
    ]);
  });
});

describe('config killSwitches', () => {
  const FILE = resolve(repoRoot, 'fixtures/configs/inline.yaml');
  const parse = (text: string) => parseConfig(text, FILE, {});

  it('reads top-level and per-target switches, the target over the top level', () => {
    const config = parse(
      [
        'killSwitches:',
        '  server: { env: { MCP_DISABLED: "1" } }',
        '  capabilities:',
        '    delete_file: { env: { DISABLE_WRITES: "1" } }',
        '    send_email: { arg: "--no-email" }',
        'targets:',
        '  - name: a',
        '    command: node s.js',
        '  - name: b',
        '    command: node s.js',
        '    killSwitches:',
        '      server: { arg: [--mode, "off"] }',
        '      capabilities: { send_email: { env: { NO_EMAIL: "1" } } }',
        '',
      ].join('\n'),
    );
    expect(config.killSwitches).toEqual({
      server: { env: { MCP_DISABLED: '1' }, args: [] },
      capabilities: { delete_file: { env: { DISABLE_WRITES: '1' }, args: [] }, send_email: { env: {}, args: ['--no-email'] } },
    });
    expect(config.targets[0]!.killSwitches).toEqual(config.killSwitches);
    expect(config.targets[1]!.killSwitches).toEqual({
      server: { env: {}, args: ['--mode', 'off'] },
      capabilities: { delete_file: { env: { DISABLE_WRITES: '1' }, args: [] }, send_email: { env: { NO_EMAIL: '1' }, args: [] } },
    });
    expect(config.reserved).toEqual({});
  });

  it('rejects a malformed switch with its line and what was expected', () => {
    expect(() => parse('killSwitches:\n  server: { envs: { A: "1" } }\n')).toThrow(/inline\.yaml:2:.*unknown key "envs".*did you mean "env"/);
    expect(() => parse('killSwitches:\n  capabilities:\n    delete_file: { env: { A: 1 } }\n')).toThrow(ConfigError);
    expect(() => parse('killSwitches:\n  capabilities:\n    delete_file: {}\n')).toThrow(/inline\.yaml:3:/);
  });
});

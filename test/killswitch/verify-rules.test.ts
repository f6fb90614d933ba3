// killswitch/ineffective-switch on hand-built verification facts (every outcome a relaunch can have),
// the plan of relaunches, and the `killSwitches` config section.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { KillSwitchFacts, SwitchOutcome, SwitchRun } from '../../src/killswitch/types.js';
import { plannedEngagements } from '../../src/killswitch/verify.js';
import { repoRoot } from '../helpers/fixtures.js';
import { inventory, tool } from '../helpers/inventory.js';

const rule = () => loadBuiltinRules().filter((candidate) => candidate.id === 'killswitch/ineffective-switch');
const baseline = { tools: ['read_note', 'delete_note'], resources: [], resourceTemplates: [], prompts: [] };
const started = (...tools: string[]): SwitchOutcome => ({ kind: 'started', exposed: { tools, resources: [], resourceTemplates: [], prompts: [] } });

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
  it('passes switches that work: server refuses with a message or exposes nothing, capability leaves discovery', () => {
    const { findings, outcomes } = judge(
      verified([
        { server: true, outcome: { kind: 'exited', code: 1, signal: null, message: 'disabled by OFF=1' } },
        { capabilities: ['delete_note'], engaged: { env: { NO_DELETE: '1' }, args: [] }, outcome: started('read_note') },
      ]),
    );
    expect(findings).toEqual([]);
    expect(outcomes).toEqual([{ ruleId: 'killswitch/ineffective-switch', status: 'ran', findings: 0 }]);
    expect(judge(verified([{ server: true, outcome: started() }])).findings).toEqual([]);
    // With --probe, a still-listed read-only tool that answers a clear "disabled" error passes.
    const disabledAnswer = { name: 'read_note', called: true, outcome: 'result', isError: true, text: 'read_note is disabled by the operator' };
    expect(judge(verified([{ capabilities: ['read_note'], outcome: started('read_note'), calls: [disabledAnswer] }])).findings).toEqual([]);
  });

  it('reports each way a switch fails, with its own message', () => {
    const cases: Array<[Partial<SwitchRun> & Pick<SwitchRun, 'outcome'>, string, RegExp]> = [
      [{ server: true, outcome: started('read_note', 'delete_note') }, 'serverStillExposes', /still exposes 2 capabilities \(read_note, delete_note\)/],
      [{ server: true, outcome: { kind: 'exited', code: 0, signal: null } }, 'serverExitedSilently', /exited \(exit code 0\) without a message/],
      [{ server: true, outcome: { kind: 'timed-out', seconds: 2 } }, 'serverHung', /neither answered nor exited within 2 s/],
      [{ capabilities: ['delete_note'], outcome: started('read_note', 'delete_note') }, 'capabilityStillListed', /delete_note is still listed with its kill switch engaged \(OFF=1\); probing is off \(--probe\)/],
      [{ capabilities: ['read_note'], outcome: started('read_note'), calls: [{ name: 'read_note', called: true, outcome: 'result', isError: false, text: 'Hello.' }] }, 'capabilityStillAnswers', /read_note is still listed and answers normally/],
      [{ capabilities: ['read_note'], outcome: started('read_note'), calls: [{ name: 'read_note', called: true, outcome: 'result', isError: true, text: 'boom' }] }, 'capabilityUnclearError', /does not say it is disabled: boom/],
      [{ capabilities: ['delete_note'], engaged: { env: {}, args: ['--no-delete'] }, outcome: { kind: 'exited', code: 2, signal: null, message: 'unknown option --no-delete' } }, 'capabilityStopsServer', /stops the whole server \(exit code 2: unknown option --no-delete\)/],
      [{ capabilities: ['delete_note'], outcome: { kind: 'timed-out', seconds: 3 } }, 'capabilityHung', /within 3 s/],
      [{ capabilities: ['delete_notes'], outcome: started('read_note') }, 'unknownCapability', /declared for delete_notes, which the server does not expose/],
      [{ server: true, outcome: { kind: 'failed', message: 'spawn ENOENT' } }, 'relaunchFailed', /failed: spawn ENOENT/],
    ];
    for (const [run, messageId, message] of cases) {
      const { findings } = judge(verified([run]));
      expect(findings.map((finding) => finding.messageId)).toEqual([messageId]);
      expect(findings[0]!.message).toMatch(message);
      expect(findings[0]!.level).toBe('error');
    }
  });

  it('is skipped, with the reason, when nothing is declared, nothing was verified, or the target is HTTP', () => {
    const reason = (facts: KillSwitchFacts | undefined) => judge(facts).outcomes[0];
    expect(reason(undefined)).toEqual({ ruleId: 'killswitch/ineffective-switch', status: 'skipped', reason: expect.stringMatching(/no kill switch is declared/) });
    expect(reason({ declared: { server: { env: { OFF: '1' }, args: [] }, capabilities: {} } })).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/--verify-kill-switches/) });
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

import type { KillSwitchFacts, SwitchOutcome, SwitchRun } from '../../../src/killswitch/types.js';
import { inventory, tool } from '../../helpers/inventory.js';
import { ruleTester, type Expected } from '../../helpers/rule-tester.js';

// killswitch/ineffective-switch on hand-built verification facts: every outcome a relaunch can have
// (test/killswitch/verify-rules.test.ts keeps the skip reasons, the relaunch plan and the config).
const baseline = { tools: ['read_note', 'delete_note'], resources: [], resourceTemplates: [], prompts: [] };
const started = (...tools: string[]): SwitchOutcome => ({ kind: 'started', exposed: { tools, resources: [], resourceTemplates: [], prompts: [] } });
type Run = Partial<SwitchRun> & Pick<SwitchRun, 'outcome'>;

function verified(...runs: Run[]) {
  const full = runs.map((run) => ({ server: false, capabilities: [], engaged: { env: { OFF: '1' }, args: [] }, durationMs: 1, ...run }));
  const killSwitches: KillSwitchFacts = {
    declared: { server: { env: { OFF: '1' }, args: [] }, capabilities: {} },
    verification: { runs: full, baseline, probing: 'off', durationMs: 1 },
  };
  return inventory({ tools: [tool('read_note'), tool('delete_note')], killSwitches });
}
const onServer = (messageId: string): Expected => ({ messageId, capability: { kind: 'server' } });
const onTool = (messageId: string, name: string): Expected => ({ messageId, capability: { kind: 'tool', name } });

ruleTester.run('killswitch/ineffective-switch', {
  valid: [
    {
      name: 'a server switch that refuses with a message, and a capability switch that removes it from discovery',
      docExample: 'good',
      facts: verified(
        { server: true, outcome: { kind: 'exited', code: 1, signal: null, message: 'disabled by OFF=1' } },
        { capabilities: ['delete_note'], engaged: { env: { NO_DELETE: '1' }, args: [] }, outcome: started('read_note') },
      ),
    },
    { name: 'a server switch under which nothing is exposed', facts: verified({ server: true, outcome: started() }) },
    {
      name: 'a still-listed read-only tool that answers a clear "disabled" error (--probe)',
      facts: verified({
        capabilities: ['read_note'],
        outcome: started('read_note'),
        calls: [{ name: 'read_note', called: true, outcome: 'result', isError: true, text: 'read_note is disabled by the operator' }],
      }),
    },
  ],
  invalid: (
    [
      ['the server still exposes its capabilities', { server: true, outcome: started('read_note', 'delete_note') }, onServer('serverStillExposes')],
      ['the server exits 0 without a message', { server: true, outcome: { kind: 'exited', code: 0, signal: null } }, onServer('serverExitedSilently')],
      ['the server neither answers nor exits', { server: true, outcome: { kind: 'timed-out', seconds: 2 } }, onServer('serverHung')],
      [
        'the capability is still listed',
        { capabilities: ['delete_note'], outcome: started('read_note', 'delete_note') },
        onTool('capabilityStillListed', 'delete_note'),
      ],
      [
        'the capability still answers a call',
        {
          capabilities: ['read_note'],
          outcome: started('read_note'),
          calls: [{ name: 'read_note', called: true, outcome: 'result', isError: false, text: 'Hello.' }],
        },
        onTool('capabilityStillAnswers', 'read_note'),
      ],
      [
        'the capability answers an error that does not say it is disabled',
        {
          capabilities: ['read_note'],
          outcome: started('read_note'),
          calls: [{ name: 'read_note', called: true, outcome: 'result', isError: true, text: 'boom' }],
        },
        onTool('capabilityUnclearError', 'read_note'),
      ],
      [
        'the capability switch stops the whole server',
        {
          capabilities: ['delete_note'],
          engaged: { env: {}, args: ['--no-delete'] },
          outcome: { kind: 'exited', code: 2, signal: null, message: 'unknown option --no-delete' },
        },
        onTool('capabilityStopsServer', 'delete_note'),
      ],
      [
        'the server hangs with the capability switch engaged',
        { capabilities: ['delete_note'], outcome: { kind: 'timed-out', seconds: 3 } },
        onTool('capabilityHung', 'delete_note'),
      ],
      [
        'a switch for a capability the server does not expose',
        { capabilities: ['delete_notes'], outcome: started('read_note') },
        onTool('unknownCapability', 'delete_notes'),
      ],
      ['the relaunch itself fails', { server: true, outcome: { kind: 'failed', message: 'spawn ENOENT' } }, onServer('relaunchFailed')],
    ] as Array<[string, Run, Expected]>
  ).map(([name, run, expected], index) => ({ name, docExample: index === 3 ? ('bad' as const) : undefined, facts: verified(run), errors: [expected] })),
});

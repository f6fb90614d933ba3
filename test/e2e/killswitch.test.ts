// check --verify-kill-switches end to end: the real CLI relaunches real stdio fixture servers with
// each declared switch engaged. Every fixture appends a line to LAUNCH_LOG per launch, so the tests
// count relaunches (and prove that without the flag there are none).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot, startHttpFixture, type HttpFixture } from '../helpers/fixtures.js';

const projects = resolve(repoRoot, 'fixtures', 'projects');

interface Report {
  targets: Array<{
    findings: Array<{ ruleId: string; messageId: string; message: string; capability: { kind: string; name?: string } }>;
    outcomes: Array<{ ruleId: string; status: string; reason?: string; findings?: number }>;
    inventory: {
      killSwitches?: {
        verification?: { runs: Array<{ server: boolean; capabilities: string[]; outcome: { kind: string; message?: string } }>; durationMs: number };
      };
    };
  }>;
}

interface Scan {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report['targets'][0];
  launches: Array<Record<string, unknown>>;
}

/** Writes a config for one fixture project in a fresh directory and runs `check` on it. */
async function scan(project: string, killSwitches: string, flags: string[], options: { source?: boolean } = {}): Promise<Scan> {
  const directory = mkdtempSync(join(tmpdir(), 'preflight-killswitch-'));
  const launchLog = join(directory, 'launches.log');
  const cwd = join(projects, project);
  const config = [
    'targets:',
    `  - name: ${project}`,
    '    command: node server.mjs',
    `    cwd: ${JSON.stringify(cwd)}`,
    ...(options.source ? [`    source: ${JSON.stringify(cwd)}`] : []),
    `    env: { LAUNCH_LOG: ${JSON.stringify(launchLog)} }`,
    '    timeout: 10',
    killSwitches,
    '',
  ].join('\n');
  writeFileSync(join(directory, 'mcp-preflight.yaml'), config);
  const out = join(directory, 'report.json');
  // --repo: the temp directory, so repository rules do not judge this whole checkout.
  const result = await runCli(
    ['check', '--config', join(directory, 'mcp-preflight.yaml'), '--repo', directory, '--format', 'json', '--output', out, ...flags],
    { timeoutMs: 60_000 },
  );
  const report = (JSON.parse(readFileSync(out, 'utf8')) as Report).targets[0]!;
  const launches = existsSync(launchLog)
    ? readFileSync(launchLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    : [];
  return { code: result.code, stdout: result.stdout, stderr: result.stderr, report, launches };
}

const readiness = (report: Scan['report']) => report.findings.filter((finding) => /^(killswitch|audit)\//.test(finding.ruleId));
const outcome = (report: Scan['report'], ruleId: string) => report.outcomes.find((entry) => entry.ruleId === ruleId);

const WORKING = `killSwitches:
  server: { env: { MCP_DISABLED: "1" } }
  capabilities:
    write_note: { env: { DISABLE_WRITES: "1" } }
    delete_note: { env: { DISABLE_WRITES: "1" } }`;

describe('check --verify-kill-switches', () => {
  it('passes a server whose switches work: the server refuses to start with a message, DISABLE_WRITES removes the write tools', async () => {
    const { code, stdout, stderr, report, launches } = await scan('killswitch-live', WORKING, ['--verify-kill-switches'], { source: true });
    expect(stderr).toBe('');
    expect(readiness(report)).toEqual([]);
    expect(outcome(report, 'killswitch/ineffective-switch')).toEqual({ ruleId: 'killswitch/ineffective-switch', status: 'ran', findings: 0 });
    // Source rules ran on the merged inventory and found the switches and audit events too.
    for (const id of ['killswitch/no-capability-switch', 'killswitch/no-server-switch', 'audit/write-tool-without-audit-log', 'audit/incomplete-audit-event'])
      expect(outcome(report, id)?.status).toBe('ran');
    expect(code).toBe(0);
    // One normal launch, then one per distinct switch (write_note and delete_note share DISABLE_WRITES).
    expect(launches).toEqual([
      { MCP_DISABLED: null, DISABLE_WRITES: null, args: [] },
      { MCP_DISABLED: '1', DISABLE_WRITES: null, args: [] },
      { MCP_DISABLED: null, DISABLE_WRITES: '1', args: [] },
    ]);
    const runs = report.inventory.killSwitches!.verification!.runs;
    expect(runs.map((run) => [run.server, run.capabilities, run.outcome.kind])).toEqual([
      [true, [], 'exited'],
      [false, ['write_note', 'delete_note'], 'started'],
    ]);
    expect(runs[0]!.outcome.message).toMatch(/disabled by MCP_DISABLED=1/);
    // The text report says what each relaunch showed, so a verdict can be checked by hand.
    expect(stdout).toContain('kill switches: 2 relaunches');
    expect(stdout).toMatch(/server with MCP_DISABLED=1: refused to start \(exit \d+: .*disabled by MCP_DISABLED=1/);
    expect(stdout).toMatch(/write_note, delete_note with DISABLE_WRITES=1: started, exposing \d+ \(/);
  });

  it('without the flag relaunches nothing, and says the switches were not verified', async () => {
    const { code, report, launches } = await scan('killswitch-live', WORKING, []);
    expect(launches).toHaveLength(1);
    expect(report.inventory.killSwitches?.verification).toBeUndefined();
    expect(outcome(report, 'killswitch/ineffective-switch')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/--verify-kill-switches/) });
    expect(code).toBe(0);
  });

  it('fails a server whose switches change nothing, or stop the whole server for one capability', async () => {
    const switches = `killSwitches:
  server: { env: { MCP_DISABLED: "1" } }
  capabilities:
    delete_note: { env: { DISABLE_WRITES: "1" } }
    send_email: { arg: "--no-email" }`;
    const { code, report, launches } = await scan('killswitch-live-bad', switches, ['--verify-kill-switches']);
    expect(code).toBe(1);
    expect(launches).toHaveLength(4);
    const found = readiness(report)
      .map((finding) => `${finding.messageId} ${finding.capability.name ?? 'server'}`)
      .sort();
    expect(found).toEqual(['capabilityStillListed delete_note', 'capabilityStopsServer send_email', 'serverStillExposes server']);
    expect(readiness(report).find((finding) => finding.messageId === 'capabilityStopsServer')!.message).toMatch(/exit code 2: unknown option --no-email/);
  });

  it('with --probe, proves a read-only tool switch by its "disabled" answer, and never calls a destructive tool', async () => {
    const reads = 'killSwitches:\n  capabilities:\n    list_notes: { env: { READS_OFF: "1" } }';
    const probed = await scan('killswitch-live', reads, ['--verify-kill-switches', '--probe']);
    expect(readiness(probed.report)).toEqual([]);
    expect(probed.report.inventory.killSwitches!.verification!.runs[0]).toMatchObject({
      capabilities: ['list_notes'],
      calls: [{ name: 'list_notes', called: true, isError: true }],
    });
    // Once by the normal probe (switch off), once on the relaunch with the switch engaged.
    expect(probed.launches.filter((line) => 'call' in line)).toEqual([{ call: 'list_notes' }, { call: 'list_notes' }]);
    expect(probed.code).toBe(0);
    // Without --probe the tool is not called, and staying listed is not proof.
    const unprobed = await scan('killswitch-live', reads, ['--verify-kill-switches']);
    expect(readiness(unprobed.report).map((finding) => finding.messageId)).toEqual(['capabilityStillListed']);
    expect(unprobed.launches.filter((line) => 'call' in line)).toEqual([]);
    // A destructive tool whose switch does nothing is never called, even with --probe.
    const destructive = await scan('killswitch-live-bad', 'killSwitches:\n  capabilities:\n    delete_note: { env: { DISABLE_WRITES: "1" } }', [
      '--verify-kill-switches',
      '--probe',
    ]);
    expect(readiness(destructive.report).map((finding) => finding.message)).toEqual([
      expect.stringMatching(/delete_note is still listed .*destructiveHint: true — never called/),
    ]);
    expect(destructive.launches.filter((line) => 'call' in line)).toEqual([]);
  });

  it('fails a server switch that exits without saying why', async () => {
    const { code, report } = await scan('killswitch-live-bad', 'killSwitches:\n  server: { arg: "--maintenance" }', ['--verify-kill-switches']);
    expect(readiness(report).map((finding) => finding.messageId)).toEqual(['serverExitedSilently']);
    expect(code).toBe(1);
  });
});

describe('check --verify-kill-switches on an HTTP target', () => {
  let server: HttpFixture;
  beforeAll(async () => {
    server = await startHttpFixture('http-server.mjs');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('cannot relaunch a server it did not start: the rule is skipped with the reason', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'preflight-killswitch-'));
    writeFileSync(join(directory, 'mcp-preflight.yaml'), 'killSwitches:\n  server: { env: { MCP_DISABLED: "1" } }\n');
    const out = join(directory, 'report.json');
    const result = await runCli(
      ['check', '--url', server.url, '--config', join(directory, 'mcp-preflight.yaml'), '--verify-kill-switches', '--format', 'json', '--output', out],
      { timeoutMs: 60_000 },
    );
    expect(result.stderr).toBe('');
    const report = (JSON.parse(readFileSync(out, 'utf8')) as Report).targets[0]!;
    expect(outcome(report, 'killswitch/ineffective-switch')).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/HTTP target .* cannot relaunch/),
    });
  });
});

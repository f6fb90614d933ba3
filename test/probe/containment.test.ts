// The containment probe for real: the collector (src/collect) spawns fixtures/servers/file-root-stdio.mjs
// over stdio with the real SDK client, the probe plants its canary beside the root, and the rules
// judge what came back.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeOptionsOf } from '../../src/cli/check.js';
import { collectTarget } from '../../src/collect/collect-target.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_LIMITS, type StdioTargetSpec } from '../../src/discovery/target.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { Inventory } from '../../src/inventory/model.js';
import { DEFAULT_PROBE_OPTIONS, launchRoots } from '../../src/probe/index.js';
import type { ProbeOptions } from '../../src/probe/types.js';
import { fixturePath } from '../helpers/fixtures.js';

const TIMEOUT_MS = 30_000;
const rules = loadBuiltinRules().filter((rule) => rule.id === 'design/path-traversal' || rule.id === 'design/unrestricted-path');

interface Scan {
  inventory: Inventory;
  parent: string;
  root: string;
  secret: string;
  calls: Array<{ name: string; arguments: { path?: string } }>;
}

/** A fresh parent directory holding `sandbox/` (the root) and a file beside it the probe must never name. */
async function scan(flags: string[], probe: Partial<ProbeOptions> = {}, rootAsArgument = true, configRoot?: (parent: string) => string): Promise<Scan> {
  const parent = mkdtempSync(path.join(tmpdir(), 'preflight-containment-'));
  const root = path.join(parent, 'sandbox');
  if (configRoot !== undefined) probe = { ...probe, roots: [{ path: configRoot(parent), from: 'probe.roots' }] };
  mkdirSync(root);
  writeFileSync(path.join(root, 'inside.txt'), 'inside\n');
  const secret = path.join(parent, 'sandbox-secret.txt');
  writeFileSync(secret, 'not for the probe\n');
  const recording = path.join(parent, 'calls.jsonl');
  const spec: StdioTargetSpec = {
    kind: 'stdio',
    name: 'file-root',
    command: process.execPath,
    // Without the root as an argument the server still confines to it (its cwd), but the probe only knows probe.roots.
    args: [fixturePath('file-root-stdio.mjs'), ...(rootAsArgument ? [root] : []), ...flags],
    env: { PROBE_RECORD_FILE: recording },
    cwd: root,
  };
  const collected = await collectTarget(spec, {
    limits: { ...DEFAULT_LIMITS, timeoutMs: TIMEOUT_MS },
    workingDirectory: parent,
    probe: { ...DEFAULT_PROBE_OPTIONS, ...probe },
  });
  expect(collected.failure).toBeUndefined();
  const calls = existsSync(recording)
    ? readFileSync(recording, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
  return { inventory: collected.inventory!, parent, root, secret, calls };
}

/** The correct server, launched without its root as an argument (it confines to its cwd), the root given as probe.roots. */
function scanWithRoot(root: (parent: string) => string): Promise<Scan> {
  return scan([], {}, false, root);
}

function findings(inventory: Inventory): string[] {
  return runRules(inventory, rules, { targetId: 'file-root' }).findings.map((finding) => `${finding.ruleId} ${finding.level} ${finding.capability.name}`);
}

/** Every path a call named lies inside the canary directory the probe made (or is the root's own file). */
function expectOnlyCanaryPaths(run: Scan): void {
  // The probe's other call (invalid arguments, `{}`) names no path.
  const probePaths = run.calls
    .filter((call) => call.name === 'read_file' && call.arguments.path !== undefined)
    .map((call) => path.resolve(run.root, call.arguments.path ?? ''));
  expect(probePaths.length).toBeGreaterThan(0);
  for (const named of probePaths) expect(path.basename(path.dirname(named))).toMatch(/^sandbox-mcpp-[A-Za-z0-9]{6}$/);
  expect(probePaths).not.toContain(run.secret);
}

/** Nothing but what the test made is left in the parent: the canary directory is gone. */
function expectCanaryRemoved(run: Scan): void {
  expect(readdirSync(run.parent).sort()).toEqual(['calls.jsonl', 'sandbox', 'sandbox-secret.txt']);
  expect(run.inventory.probe?.containment?.cleanup).toBe('removed');
}

describe('containment probe', () => {
  it('catches the sibling-prefix escape of a bare startsWith(root) check: design/path-traversal error', async () => {
    const run = await scan(['--naive']);
    const containment = run.inventory.probe?.containment;
    expect(containment?.roots).toEqual([{ path: run.root, from: 'launch argument' }]);
    expect(containment?.probes.map((probe) => [probe.tool, probe.attempts.map((attempt) => `${attempt.escape}:${attempt.canaryReturned}`)])).toEqual([
      ['read_file', ['sibling-prefix:true', 'dot-dot:true']],
    ]);
    expect(findings(run.inventory)).toEqual(['design/path-traversal error read_file', 'design/unrestricted-path warning read_file']);
    expectOnlyCanaryPaths(run);
    expectCanaryRemoved(run);
  }, 60_000);

  it('stays quiet on a path.relative check: both escapes refused, the rule ran', async () => {
    const run = await scan([]);
    const containment = run.inventory.probe?.containment;
    expect(
      containment?.probes.map((probe) => [probe.tool, probe.attempts.map((attempt) => `${attempt.escape}:${attempt.canaryReturned}:${attempt.call.isError}`)]),
    ).toEqual([['read_file', ['sibling-prefix:false:true', 'dot-dot:false:true']]]);
    expect(findings(run.inventory)).toEqual([]);
    const outcome = runRules(run.inventory, rules, { targetId: 'file-root' }).outcomes.find((entry) => entry.ruleId === 'design/path-traversal');
    expect(outcome).toEqual({ ruleId: 'design/path-traversal', status: 'ran', findings: 0 });
    expectOnlyCanaryPaths(run);
    expectCanaryRemoved(run);
  }, 60_000);

  it('uses probe.roots when the root is not among the launch arguments; the probe alone silences unrestricted-path', async () => {
    const root = (parent: string) => path.join(parent, 'sandbox');
    const unknown = await scan([], {}, false);
    // No root known: nothing tried, the rule skipped with the reason (not passed), and no launch-root evidence.
    expect(unknown.inventory.probe?.containment?.skipped).toMatch(/no allowed root known/);
    expect(runRules(unknown.inventory, rules, { targetId: 'file-root' }).outcomes.find((entry) => entry.ruleId === 'design/path-traversal')?.status).toBe(
      'skipped',
    );
    expect(unknown.calls.filter((call) => call.arguments.path !== undefined)).toEqual([]);
    expect(findings(unknown.inventory)).toEqual(['design/unrestricted-path warning read_file']);

    const configured = await scanWithRoot(root);
    expect(configured.inventory.probe?.containment?.roots).toEqual([{ path: configured.root, from: 'probe.roots' }]);
    expect(configured.inventory.probe?.containment?.probes[0]?.attempts.map((attempt) => attempt.canaryReturned)).toEqual([false, false]);
    expect(findings(configured.inventory)).toEqual([]);
    expectOnlyCanaryPaths(configured);
    expectCanaryRemoved(configured);
  }, 60_000);

  it('removes the canary when a call times out', async () => {
    const callTimeoutMs = 500;
    const run = await scan(['--hang'], { callTimeoutMs });
    const attempts = run.inventory.probe?.containment?.probes[0]?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.call.outcome)).toEqual(['timeout', 'timeout']);
    // A timeout shows no escape: no error (the launch root and list_allowed_directories still count as containment).
    expect(findings(run.inventory)).toEqual([]);
    expectCanaryRemoved(run);
  }, 60_000);
});

describe('probe.roots in the config', () => {
  it('resolves against the config file and reaches the probe options', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preflight-roots-'));
    const config = parseConfig('probe:\n  roots: [./sandbox, /srv/data]\n', path.join(dir, 'mcp-preflight.yaml'), {});
    expect(probeOptionsOf(config).roots).toEqual([
      { path: path.join(dir, 'sandbox'), from: 'probe.roots' },
      { path: '/srv/data', from: 'probe.roots' },
    ]);
  });

  it('refuses a roots entry that is not a string, with the line', () => {
    expect(() => parseConfig('probe:\n  roots: [1]\n', '/tmp/mcp-preflight.yaml', {})).toThrow(/mcp-preflight\.yaml:2/);
  });
});

describe('launch-argument roots', () => {
  it("leaves out a directory whose canary sibling would lie inside the server's working directory", () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'preflight-launchroots-'));
    mkdirSync(path.join(parent, 'data'));
    const spec = (cwd: string) => ({
      kind: 'stdio' as const,
      name: 'x',
      command: 'node',
      args: ['server.js', path.join(parent, 'data'), '--verbose', 'postgres://127.0.0.1/x'],
      env: {},
      cwd,
    });
    expect(launchRoots(spec(parent))).toEqual([]);
    expect(launchRoots(spec(path.join(parent, 'data')))).toEqual([path.join(parent, 'data')]);
  });
});

// `check --probe` end to end: the real CLI (dist), the real v2 client, a real stdio fixture that
// records every call it receives (fixtures/servers/probe-recording-stdio.mjs).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath, startHttpFixture, type HttpFixture } from '../helpers/fixtures.js';
import { everythingBin } from '../helpers/server-everything.js';

// A fake but format-valid GitHub token (TEST-ONLY), planted in the server's environment.
const PLANTED = 'ghp_Pr0beF1xtureT0kenN0tRealAbCdEf123456';
const PLANTED_PATH_VALUE = '/opt/probe-fixture/bin/only-in-this-test';

interface Finding {
  ruleId: string;
  messageId: string;
  level: string;
  capability: { kind: string; name?: string };
  field?: string;
  data: Record<string, string | number>;
}

interface Run {
  result: CliResult;
  calls: Array<{ method: string; name: string; arguments: unknown }>;
  report: any;
  /** The report's target for probe-recording-stdio.mjs. */
  target: any;
  findings: Finding[];
  outputs: string;
}

/**
 * Without --probe: probe-recording-stdio.mjs alone (--stdio). With --probe: one `check --config`
 * run whose targets are probe-recording-stdio.mjs, http-server.mjs over Streamable HTTP and
 * server-everything over stdio, each scanned and probed on its own connection within its own
 * --timeout budget; the tests below each read their target from the report.
 */
async function scan(probe: boolean, httpUrl?: string): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-probe-'));
  const recording = join(dir, 'calls.jsonl');
  const config = join(dir, 'mcp-preflight.yaml');
  // delete_everything is allow-listed on purpose: destructiveHint must still win.
  let yaml = 'probe:\n  allow: [allowed_tool, delete_everything, no_such_tool]\n  timeout: 1\n';
  const env = { PROBE_RECORD_FILE: recording, FIXTURE_API_TOKEN: PLANTED, EXTRA_PATH: PLANTED_PATH_VALUE };
  const recordingCommand = `${process.execPath} ${fixturePath('probe-recording-stdio.mjs')}`;
  if (probe) {
    // The values come from the environment of the CLI (${NAME} in the config), never the file.
    yaml +=
      `concurrency: 3\ntargets:\n` +
      `  - name: recording\n    command: ${JSON.stringify(recordingCommand)}\n    env:\n` +
      Object.keys(env)
        .map((name) => `      ${name}: \${PROBE_TEST_${name}}\n`)
        .join('') +
      `  - name: http\n    url: ${httpUrl}\n` +
      `  - name: everything\n    command: ${JSON.stringify(`${process.execPath} ${everythingBin} stdio`)}\n`;
  }
  writeFileSync(config, yaml);
  const files = ['report.json', 'report.sarif'].map((name) => join(dir, name));
  const result = await runCli(
    [
      'check',
      '--config',
      config,
      ...(probe ? ['--probe'] : ['--stdio', recordingCommand, ...Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`])]),
      // The text report goes to stdout as well.
      '--format',
      'json,sarif',
      '--output',
      `${files[0]},${files[1]}`,
    ],
    { timeoutMs: 90_000, env: Object.fromEntries(Object.entries(env).map(([name, value]) => [`PROBE_TEST_${name}`, value])) },
  );
  const calls = existsSync(recording)
    ? readFileSync(recording, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
  const report = JSON.parse(readFileSync(files[0]!, 'utf8'));
  const target = probe ? report.targets.find((entry: { target: { name: string } }) => entry.target.name === 'recording') : report.targets[0];
  return {
    result,
    calls,
    report,
    target,
    findings: target.findings,
    outputs: [result.stdout, result.stderr, ...files.map((file) => readFileSync(file, 'utf8'))].join('\n'),
  };
}

/** The --probe run, shared by every describe below that reads it; started once. */
let probeRun: Promise<Run> | undefined;
let httpServer: HttpFixture | undefined;
function sharedProbeRun(): Promise<Run> {
  probeRun ??= (async () => {
    httpServer = await startHttpFixture('http-server.mjs');
    return scan(true, httpServer.url);
  })();
  return probeRun;
}
afterAll(async () => {
  await httpServer?.stop();
});

function targetOf(run: Run, name: string) {
  const target = run.report.targets.find((entry: { target: { name: string } }) => entry.target.name === name);
  expect(target, name).toBeDefined();
  return target;
}

function findingsOf(run: Run, ruleId: string): string[] {
  return run.findings
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => `${finding.capability.name} ${finding.messageId}`)
    .sort();
}

const PROBE_RULES = [
  'design/env-exposed-to-model',
  'output/unbounded-output',
  'schema/input-not-validated',
  'schema/structured-content-mismatch',
  'secrets/internal-detail-in-error',
];

describe('check without --probe', () => {
  let run: Run;
  beforeAll(async () => {
    run = await scan(false);
  });

  it('calls no tool at all, even with an allow list in the config', () => {
    // The scan ran to its verdict: the listing alone fails the gate (dump_env returns the environment).
    expect(run.result.code).toBe(1);
    expect(run.calls).toEqual([]);
  });

  it('reports the probe rules as skipped, not passed', () => {
    const outcomes = run.target.outcomes.filter((outcome: { ruleId: string }) => PROBE_RULES.includes(outcome.ruleId));
    expect(outcomes.map((outcome: { status: string }) => outcome.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(run.target.inventory.probe).toBeUndefined();
  });
});

describe('check --probe', () => {
  let run: Run;
  beforeAll(async () => {
    run = await sharedProbeRun();
  });

  it('calls only read-only tools and allow-listed non-destructive ones', () => {
    const called = [...new Set(run.calls.filter((call) => call.method === 'tools/call').map((call) => call.name))].sort();
    expect(called).toEqual([
      'allowed_tool',
      'bad_structured',
      'dump_env',
      'get_status',
      'huge_output',
      'lax_lookup',
      'lookup_word',
      'no_text_mirror',
      'parse_count',
      'query_rows',
      'read_config_file',
      'slow_tool',
      'structured_no_schema',
    ]);
    // Never: destructive (even allow-listed, even also marked read-only), or unannotated and not listed.
    for (const never of ['delete_everything', 'readonly_but_destructive', 'unannotated_tool']) expect(called).not.toContain(never);
    const probe = run.target.inventory.probe;
    const decision = (name: string) => probe.tools.find((tool: { name: string }) => tool.name === name);
    expect(decision('delete_everything')).toMatchObject({ decision: 'skipped', reason: expect.stringContaining('destructiveHint: true') });
    expect(decision('delete_everything').reason).toContain('even though probe.allow lists it');
    expect(decision('allowed_tool')).toMatchObject({ decision: 'probed', reason: 'listed in probe.allow' });
    expect(probe.unknownAllowed).toEqual(['no_such_tool']);
  });

  it('sends invalid arguments, then minimal valid ones, and never makes up a path', () => {
    const argsOf = (name: string) => run.calls.filter((call) => call.name === name).map((call) => call.arguments);
    expect(argsOf('lookup_word')).toEqual([{}, { word: 'mcp-preflight' }]);
    expect(argsOf('parse_count')).toEqual([{}, { count: 1 }]);
    expect(argsOf('read_config_file')).toEqual([{}]);
    const probe = run.target.inventory.probe;
    const readConfig = probe.tools.find((tool: { name: string }) => tool.name === 'read_config_file');
    expect(readConfig.validSkipped).toMatch(/"path" looks like a path/);
    expect(readConfig.invalid).toMatchObject({ outcome: 'result', isError: true, text: 'path is required' });
  });

  it('reads resources and gets prompts, synthesising required arguments but never a path', () => {
    expect(run.calls.filter((call) => call.method !== 'tools/call').map((call) => `${call.method} ${call.name}`)).toEqual([
      'resources/read config://app',
      'prompts/get greeting',
      'prompts/get needs_topic',
    ]);
    expect(run.calls.find((call) => call.name === 'needs_topic')?.arguments).toEqual({ topic: 'mcp-preflight' });
    const prompts = run.target.inventory.probe.prompts;
    expect(prompts.find((entry: { name: string }) => entry.name === 'needs_file')).toMatchObject({
      decision: 'skipped',
      reason: expect.stringMatching(/"file_path" looks like a path/),
    });
  });

  it('records a timeout for a tool that never answers, and does not hang', () => {
    const slow = run.target.inventory.probe.tools.find((tool: { name: string }) => tool.name === 'slow_tool');
    expect(slow.valid.outcome).toBe('timeout');
    // The per-call timeout of the config above (probe.timeout: 1 s) fired: not sooner, and not
    // as late as the scan's own budget (the default --timeout, 30 s).
    expect(slow.valid.latencyMs).toBeGreaterThanOrEqual(900);
    expect(slow.valid.latencyMs).toBeLessThan(30_000);
    expect(run.result.stdout).toMatch(/called slow_tool .*minimal args → timeout \d+ ms/);
    expect(run.result.stdout).toMatch(/probe: \d+ calls in \d+ ms/);
  });

  it('catches each probe problem and passes its good counterpart', () => {
    expect(findingsOf(run, 'secrets/internal-detail-in-error')).toEqual([
      'parse_count absolutePath',
      'parse_count internalUrl',
      'parse_count sqlText',
      'parse_count stackTrace',
      'query_rows absolutePath',
      'query_rows internalUrl',
      'query_rows sqlText',
      'query_rows stackTrace',
    ]);
    expect(findingsOf(run, 'output/unbounded-output')).toEqual(['huge_output tooLarge']);
    expect(findingsOf(run, 'schema/structured-content-mismatch')).toEqual(['bad_structured doesNotValidate', 'no_text_mirror noTextMirror']);
    expect(findingsOf(run, 'design/env-exposed-to-model')).toEqual(['dump_env envPairs']);
    expect(findingsOf(run, 'schema/missing-output-schema')).toEqual(['structured_no_schema returnedWithoutSchema']);
    // lookup_word, read_config_file, parse_count (tool errors) and query_rows (JSON-RPC error) reject it.
    expect(findingsOf(run, 'schema/input-not-validated')).toEqual(['lax_lookup accepted']);
    expect(findingsOf(run, 'secrets/secret-in-model-visible-text')).toEqual(['dump_env secretFound']);
    // Errors among them, so this target alone fails the gate (exit 1).
    expect(run.findings.filter((finding) => finding.level === 'error').length).toBeGreaterThan(0);
    expect(run.result.code).toBe(1);
  });

  it('masks the environment the env-returning tool gave away, in every output', () => {
    expect(run.outputs).not.toContain(PLANTED);
    expect(run.outputs).not.toContain(PLANTED.slice(4, 20));
    expect(run.outputs).not.toContain(PLANTED_PATH_VALUE);
    // The server's PATH (ours, passed through) appears nowhere in what dump_env returned.
    const dump = run.target.inventory.probe.tools.find((tool: { name: string }) => tool.name === 'dump_env');
    expect(dump.valid.text).toContain('"PATH":"****"');
    expect(dump.valid.text).not.toContain(process.env.PATH!.split(':')[0]);
    const env = run.findings.find((finding) => finding.ruleId === 'design/env-exposed-to-model')!;
    expect(String(env.data.names)).toContain('FIXTURE_API_TOKEN');
  });
});

describe('check --probe over Streamable HTTP (127.0.0.1, ephemeral port)', () => {
  it('probes on the HTTP session within the same budget, calling only read-only tools', async () => {
    const target = targetOf(await sharedProbeRun(), 'http');
    // Scanned, not a failure (what exit 3 would be for this target alone).
    expect(target.failure).toBeNull();
    const inventory = target.inventory;
    expect(inventory.facts).toContain('probe');
    expect(inventory.facts).toContain('http');
    const probed = inventory.probe.tools.filter((tool: { decision: string }) => tool.decision === 'probed').map((tool: { name: string }) => tool.name);
    expect(probed.sort()).toEqual(['get_issue', 'list_repositories', 'read_text_file']);
    const createLabel = inventory.probe.tools.find((tool: { name: string }) => tool.name === 'create_label');
    expect(createLabel.decision).toBe('skipped');
    expect(inventory.probe.calls).toBeGreaterThan(0);
    expect(inventory.probe.tools.every((tool: { invalid?: { latencyMs: number } }) => tool.invalid === undefined || tool.invalid.latencyMs < 5_000)).toBe(true);
  });
});

describe('check --probe against the reference server-everything (stdio)', () => {
  it('catches its get-env tool (annotated read-only, returns process.env) with the values masked', async () => {
    const run = await sharedProbeRun();
    const target = targetOf(run, 'everything');
    expect(target.failure).toBeNull();
    const env = target.findings.filter((finding: Finding) => finding.ruleId === 'design/env-exposed-to-model');
    expect(env.map((finding: Finding) => finding.capability.name)).toEqual(['get-env']);
    // An error, so this target alone fails the gate (exit 1).
    expect(env[0].level).toBe('error');
    expect(run.result.code).toBe(1);
    const getEnv = target.inventory.probe.tools.find((tool: { name: string }) => tool.name === 'get-env');
    expect(getEnv.valid.text).toMatch(/"PATH": ?"\*\*\*\*"/);
    expect(run.outputs).not.toContain(process.env.PATH!);
    // Its tools not marked read-only (sampling, elicitation, gzip) were not called.
    for (const name of ['trigger-sampling-request', 'trigger-elicitation-request', 'gzip-file-as-resource']) {
      expect(target.inventory.probe.tools.find((tool: { name: string }) => tool.name === name).decision).toBe('skipped');
    }
  });
});

describe("check --probe within the target's --timeout", () => {
  const budgetS = 8;
  it(
    'stops probing when the budget runs out, keeps what it has, and does not turn it into a failure',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'preflight-probe-budget-'));
      const out = join(dir, 'report.json');
      // slow_tool never answers. The per-call timeout is five times the whole budget, so a scan that
      // waited for it instead of the budget takes over 5 budgets; one that stops at the budget takes
      // the budget plus start and exit, bounded here by two more budgets (a loaded two-core machine
      // took 1.1 budgets for start and exit). A budget of seconds, not fractions, leaves a loaded
      // machine the time to connect and call get_status first.
      writeFileSync(join(dir, 'mcp-preflight.yaml'), `probe:\n  timeout: ${budgetS * 5}\n`);
      const result = await runCli(
        [
          'check',
          '--config',
          join(dir, 'mcp-preflight.yaml'),
          '--stdio',
          `${process.execPath} ${fixturePath('probe-recording-stdio.mjs')}`,
          '--probe',
          '--timeout',
          String(budgetS),
          '--format',
          'json',
          '--output',
          out,
        ],
        { timeoutMs: budgetS * 1000 * 8 },
      );
      expect(result.code).toBe(1);
      expect(result.durationMs).toBeLessThan(budgetS * 1000 * 3);
      const probe = JSON.parse(readFileSync(out, 'utf8')).targets[0].inventory.probe;
      expect(probe.stoppedEarly).toMatch(new RegExp(`time budget \\(--timeout, ${budgetS} s\\) ran out`));
      const slow = probe.tools.find((tool: { name: string }) => tool.name === 'slow_tool');
      expect(slow.valid.outcome).toBe('timeout');
      expect(slow.valid.latencyMs).toBeLessThan(budgetS * 1000);
      expect(probe.tools.find((tool: { name: string }) => tool.name === 'get_status').valid.outcome).toBe('result');
    },
    budgetS * 1000 * 10,
  );
});

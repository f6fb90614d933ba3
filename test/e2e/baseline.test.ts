import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';

/**
 * The baseline end to end: `mcp-preflight baseline` then `check --baseline`, against
 * fixtures/servers/drifting-stdio.mjs (DRIFT switches a surface change on between launches) and a
 * copy of fixtures/projects/sdk-high-level whose source is edited between the two runs.
 */

const SERVER = `node ${fixturePath('drifting-stdio.mjs')}`;
let directory: string;
let baseline: string;

interface JsonFinding {
  ruleId: string;
  messageId: string;
  fingerprint: string;
  location?: { line: number };
  capability: { name?: string };
}
interface JsonReport {
  gate: { passed: boolean; reasons: string[] };
  targets: { findings: JsonFinding[]; baselined?: JsonFinding[] }[];
  baseline?: { file: string; stale: { rule: string; capability: string }[]; failOnStale: boolean };
}

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-baseline-'));
  baseline = path.join(directory, '.mcp-preflight-baseline.json');
  const run = await runCli(['baseline', '--stdio', SERVER, '--output', baseline]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^wrote .*\.mcp-preflight-baseline\.json: 2 findings of drifting-stdio\n$/);
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function check(args: string[], name: string): Promise<{ code: number | null; report: JsonReport; stdout: string; stderr: string }> {
  const json = path.join(directory, `${name}.json`);
  const run = await runCli(['check', ...args, '--format', 'json', '--output', json]);
  return { code: run.code, report: JSON.parse(readFileSync(json, 'utf8')) as JsonReport, stdout: run.stdout, stderr: run.stderr };
}

describe('mcp-preflight baseline', () => {
  it('writes per finding its fingerprint, target, rule, capability and message, sorted, the same bytes every time', async () => {
    const text = readFileSync(baseline, 'utf8');
    const file = JSON.parse(text);
    expect(file.baselineVersion).toBe(1);
    expect(file.findings.map((entry: Record<string, string>) => Object.keys(entry))).toEqual([
      ['fingerprint', 'target', 'rule', 'capability', 'message'],
      ['fingerprint', 'target', 'rule', 'capability', 'message'],
    ]);
    expect(file.findings.map((entry: Record<string, string>) => `${entry.rule} ${entry.capability}`)).toEqual([
      'design/unrestricted-path tool "list_dir"',
      'output/list-tool-without-paging tool "list_dir"',
    ]);
    const again = path.join(directory, 'again.json');
    expect((await runCli(['baseline', '--stdio', SERVER, '--output', again])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(text);
  });

  it('refuses to baseline a scan that did not see every list to its end (exit 3, one line, nothing written)', async () => {
    const cut = path.join(directory, 'cut-baseline.json');
    const run = await runCli(['baseline', '--stdio', `node ${fixturePath('flood-stdio.mjs')}`, '--max-pages', '5', '--output', cut]);
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^mcp-preflight: target flood-stdio: incompletely discovered: tools\/list stopped at the page bound \(--max-pages 5\) .* raise --max-pages, nothing written to /,
    );
    expect(existsSync(cut)).toBe(false);
  });
});

describe('check --baseline: the round trip', () => {
  it('a baselined finding does not fail the gate, and is reported as baselined (JSON, SARIF, one text line)', async () => {
    const plain = await check(['--stdio', SERVER, '--fail-on', 'note'], 'plain');
    expect(plain.code).toBe(1);
    const sarif = path.join(directory, 'baselined.sarif');
    const run = await runCli([
      'check',
      '--stdio',
      SERVER,
      '--fail-on',
      'note',
      '--baseline',
      baseline,
      '--format',
      'json,sarif',
      '--output',
      `${path.join(directory, 'baselined.json')},${sarif}`,
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(directory, 'baselined.json'), 'utf8')) as JsonReport;
    expect(report.targets[0]!.findings).toEqual([]);
    expect(report.targets[0]!.baselined!.map((finding) => finding.fingerprint).sort()).toEqual(
      plain.report.targets[0]!.findings.map((finding) => finding.fingerprint).sort(),
    );
    expect(report.baseline).toMatchObject({ stale: [], failOnStale: false });
    const results = JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results as { ruleId: string; baselineState: string }[];
    expect(results.map((result) => `${result.ruleId} ${result.baselineState}`).sort()).toEqual([
      'design/unrestricted-path unchanged',
      'output/list-tool-without-paging unchanged',
    ]);
    expect(run.stdout).toMatch(/^ {2}2 findings baselined in .*\.mcp-preflight-baseline\.json \(not gated\)$/m);
    // Nothing is gated, but there are findings: the line says none is new, not that there are none.
    expect(run.stdout).toContain('✔ no new findings');
    expect(run.stdout).not.toContain('✔ no findings');
  });

  it('a new finding fails the gate, marked "new" in SARIF, while the baselined ones stay accepted', async () => {
    const sarif = path.join(directory, 'new.sarif');
    const run = await runCli(['check', '--stdio', SERVER, '--env', 'DRIFT=add-exec', '--baseline', baseline, '--format', 'sarif', '--output', sarif]);
    expect(run.code).toBe(1);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(validateSarifSchema(log)).toEqual([]);
    assertGithubContract(log);
    const results = log.runs[0].results as { ruleId: string; baselineState: string }[];
    expect(results.filter((result) => result.baselineState === 'new').map((result) => result.ruleId)).toContain('design/shell-like-tool');
    expect(results.filter((result) => result.baselineState === 'unchanged')).toHaveLength(2);
  });

  it('a fixed finding is reported stale, and fails the gate only with --fail-on-stale', async () => {
    const fixed = await check(['--stdio', SERVER, '--env', 'DRIFT=remove', '--baseline', baseline], 'fixed');
    expect(fixed.code).toBe(0);
    expect(fixed.report.baseline!.stale.map((entry) => `${entry.rule} ${entry.capability}`)).toEqual([
      'design/unrestricted-path tool "list_dir"',
      'output/list-tool-without-paging tool "list_dir"',
    ]);
    const strict = await check(['--stdio', SERVER, '--env', 'DRIFT=remove', '--baseline', baseline, '--fail-on-stale'], 'strict');
    expect(strict.code).toBe(1);
    expect(strict.report.gate.reasons).toEqual(['2 stale baseline entries (--fail-on-stale)']);
    expect(strict.stdout).toContain('2 stale baseline entries in ');
    expect(strict.stdout).toContain('  - drifting-stdio: design/unrestricted-path on tool "list_dir"');
  });

  it('an entry whose rule did not run (switched off) is not called stale', async () => {
    const off = await check(['--stdio', SERVER, '--baseline', baseline, '--fail-on-stale', '--rule', 'design/unrestricted-path=off'], 'off');
    expect(off.code).toBe(0);
    expect(off.report.baseline!.stale).toEqual([]);
  });

  it('fingerprints survive a description edit that does not change what the finding is about', async () => {
    const reworded = await check(['--stdio', SERVER, '--env', 'DRIFT=reword', '--baseline', baseline, '--fail-on', 'note', '--fail-on-stale'], 'reworded');
    expect(reworded.report.targets[0]!.findings).toEqual([]);
    expect(reworded.report.targets[0]!.baselined).toHaveLength(2);
    expect(reworded.code).toBe(0);
  });

  it('writes and reads the baseline the config names, and a missing baseline is a usage error in one line', async () => {
    const config = path.join(directory, 'mcp-preflight.yaml');
    writeFileSync(
      config,
      [
        'targets:',
        '  - name: drifting-stdio',
        '    command: node',
        `    args: [${JSON.stringify(fixturePath('drifting-stdio.mjs'))}]`,
        'baseline: config-baseline.json',
        'gate: { failOn: note }',
        '',
      ].join('\n'),
    );
    const before = await runCli(['check', '--config', config]);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/config-baseline\.json: no such baseline; write it with "mcp-preflight baseline"\n$/);
    expect((await runCli(['baseline', '--config', config])).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(directory, 'config-baseline.json'), 'utf8')).findings.length).toBeGreaterThan(0);
    expect((await runCli(['check', '--config', config])).code).toBe(0);
    const missing = await runCli(['check', '--stdio', SERVER, '--baseline', path.join(directory, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^mcp-preflight: .*nope\.json: no such baseline; write it with "mcp-preflight baseline"\n$/);
    const noBaseline = await runCli(['check', '--stdio', SERVER, '--fail-on-stale']);
    expect(noBaseline.code).toBe(2);
    expect(noBaseline.stderr).toBe('mcp-preflight: --fail-on-stale needs a baseline: give --baseline FILE or set "baseline" in the config\n');
  });
});

describe('fingerprints in source: a baseline survives moved registrations and reformatting', () => {
  let project: string;
  let sourceBaseline: string;
  const indexFile = () => path.join(project, 'src', 'index.ts');
  const RUN_SCRIPT =
    "server.tool('run_script', { script: z.string() }, { destructiveHint: true }, async ({ script }) => ({ content: [{ type: 'text', text: runScript(script) }] }));";
  const RUN_SCRIPT_WRAPPED =
    "server.tool(\n    'run_script',\n    { script: z.string() },\n    { destructiveHint: true },\n    async ({ script }) => ({\n        content: [{ type: 'text', text: runScript(script) }],\n    }),\n);";

  beforeAll(async () => {
    project = path.join(directory, 'project');
    cpSync(path.join(repoRoot, 'fixtures', 'projects', 'sdk-high-level'), project, { recursive: true });
    sourceBaseline = path.join(directory, 'source-baseline.json');
    const run = await runCli(['baseline', '--source', project, '--name', 'app', '--output', sourceBaseline]);
    expect(run.code).toBe(0);
  });

  const lineOf = (report: JsonReport, rule: string, tool: string, messageId: string) =>
    [...report.targets[0]!.findings, ...(report.targets[0]!.baselined ?? [])].find(
      (finding) => finding.ruleId === rule && finding.capability.name === tool && finding.messageId === messageId,
    )?.location?.line;
  /** The 1-based line of the first line of `text` that contains `needle`. */
  const lineIn = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

  // One check of the source edited both ways at once: every registration moved five lines down,
  // and run_script's registration wrapped and re-indented. The two edits were checked with the
  // same flags; a fingerprint that either edit broke shows up as a new finding (and its baseline
  // entry as stale). What is compared with: the baseline of the unedited source, written above.
  let original: string;
  let edited: Promise<Awaited<ReturnType<typeof check>>> | undefined;
  const after = () =>
    (edited ??= (async () => {
      original = readFileSync(indexFile(), 'utf8');
      const moved = original.replace('const server = new McpServer(', '// moved down\n\n\n\n\nconst server = new McpServer(');
      const reformatted = moved.replace(RUN_SCRIPT, RUN_SCRIPT_WRAPPED);
      expect(moved).not.toBe(original);
      expect(reformatted).not.toBe(moved);
      writeFileSync(indexFile(), reformatted);
      try {
        return await check(['--source', project, '--name', 'app', '--baseline', sourceBaseline, '--fail-on', 'note', '--fail-on-stale'], 'source-edited');
      } finally {
        writeFileSync(indexFile(), original);
      }
    })());
  const baselinedBefore = () => (JSON.parse(readFileSync(sourceBaseline, 'utf8')) as { findings: unknown[] }).findings.length;

  it('moving every registration down keeps each finding baselined, nothing new, nothing stale', async () => {
    const moved = await after();
    // The edit did move the registrations: the finding on add (whose registration is not
    // reformatted) is five lines below add's registration in the unedited file.
    expect(lineOf(moved.report, 'annotations/missing-annotations', 'add', 'noAnnotations')).toBe(lineIn(original, "server.tool('add',") + 5);
    expect(moved.report.targets[0]!.findings).toEqual([]);
    expect(baselinedBefore()).toBeGreaterThan(0);
    expect(moved.report.targets[0]!.baselined!.length).toBe(baselinedBefore());
    expect(moved.report.baseline!.stale).toEqual([]);
    expect(moved.code).toBe(0);
  });

  it('reformatting a registration (wrapped, re-indented) keeps each finding baselined', async () => {
    const reformatted = await after();
    // run_script's listing finding (shellName, not the one on the handler's spawn call) is among
    // the baselined ones, anchored at the name, now on the line after the wrapped `server.tool(`.
    const wrappedAt = lineIn(original, "server.tool('run_script',") + 5;
    expect(
      reformatted.report.targets[0]!.baselined!.filter((finding) => finding.ruleId === 'design/shell-like-tool' && finding.messageId === 'shellName'),
    ).toHaveLength(1);
    expect(lineOf(reformatted.report, 'design/shell-like-tool', 'run_script', 'shellName')).toBe(wrappedAt + 1);
    expect(reformatted.report.targets[0]!.findings.map((finding) => finding.ruleId)).toEqual([]);
    expect(reformatted.report.targets[0]!.baselined!.length).toBe(baselinedBefore());
    expect(reformatted.code).toBe(0);
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';

/**
 * Suppressions end to end, on a copy of fixtures/projects/sdk-high-level (source-only check) with
 * directives written into its files and a config with `suppress:` entries: each form suppresses
 * what it covers and nothing else, and each misuse is a suppression/* finding at its line.
 */

interface JsonFinding {
  ruleId: string;
  messageId: string;
  message: string;
  capability: { name?: string };
  location?: { file: string; line: number };
  suppression?: { kind: string; justification: string };
}
interface JsonReport {
  gate: { counts: Record<string, number> };
  targets: { findings: JsonFinding[]; suppressed?: JsonFinding[] }[];
}

let directory: string;
let project: string;
let report: JsonReport;
let unsuppressed: JsonReport;
let sarif: { runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string; status: string }[] }[] }[] };
let text: string;

function insertAbove(file: string, marker: string, line: string): void {
  const content = readFileSync(file, 'utf8');
  expect(content).toContain(marker);
  writeFileSync(file, content.replace(marker, `${line}\n${marker}`));
}

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-suppress-'));
  project = path.join(directory, 'project');
  cpSync(path.join(repoRoot, 'fixtures', 'projects', 'sdk-high-level'), project, { recursive: true });
  const before = await runCli(['check', '--source', project, '--name', 'app', '--format', 'json', '--output', path.join(directory, 'before.json')]);
  expect(before.code).toBe(1);
  unsuppressed = JSON.parse(readFileSync(path.join(directory, 'before.json'), 'utf8'));

  const index = path.join(project, 'src', 'index.ts');
  insertAbove(index, "server.tool('run_script'", '// mcp-preflight-disable-next-line design/shell-like-tool -- runs the fixed build script only; admin-only');
  insertAbove(
    index,
    "server.registerTool(\n  'get_weather'",
    '/* mcp-preflight-disable schema/undocumented-params -- the weather API documents city and days */',
  );
  insertAbove(index, "server.tool('add'", '// mcp-preflight-enable schema/undocumented-params');
  insertAbove(index, "server.tool('ping'", '// mcp-preflight-disable-next-line schema/open-input-schema');
  insertAbove(index, "server.tool('search'", '// mcp-preflight-disable-next-line design/shell-like-tol -- misspelt');
  const helpers = path.join(project, 'src', 'helpers.ts');
  writeFileSync(helpers, `// mcp-preflight-disable-file runtime/* -- the helpers run inside the host's own timeout\n${readFileSync(helpers, 'utf8')}`);

  const config = path.join(directory, 'mcp-preflight.yaml');
  writeFileSync(
    config,
    [
      'suppress:',
      '  - { rule: annotations/missing-annotations, capability: "*", reason: annotations come with the next SDK upgrade, owner: "@team", expires: "2999-12-31" }',
      '  - { rule: audit/write-tool-without-audit-log, capability: long_job, reason: the job queue logs each run, expires: "2020-01-01" }',
      '  - { rule: design/raw-sql-tool, capability: run_query, reason: there is no such tool any more }',
      '',
    ].join('\n'),
  );
  const sarifFile = path.join(directory, 'report.sarif');
  const run = await runCli([
    'check',
    '--config',
    config,
    '--source',
    project,
    '--name',
    'app',
    '--format',
    'json,sarif',
    '--output',
    `${path.join(directory, 'report.json')},${sarifFile}`,
  ]);
  text = run.stdout;
  report = JSON.parse(readFileSync(path.join(directory, 'report.json'), 'utf8'));
  sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const findings = () => report.targets[0]!.findings;
const suppressed = () => report.targets[0]!.suppressed ?? [];
const has = (list: JsonFinding[], rule: string, capability?: string) =>
  list.some((finding) => finding.ruleId === rule && (capability === undefined || finding.capability.name === capability));

describe('each suppression form', () => {
  it('disable-next-line above a registration suppresses that rule there, with its reason, and no other rule', () => {
    expect(has(unsuppressed.targets[0]!.findings, 'design/shell-like-tool', 'run_script')).toBe(true);
    const entry = suppressed().find((finding) => finding.ruleId === 'design/shell-like-tool');
    expect(entry?.suppression).toEqual({ kind: 'inSource', justification: 'runs the fixed build script only; admin-only', at: expect.any(Object) });
    // The directive covers the registration (the listing finding); the handler's spawn call, on
    // another line, is the same rule's source evidence and stays reported.
    const shell = (list: JsonFinding[]) =>
      list
        .filter((finding) => finding.ruleId === 'design/shell-like-tool')
        .map((finding) => finding.messageId)
        .sort();
    expect(shell(unsuppressed.targets[0]!.findings)).toEqual(['shellCommand', 'shellName']);
    expect(shell(findings())).toEqual(['shellCommand']);
    expect(shell(suppressed())).toEqual(['shellName']);
    expect(findings().some((finding) => finding.ruleId === 'design/shell-like-tool' && finding.location?.line === entry?.location?.line)).toBe(false);
    expect(has(findings(), 'audit/write-tool-without-audit-log', 'run_script')).toBe(true);
  });

  it('a disable … enable block covers the registrations inside it only', () => {
    expect(has(suppressed(), 'schema/undocumented-params', 'get_weather')).toBe(true);
    expect(has(findings(), 'schema/undocumented-params', 'get_weather')).toBe(false);
    expect(has(findings(), 'schema/undocumented-params', 'add')).toBe(true);
  });

  it('disable-file with pack/* covers every rule of the pack in that file, and no other pack', () => {
    const runtime = (list: JsonFinding[]) => list.filter((finding) => finding.ruleId.startsWith('runtime/'));
    const before = runtime(unsuppressed.targets[0]!.findings);
    expect(new Set(before.map((finding) => finding.ruleId))).toEqual(
      new Set(['runtime/outbound-call-without-timeout', 'runtime/no-handler-timeout', 'runtime/no-concurrency-guard']),
    );
    // Each points at the slow call in helpers.ts (the registration in index.ts is only related).
    expect(before.every((finding) => finding.location?.file.endsWith('helpers.ts') === true)).toBe(true);
    expect(runtime(findings())).toEqual([]);
    expect(runtime(suppressed()).length).toBe(before.length);
    // design/shell-like-tool's finding on the exec call in that file is another pack's: still reported.
    expect(findings().some((finding) => finding.ruleId === 'design/shell-like-tool' && finding.location?.file.endsWith('helpers.ts') === true)).toBe(true);
  });

  it('a config entry with a capability glob suppresses the rule on every capability (external)', () => {
    expect(has(findings(), 'annotations/missing-annotations')).toBe(false);
    const entries = suppressed().filter((finding) => finding.ruleId === 'annotations/missing-annotations');
    expect(entries.length).toBe(unsuppressed.targets[0]!.findings.filter((finding) => finding.ruleId === 'annotations/missing-annotations').length);
    expect(entries[0]!.suppression).toMatchObject({ kind: 'external', justification: 'annotations come with the next SDK upgrade' });
  });

  it('suppressed findings stay in SARIF with suppressions[] (kind, justification), count in no gate, and take one text line', () => {
    expect(validateSarifSchema(sarif)).toEqual([]);
    assertGithubContract(sarif);
    const withSuppressions = sarif.runs[0]!.results.filter((result) => result.suppressions !== undefined);
    expect(withSuppressions.length).toBe(suppressed().length);
    expect(withSuppressions.find((result) => result.ruleId === 'design/shell-like-tool')!.suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'runs the fixed build script only; admin-only' },
    ]);
    const counted = Object.values(report.gate.counts).reduce((sum, count) => sum + count, 0);
    expect(counted).toBe(findings().length);
    expect(text).toMatch(new RegExp(`^  ${suppressed().length} findings suppressed with a reason \\(not gated\\)$`, 'm'));
  });
});

describe('each misuse is a suppression/* finding at the comment or config entry', () => {
  const problem = (rule: string) => findings().filter((finding) => finding.ruleId === rule);

  it('a directive without a reason suppresses nothing and is suppression/missing-reason', () => {
    expect(has(findings(), 'schema/open-input-schema', 'ping')).toBe(true);
    const [missing] = problem('suppression/missing-reason');
    expect(missing!.message).toContain('gives no reason, so it suppresses nothing');
    expect(missing!.location!.file).toMatch(/src\/index\.ts$/);
  });

  it('an unknown rule id is suppression/unknown-rule, with the closest id', () => {
    const [unknown] = problem('suppression/unknown-rule');
    expect(unknown!.message).toContain('names "design/shell-like-tol", which is no rule; did you mean "design/shell-like-tool"?');
  });

  it('an entry past its expiry date no longer suppresses and is suppression/expired', () => {
    expect(has(findings(), 'audit/write-tool-without-audit-log', 'long_job')).toBe(true);
    const [expired] = problem('suppression/expired');
    expect(expired!.message).toContain('expired on 2020-01-01');
    expect(expired!.location!.line).toBe(3);
  });

  it('an entry that matches nothing is suppression/unused; the ones that matched are not', () => {
    const unused = problem('suppression/unused');
    expect(unused.map((finding) => finding.location!.line)).toEqual([4]);
    expect(unused[0]!.message).toContain('matches no finding');
  });
});

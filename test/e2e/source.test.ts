import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../helpers/cli.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';

const node = process.execPath;
const projects = resolve(repoRoot, 'fixtures', 'projects');
const liveProject = join(projects, 'live-sdk');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'preflight-source-'));
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  properties: { capability: { kind: string; name?: string }; evidenceKind: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }>;
}

function readSarif(file: string): {
  runs: Array<{ results: SarifResult[]; invocations: Array<{ toolExecutionNotifications?: Array<{ message: { text: string } }> }> }>;
} {
  const sarif = JSON.parse(readFileSync(file, 'utf8'));
  expect(validateSarifSchema(sarif)).toEqual([]);
  assertGithubContract(sarif);
  return sarif;
}

/** 1-based line of the first line of `file` containing `needle`. */
function lineOf(file: string, needle: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(needle)) + 1
  );
}

const recordModulesHook = pathToFileURL(resolve(repoRoot, 'test/helpers/record-modules.mjs')).href;

/**
 * One `check --stdio <live-sdk> --source <live-sdk>` run, shared: SARIF and JSON written at once, and
 * the modules it loaded recorded (for the lazy-loading test below).
 */
const liveRun: { result?: CliResult; sarif: string; json: string; modules: string } = {
  sarif: join(tempDir(), 'live.sarif'),
  json: join(tempDir(), 'live.json'),
  modules: join(tempDir(), 'modules.txt'),
};
beforeAll(async () => {
  liveRun.result = await runCli(
    [
      'check',
      '--stdio',
      `${node} ${join(liveProject, 'server.mjs')}`,
      '--source',
      liveProject,
      '--format',
      'sarif,json',
      '--output',
      `${liveRun.sarif},${liveRun.json}`,
      '--sarif-root',
      repoRoot,
    ],
    { env: { NODE_OPTIONS: `--import=${recordModulesHook}`, MCP_PREFLIGHT_RECORD_MODULES: liveRun.modules } },
  );
});

describe('check --stdio ... --source (live and source merged)', () => {
  it('puts each live finding on the line that registers its capability', () => {
    const out = liveRun.sarif;
    const result = liveRun.result!;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const results = readSarif(out).runs[0]!.results;
    const server = join(liveProject, 'server.mjs');
    // Findings on the live listing; design/shell-like-tool also judges the handlers' code (evidenceKind source).
    const live = results.filter((r) => ['design/shell-like-tool', 'schema/open-input-schema'].includes(r.ruleId) && r.properties.evidenceKind === 'live');
    expect(live.map((r) => `${r.ruleId} ${r.properties.capability.name}`)).toEqual(
      expect.arrayContaining(['design/shell-like-tool run_command', 'schema/open-input-schema search_all']),
    );
    for (const r of live) {
      const location = r.locations[0]!.physicalLocation;
      expect(location.artifactLocation.uri).toBe('fixtures/projects/live-sdk/server.mjs');
      expect(location.region?.startLine).toBe(lineOf(server, `'${r.properties.capability.name}'`));
    }
  });

  it('reports a conditional registration that is not served as inventory/source-only (a note)', () => {
    const out = liveRun.json;
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const findings = report.targets[0].findings as Array<{
      ruleId: string;
      level: string;
      capability: { name?: string };
      messageId: string;
      location?: { line: number };
    }>;
    const sourceOnly = findings.filter((f) => f.ruleId === 'inventory/source-only');
    expect(sourceOnly).toEqual([
      expect.objectContaining({ level: 'note', messageId: 'sourceOnlyConditional', capability: { kind: 'tool', name: 'hidden_admin' } }),
    ]);
    expect(sourceOnly[0]!.location?.line).toBe(lineOf(join(liveProject, 'server.mjs'), "'hidden_admin'"));
    expect(findings.filter((f) => f.ruleId === 'inventory/live-only')).toEqual([]);
    // Source rules ran on the merged inventory: the shell command in handlers.mjs.
    expect(findings.map((f) => f.ruleId)).toContain('design/shell-like-tool');
    expect(report.targets[0].inventory.facts).toEqual(expect.arrayContaining(['live', 'source']));
  });
});

describe('check --stdio ... --source on a package that ships only compiled code (issue 15)', () => {
  it('maps every served tool to its definition in build/ and judges the handlers found there', async () => {
    const project = join(projects, 'compiled-esm');
    const out = join(tempDir(), 'compiled.json');
    const result = await runCli(['check', '--stdio', `${node} ${join(project, 'build/server.js')}`, '--source', project, '--format', 'json', '--output', out]);
    expect(result.stderr).toBe('');
    const target = JSON.parse(readFileSync(out, 'utf8')).targets[0];
    const tools = target.inventory.tools as Array<{ name: string; origin: { source?: { file: string; line: number } } }>;
    expect(tools.map((tool) => tool.name).sort()).toEqual(['delete_note', 'notes_write', 'read_note', 'search_notes']);
    const admin = join(project, 'build/tools/admin.js');
    expect(tools.find((tool) => tool.name === 'delete_note')!.origin.source).toMatchObject({ file: admin, line: lineOf(admin, 'name: NAMES.DELETE') });
    for (const tool of tools) expect({ name: tool.name, mapped: tool.origin.source !== undefined }).toEqual({ name: tool.name, mapped: true });
    const findings = target.findings as Array<{ ruleId: string; capability?: { name?: string } }>;
    expect(findings.filter((f) => f.ruleId === 'inventory/live-only' || f.ruleId === 'inventory/source-only')).toEqual([]);
    // The shell command sits in the handler of the compiled definition.
    expect(findings.filter((f) => f.ruleId === 'design/shell-like-tool').map((f) => f.capability?.name)).toEqual(['delete_note']);
  });
});

describe('check --source DIR alone (source-only mode, no server running)', () => {
  it('builds the inventory from source and runs the inventory and source rules', async () => {
    const out = join(tempDir(), 'source.sarif');
    const result = await runCli(['check', '--source', join(projects, 'rules-bad'), '--format', 'sarif', '--output', out, '--sarif-root', repoRoot]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const results = readSarif(out).runs[0]!.results;
    const ids = new Set(results.map((r) => r.ruleId));
    for (const id of [
      'transport/binds-all-interfaces',
      'runtime/outbound-call-without-timeout',
      'auth/no-audience-validation',
      'design/shell-like-tool',
      'design/code-eval-tool',
    ]) {
      expect(ids).toContain(id);
    }
    const shell = results.find((r) => r.ruleId === 'design/shell-like-tool')!;
    expect(shell.properties.capability.name).toBe('run');
    expect(shell.locations[0]!.physicalLocation.region?.startLine).toBe(lineOf(join(projects, 'rules-bad/src/server.ts'), "'run'"));
    expect(result.stdout).toMatch(/gate failed/);
  });

  it('passes the mitigated project, and says which live-only rules were skipped', async () => {
    const result = await runCli(['check', '--source', join(projects, 'rules-good'), '--fail-on', 'warning']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/0 errors, 0 warnings, \d+ notes? — gate passed/);
    expect(result.stdout).toMatch(/skipped/);
    expect(result.stdout).not.toMatch(/runtime\/|transport\/binds|auth\/no-audience/);
  });

  it('rejects a source root that does not exist (exit 2)', async () => {
    const result = await runCli(['check', '--source', join(projects, 'no-such-project')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--source .*no such directory/);
  });
});

describe('lazy loading: a live-only check never loads the TypeScript compiler', () => {
  const readModules = (record: string) => readFileSync(record, 'utf8').split('\n').filter(Boolean);

  async function loadedModules(args: string[]): Promise<string[]> {
    const record = join(tempDir(), 'modules.txt');
    await runCli(args, { env: { NODE_OPTIONS: `--import=${recordModulesHook}`, MCP_PREFLIGHT_RECORD_MODULES: record } });
    return readModules(record);
  }

  it('check --stdio without --source loads neither ts-morph nor typescript', async () => {
    const modules = await loadedModules(['check', '--stdio', `${node} ${join(liveProject, 'server.mjs')}`]);
    expect(modules.some((m) => m.includes('/dist/cli/'))).toBe(true);
    expect(modules.filter((m) => /ts-morph|[\\/]typescript[\\/]|[\\/]typescript\.js$|[\\/]dist[\\/]source[\\/]/.test(m))).toEqual([]);
  });

  it('check --stdio ... --source loads them (the recorder sees them, so the test above is meaningful)', () => {
    // The shared live run above: the same server, with --source.
    const modules = readModules(liveRun.modules);
    expect(modules.some((m) => m.includes('ts-morph'))).toBe(true);
    // The compiler itself, required (CommonJS) by ts-morph: seen through the require cache.
    expect(modules.some((m) => /[\\/]typescript\.js$/.test(m))).toBe(true);
    expect(modules.some((m) => /[\\/]dist[\\/]source[\\/]analyze\.js/.test(m))).toBe(true);
  });
});

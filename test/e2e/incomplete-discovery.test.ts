// Issue 12, "Incomplete means not passed": a list cut short at a bound, a repeated cursor, endless
// empty pages or an error is exit 3 with one stderr line (or, with --allow-incomplete, an error
// finding that fails the gate), never a pass. Real servers from fixtures/hostile over stdio.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';

const node = process.execPath;
const hostile = (name: string, args = '') => `${node} ${resolve(repoRoot, 'fixtures', 'hostile', name)}${args ? ` ${args}` : ''}`;
// The 10,000-tool case takes seconds on an idle machine and ten times that on a loaded 2-core one:
// the CLI budget (--timeout 120), the kill and the test timeout leave room for that, and no
// assertion is about time.
const CLI_TIMEOUT_MS = 240_000;
const TEST_TIMEOUT_MS = 600_000;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'preflight-limits-'));
}

interface Listing {
  list: string;
  requested: boolean;
  complete: boolean;
  pages: number;
  items: number;
  stop?: { reason: string; limit?: number };
}
interface Finding {
  ruleId: string;
  level: string;
  messageId: string;
  capability: { kind: string; name?: string };
}

/** check with JSON and SARIF written to files; returns the exit code, stderr lines and both documents. */
async function check(stdio: string, extra: string[] = []) {
  const dir = tempDir();
  const json = join(dir, 'report.json');
  const sarif = join(dir, 'report.sarif');
  const result = await runCli(['check', '--stdio', stdio, '--format', 'json,sarif', '--output', `${json},${sarif}`, '--timeout', '120', ...extra], {
    timeoutMs: CLI_TIMEOUT_MS,
  });
  const report = JSON.parse(readFileSync(json, 'utf8'));
  const log = JSON.parse(readFileSync(sarif, 'utf8'));
  expect(validateSarifSchema(log)).toEqual([]);
  assertGithubContract(log);
  const target = report.targets[0];
  return {
    code: result.code,
    stderrLines: result.stderr.split('\n').filter((line) => line !== ''),
    report,
    listings: target.inventory.listings as Listing[],
    findings: target.findings as Finding[],
    invocation: log.runs[0].invocations[0],
  };
}

const tools = (listings: Listing[]) => listings.find((listing) => listing.list === 'tools')!;

/**
 * The servers whose tools/list stops short of its end, checked in one run over a config with one
 * target each (the item bounds are the targets' `limits:`). The run's exit code is 3 for all of them
 * together: the gate counts each target it saw incompletely (asserted below), and each target has its
 * own line on stderr, listings, findings and SARIF run.
 */
const CUT_SHORT: Record<string, { command: string; maxItems?: number }> = {
  // 120 tools, 10 a page, the poisoned one at 101: the bound of 100 is crossed on the 10th page.
  'many-tools-stdio': { command: hostile('many-tools-stdio.mjs', '--tools 120 --page-size 10 --poison-at 101'), maxItems: 100 },
  // The poisoned one at 5, before the bound of 50.
  'poison-before-bound': { command: hostile('many-tools-stdio.mjs', '--tools 60 --page-size 10 --poison-at 5'), maxItems: 50 },
  'endless-cursor-stdio': { command: hostile('endless-cursor-stdio.mjs') },
  'cycling-cursor-stdio': { command: hostile('cycling-cursor-stdio.mjs') },
  'empty-pages-stdio': { command: hostile('empty-pages-stdio.mjs') },
  'list-error-stdio': { command: hostile('list-error-stdio.mjs') },
};

interface GroupRun {
  code: number | null;
  stderrLines: string[];
  report: { gate: { passed: boolean; exitCode: number; reasons: string[] }; targets: Array<{ target: { name: string } }> };
  sarifRunIds: string[];
  /** One target's part of the run, as check() returns it for a run of its own. */
  target(name: string): {
    stderrLines: string[];
    listings: Listing[];
    findings: Finding[];
    invocation: { executionSuccessful: boolean; toolExecutionNotifications?: unknown[] };
  };
}

let cutShortRun: Promise<GroupRun> | undefined;
function cutShort(): Promise<GroupRun> {
  cutShortRun ??= (async () => {
    const dir = tempDir();
    const config = join(dir, 'mcp-preflight.yaml');
    const lines = ['targets:'];
    for (const [name, { command, maxItems }] of Object.entries(CUT_SHORT)) {
      lines.push(`  - name: ${name}`, `    command: ${JSON.stringify(command)}`);
      if (maxItems !== undefined) lines.push('    limits:', `      maxItems: ${maxItems}`);
    }
    writeFileSync(config, [...lines, ''].join('\n'));
    const json = join(dir, 'report.json');
    const sarif = join(dir, 'report.sarif');
    // SARIF paths relative to the config's directory: its findings are anchored at the config.
    const result = await runCli(
      ['check', '--config', config, '--sarif-root', dir, '--format', 'json,sarif', '--output', `${json},${sarif}`, '--timeout', '120'],
      {
        timeoutMs: CLI_TIMEOUT_MS,
      },
    );
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(validateSarifSchema(log)).toEqual([]);
    assertGithubContract(log);
    const stderrLines = result.stderr.split('\n').filter((line) => line !== '');
    const names: string[] = report.targets.map((target: { target: { name: string } }) => target.target.name);
    return {
      code: result.code,
      stderrLines,
      report,
      sarifRunIds: log.runs.map((run: { automationDetails: { id: string } }) => run.automationDetails.id),
      target(name: string) {
        const index = names.indexOf(name);
        expect(index, name).toBeGreaterThan(-1);
        // SARIF runs are one per target, in the report's order.
        expect(log.runs[index].automationDetails.id).toBe(`mcp-preflight/${name}/`);
        return {
          stderrLines: stderrLines.filter((line) => line.startsWith(`mcp-preflight: target ${name}: `)),
          listings: report.targets[index].inventory.listings,
          findings: report.targets[index].findings,
          invocation: log.runs[index].invocations[0],
        };
      },
    };
  })();
  return cutShortRun;
}

describe('incompletely discovered targets are never passed', { timeout: TEST_TIMEOUT_MS }, () => {
  it('a 10,000-tool server is discovered whole with the default limits, and its poisoned tool at 5,001 is found', async () => {
    const run = await check(hostile('many-tools-stdio.mjs', '--tools 10000 --page-size 100 --poison-at 5001'));
    expect(tools(run.listings)).toMatchObject({ complete: true, pages: 100, items: 10_000 });
    expect(tools(run.listings).stop).toBeUndefined();
    expect(run.report.targets[0].inventory.tools).toHaveLength(10_000);
    const poisoned = run.findings.filter((finding) => finding.ruleId === 'injection/instruction-in-description');
    expect(poisoned.map((finding) => finding.capability.name)).toEqual(['inventory_lookup_05001']);
    expect(run.findings.some((finding) => finding.ruleId === 'protocol/incomplete-discovery')).toBe(false);
    expect(run.code).toBe(1);
    expect(run.invocation.executionSuccessful).toBe(true);
  });

  it('one run over the cut-short servers exits 3: the gate counts every one of them, each with its own line on stderr', async () => {
    const group = await cutShort();
    const names = Object.keys(CUT_SHORT);
    expect(group.code).toBe(3);
    expect(group.report.gate).toMatchObject({ passed: false, exitCode: 3 });
    expect(group.report.gate.reasons).toContain(`${names.length} targets were incompletely discovered`);
    // Exit 3 from the incomplete listings alone: every target was reached.
    expect(group.report.gate.reasons.filter((reason) => /could not be scanned/.test(reason))).toEqual([]);
    expect(group.report.targets.map((target) => target.target.name)).toEqual(names);
    expect(group.sarifRunIds).toEqual(names.map((name) => `mcp-preflight/${name}/`));
    // Every stderr line is one target's, one line each.
    expect(group.stderrLines).toHaveLength(names.length);
    for (const name of names) expect(group.target(name).stderrLines, name).toHaveLength(1);
  });

  it('a server with more tools than its item bound exits 3 with one line naming the list, the bound, what was seen and the flag', async () => {
    const group = await cutShort();
    const run = group.target('many-tools-stdio');
    expect(group.code).toBe(3);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(
      /^mcp-preflight: target many-tools-stdio: incompletely discovered: tools\/list stopped at the item bound \(--max-items 100\) after 10 pages, 100 items, [\d.]+ KiB seen — raise --max-items, or pass --allow-incomplete/,
    );
    expect(tools(run.listings)).toMatchObject({ complete: false, items: 100, stop: { reason: 'items', limit: 100 } });
    expect(group.report.gate).toMatchObject({ passed: false, exitCode: 3 });
    expect(run.invocation.executionSuccessful).toBe(false);
    expect(run.invocation.toolExecutionNotifications).toContainEqual(
      expect.objectContaining({ level: 'error', message: { text: expect.stringMatching(/incompletely discovered: tools\/list stopped at the item bound/) } }),
    );
    // The poisoned tool sits past the bound: not seen, so not reported, and the gate does not pass.
    expect(run.findings.some((finding) => finding.ruleId === 'injection/instruction-in-description')).toBe(false);
  });

  it('still reports the findings on what was seen', async () => {
    const group = await cutShort();
    const run = group.target('poison-before-bound');
    expect(group.code).toBe(3);
    expect(tools(run.listings)).toMatchObject({ complete: false, items: 50, stop: { reason: 'items', limit: 50 } });
    expect(run.findings.filter((finding) => finding.ruleId === 'injection/instruction-in-description').map((finding) => finding.capability.name)).toEqual([
      'inventory_lookup_00005',
    ]);
    expect(run.findings).toContainEqual(expect.objectContaining({ ruleId: 'protocol/incomplete-discovery', level: 'error', messageId: 'stopped' }));
  });

  it('a server sending a new nextCursor forever stops at the page bound: exit 3', async () => {
    const group = await cutShort();
    const run = group.target('endless-cursor-stdio');
    expect(group.code).toBe(3);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(/tools\/list stopped at the page bound \(--max-pages 500\) after 500 pages, 1000 items, .* — raise --max-pages/);
    expect(tools(run.listings)).toMatchObject({ complete: false, pages: 500, stop: { reason: 'pages', limit: 500 } });
    expect(run.invocation.executionSuccessful).toBe(false);
    // Reaching our own bound is not the server's paging fault: no pagination-abuse for it.
    expect(run.findings.some((finding) => finding.ruleId === 'protocol/pagination-abuse')).toBe(false);
  });

  it('cursors that cycle A → B → A stop at the repeat: exit 3, and pagination-abuse names the loop', async () => {
    const group = await cutShort();
    const run = group.target('cycling-cursor-stdio');
    expect(group.code).toBe(3);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(
      /tools\/list stopped at page 3: the server repeated a cursor it had already sent \(3 pages, 3 items, .*\) — fix the server's listing, or pass --allow-incomplete/,
    );
    expect(tools(run.listings)).toMatchObject({ complete: false, pages: 3, stop: { reason: 'repeated-cursor' } });
    expect(run.findings).toContainEqual(expect.objectContaining({ ruleId: 'protocol/pagination-abuse', messageId: 'repeatedCursor' }));
    expect(run.invocation.executionSuccessful).toBe(false);
  });

  it('empty pages with a cursor forever stop after 10 in a row: exit 3', async () => {
    const group = await cutShort();
    const run = group.target('empty-pages-stdio');
    expect(group.code).toBe(3);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(/tools\/list stopped after 10 empty pages in a row, each with a nextCursor \(11 pages, 1 item,/);
    expect(tools(run.listings)).toMatchObject({ complete: false, pages: 11, items: 1, stop: { reason: 'empty-pages', limit: 10 } });
    expect(run.findings).toContainEqual(expect.objectContaining({ ruleId: 'protocol/pagination-abuse', messageId: 'emptyPages' }));
  });

  it('an advertised list that errors makes the target incomplete: exit 3, the other lists still judged', async () => {
    const group = await cutShort();
    const run = group.target('list-error-stdio');
    expect(group.code).toBe(3);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(/prompts\/list failed with error -32603: "prompt store unavailable" \(0 pages, 0 items/);
    expect(run.listings.find((listing) => listing.list === 'prompts')).toMatchObject({ complete: false, stop: { reason: 'error' } });
    expect(tools(run.listings)).toMatchObject({ complete: true, items: 1 });
    // resources/templates/list answered -32601 under `resources`: "no templates", not a list left unseen.
    expect(run.listings.find((listing) => listing.list === 'resourceTemplates')).toMatchObject({ requested: true, complete: true, pages: 0 });
    expect(run.findings.filter((finding) => finding.ruleId === 'protocol/incomplete-discovery')).toEqual([expect.objectContaining({ messageId: 'failed' })]);
  });

  it('--allow-incomplete turns exit 3 into an error finding that fails the gate (exit 1), even with the rule turned off', async () => {
    const allowed = await check(hostile('cycling-cursor-stdio.mjs'), ['--allow-incomplete']);
    expect(allowed.code).toBe(1);
    expect(allowed.stderrLines).toHaveLength(1);
    expect(allowed.stderrLines[0]).toMatch(/incompletely discovered: .* \(--allow-incomplete: reported as an error finding, the gate fails\)$/);
    expect(allowed.findings).toContainEqual(expect.objectContaining({ ruleId: 'protocol/incomplete-discovery', level: 'error' }));
    expect(allowed.report.gate.reasons).toContain('1 target was incompletely discovered (--allow-incomplete: failed, not passed)');
    expect(allowed.invocation.executionSuccessful).toBe(false);

    // With the rule turned off there is no error finding left, and the gate still fails on the fact
    // itself; --exit-zero (report only) turns a failed gate into 0, but never an incomplete scan.
    const silenced = await check(hostile('cycling-cursor-stdio.mjs'), [
      '--allow-incomplete',
      '--rule',
      'protocol/incomplete-discovery=off',
      '--rule',
      'protocol/pagination-abuse=off',
      '--exit-zero',
    ]);
    expect(silenced.findings.some((finding) => finding.ruleId === 'protocol/incomplete-discovery')).toBe(false);
    expect(silenced.report.gate).toMatchObject({ passed: false, exitCode: 1 });
    expect(silenced.report.gate.reasons).toEqual(['1 target was incompletely discovered (--allow-incomplete: failed, not passed)']);
    expect(silenced.code).toBe(1);
  });

  it('reads the bounds from the config: top-level limits, a target over them, flags over both', async () => {
    const dir = tempDir();
    const config = join(dir, 'mcp-preflight.yaml');
    writeFileSync(
      config,
      [
        'limits:',
        '  maxItems: 20',
        'targets:',
        '  - name: small-bound',
        `    command: ${JSON.stringify(hostile('many-tools-stdio.mjs', '--tools 30 --page-size 10 --poison-at 0'))}`,
        '  - name: raised',
        `    command: ${JSON.stringify(hostile('many-tools-stdio.mjs', '--tools 30 --page-size 10 --poison-at 0'))}`,
        '    limits:',
        '      maxItems: 50',
        '      maxListBytes: 64MiB',
        '',
      ].join('\n'),
    );
    const result = await runCli(['check', '--config', config, '--timeout', '120', '--format', 'json', '--output', join(dir, 'r.json')], {
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^mcp-preflight: target small-bound: incompletely discovered: tools\/list stopped at the item bound \(--max-items 20\)/),
    ]);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    const byName = Object.fromEntries(
      report.targets.map((target: { target: { name: string }; inventory: { listings: Listing[] } }) => [target.target.name, tools(target.inventory.listings)]),
    );
    expect(byName['small-bound']).toMatchObject({ complete: false, items: 20 });
    expect(byName.raised).toMatchObject({ complete: true, items: 30 });

    const flagged = await runCli(['check', '--config', config, '--target', 'raised', '--max-items', '10', '--timeout', '120'], { timeoutMs: CLI_TIMEOUT_MS });
    expect(flagged.code).toBe(3);
    expect(flagged.stderr).toMatch(/target raised: incompletely discovered: tools\/list stopped at the item bound \(--max-items 10\)/);
  });

  it('rejects bad bounds with one line and exit 2, before anything is spawned', async () => {
    for (const [flag, value] of [
      ['--max-items', '0'],
      ['--max-pages', '2.5'],
      ['--max-list-bytes', '12 parsecs'],
    ]) {
      const result = await runCli(['check', '--stdio', hostile('many-tools-stdio.mjs'), flag!, value!]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(`${flag} must be`)]);
    }
    const dir = tempDir();
    const config = join(dir, 'mcp-preflight.yaml');
    writeFileSync(config, 'limits:\n  maxItem: 10\ntargets:\n  - name: x\n    command: node x.js\n');
    const typo = await runCli(['check', '--config', config]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/mcp-preflight\.yaml:2:\d+: .*maxItem.*did you mean "maxItems"/);
    writeFileSync(config, 'limits:\n  maxListBytes: 8GiB\ntargets:\n  - name: x\n    command: node x.js\n');
    const huge = await runCli(['check', '--config', config]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/mcp-preflight\.yaml:2:\d+: "maxListBytes" must be a size from 1KiB to 4GiB/);
  });

  it('discover reports the cut-short list too: the inventory with complete: false, one line, exit 3 (0 with --allow-incomplete)', async () => {
    const result = await runCli(['discover', '--stdio', hostile('cycling-cursor-stdio.mjs'), '--format', 'json'], { timeoutMs: CLI_TIMEOUT_MS });
    expect(result.code).toBe(3);
    expect(tools(JSON.parse(result.stdout).listings)).toMatchObject({ complete: false, stop: { reason: 'repeated-cursor' } });
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/incompletely discovered: tools\/list stopped at page 3: .* or pass --allow-incomplete to exit 0 anyway$/),
    ]);

    const allowed = await runCli(['discover', '--stdio', hostile('cycling-cursor-stdio.mjs'), '--allow-incomplete'], { timeoutMs: CLI_TIMEOUT_MS });
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/incompletely discovered: .*\(--allow-incomplete: exit 0\)/);

    // A list seen to its end (the 10,000-tool case above shows the default limits on a large one).
    const whole = await runCli(['discover', '--stdio', hostile('many-tools-stdio.mjs', '--tools 300 --page-size 100'), '--format', 'json'], {
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(whole.code).toBe(0);
    expect(whole.stderr).toBe('');
    expect(tools(JSON.parse(whole.stdout).listings)).toMatchObject({ complete: true, pages: 3, items: 300 });
  });
});

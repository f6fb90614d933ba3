import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAKE_AWS_ACCESS_KEY_ID, FAKE_GITHUB_TOKEN } from '../../fixtures/servers/lib/catalogues.mjs';
import { runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath, startHttpFixture } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';

const node = process.execPath;

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'preflight-')), name);
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  properties: { capability: { kind: string; name?: string } };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
}

function readSarif(file: string) {
  const sarif = JSON.parse(readFileSync(file, 'utf8'));
  expect(validateSarifSchema(sarif)).toEqual([]);
  assertGithubContract(sarif);
  return sarif;
}

describe('mcp-preflight check', () => {
  it('passes a well-built server (exit 0) with valid SARIF and a text report on stdout', async () => {
    const out = tempFile('clean.sarif');
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('clean-stdio.mjs')}`, '--format', 'sarif', '--output', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/gate passed/);
    const sarif = readSarif(out);
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].results.filter((r: SarifResult) => r.level === 'error')).toEqual([]);
    expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThanOrEqual(6);
  });

  it('--output - writes the format to standard output instead of a file named "-"; --fail-on note fails the one note', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcp-preflight-dash-'));
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('clean-stdio.mjs')}`, '--fail-on', 'note', '--format', 'json', '--output', '-'], {
      cwd,
    });
    const report = JSON.parse(result.stdout);
    expect(existsSync(join(cwd, '-'))).toBe(false);
    // The clean fixture's findings are notes at most (the run above passes the default gate); at
    // "note" they fail it, and the exit code follows.
    expect(report.gate.failOn).toBe('note');
    expect(report.gate.counts.error + report.gate.counts.warning).toBe(0);
    expect(report.gate.counts.note).toBeGreaterThan(0);
    expect(report.gate.passed).toBe(false);
    expect(result.code).toBe(1);
  });

  describe('on a bad server: one run writing SARIF and JSON', () => {
    const sarifOut = tempFile('bad.sarif');
    const jsonOut = tempFile('bad.json');
    let result: CliResult;
    beforeAll(async () => {
      result = await runCli(['check', '--stdio', `${node} ${fixturePath('bad-stdio.mjs')}`, '--format', 'sarif,json', '--output', `${sarifOut},${jsonOut}`]);
    });

    it('fails a bad server (exit 1) and finds each planted problem on the right capability', () => {
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/gate failed/);
      const sarif = readSarif(sarifOut);
      const found = sarif.runs[0].results.map((r: SarifResult) => `${r.ruleId} ${r.properties.capability.name ?? ''}`);
      expect(found).toEqual(
        expect.arrayContaining([
          'schema/missing-input-schema legacy_lookup',
          'schema/open-input-schema search_anything',
          'design/shell-like-tool run_command',
          'injection/instruction-in-description add_numbers',
          'injection/hidden-characters format_text',
          'secrets/secret-in-model-visible-text debug_info',
        ]),
      );
      // Every live finding is anchored to a real file: the server's entry script.
      for (const r of sarif.runs[0].results as SarifResult[]) {
        expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe('fixtures/servers/bad-stdio.mjs');
      }
      // Filed under the package the entry script belongs to (this repository's package.json), not the command line.
      expect(sarif.runs[0].automationDetails.id).toBe('mcp-preflight/mcp-preflight/');
    });

    it('masks planted secrets in every output format and on stderr', () => {
      expect(result.code).toBe(1);
      const everything = [result.stdout, result.stderr, readFileSync(sarifOut, 'utf8'), readFileSync(jsonOut, 'utf8')].join('\n');
      expect(everything).toContain('debug_info');
      expect(everything).not.toContain(FAKE_AWS_ACCESS_KEY_ID);
      expect(everything).not.toContain(FAKE_GITHUB_TOKEN);
      expect(everything).not.toContain(FAKE_GITHUB_TOKEN.slice(0, 20));
    });
  });

  it('catches a poisoned tool served only on page 2+ of tools/list', async () => {
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('paginated-stdio.mjs')}`, '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const findings = report.targets[0].findings as Array<{ ruleId: string; capability: { name?: string } }>;
    expect(findings).toContainEqual(
      expect.objectContaining({ ruleId: 'injection/instruction-in-description', capability: { kind: 'tool', name: 'summarize_notes' } }),
    );
  });

  // --fail-on note on the clean server: the "--output -" case above.
  it('lets the user turn a rule down, and gates on warnings when asked', async () => {
    const args = ['check', '--stdio', `${node} ${fixturePath('bad-stdio.mjs')}`, '--format', 'json'];
    const errorRules = [
      'schema/missing-input-schema',
      'design/shell-like-tool',
      'injection/instruction-in-description',
      'injection/hidden-characters',
      'secrets/secret-in-model-visible-text',
    ];
    const lowered = await runCli([...args, ...errorRules.flatMap((id) => ['--rule', `${id}=warning`])]);
    const loweredReport = JSON.parse(lowered.stdout);
    expect(loweredReport.gate.counts.error).toBe(0);
    expect(lowered.code).toBe(0);
    const capped = await runCli([...args, ...errorRules.flatMap((id) => ['--rule', `${id}=warning`]), '--max-warnings', '0']);
    expect(capped.code).toBe(1);
  });

  it('scans the same bad catalogue over Streamable HTTP', async () => {
    const fixture = await startHttpFixture('http-server.mjs', ['--bad']);
    try {
      const out = tempFile('http.sarif');
      const result = await runCli(['check', '--url', fixture.url, '--format', 'sarif', '--output', out]);
      expect(result.code).toBe(1);
      const sarif = readSarif(out);
      const rules = new Set(sarif.runs[0].results.map((r: SarifResult) => r.ruleId));
      expect(rules).toContain('design/shell-like-tool');
      expect(rules).toContain('secrets/secret-in-model-visible-text');
      expect(result.stdout).toContain('streamable-http');
    } finally {
      await fixture.stop();
    }
  });

  it('documents every flag, the exit codes and an example in --help', async () => {
    const help = new Map<string, CliResult>();
    for (const command of ['check', 'discover']) {
      const result = await runCli([command, '--help']);
      help.set(command, result);
      expect(result.code).toBe(0);
      for (const flag of ['--stdio', '--env', '--cwd', '--url', '--header', '--timeout', '--format', '--output']) {
        expect(result.stdout).toContain(flag);
      }
      expect(result.stdout).toContain('Exit codes');
      expect(result.stdout).toContain('Examples');
    }
    const check = help.get('check')!;
    for (const flag of ['--fail-on', '--max-warnings', '--rule', '--sarif-root', '--no-color']) expect(check.stdout).toContain(flag);
  });
});

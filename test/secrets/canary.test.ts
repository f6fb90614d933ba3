// The masking canary: one fake but format-valid token planted by fixtures/servers/canary-stdio.mjs in
// every field a server controls (and in tool output, errors, logs, stdout noise and stderr), plus a
// value in no known format put only where credentials live (credential-named defaults, examples,
// const, enum, `SERVICE_TOKEN=…`) and a low-entropy legacy OpenAI key. No output of the CLI may show
// any of them, nor any recognisable part: not the reports (text, json, sarif, markdown), not the
// --debug protocol trace, not discover, not the failure path.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const CANARY = 'ghp_C4n4ryZz9Q2w7E4r1T8y5U3i6O0p2A4s6D8f';
// The same values as the fixture's UNKNOWN and OPENAI_LEGACY, spelled out independently.
const UNKNOWN = 'pl4cedVq8Lk2Wm6Zr0Xs4Tn9';
const OPENAI_LEGACY = `sk-${'a'.repeat(10)}${'b'.repeat(10)}T3BlbkFJ${'c'.repeat(10)}${'d'.repeat(10)}`;
const SECRETS: Array<[secret: string, body: string]> = [
  [CANARY, CANARY.slice(4)],
  [UNKNOWN, UNKNOWN],
  [OPENAI_LEGACY, OPENAI_LEGACY.slice(3)],
];
const SERVER = `${process.execPath} ${fixturePath('canary-stdio.mjs')}`;

/** Each secret whole, and every 8-character window of its body except the last four characters masking shows (`ghp_****6D8f`). */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [secret, body] of SECRETS) {
    if (text.includes(secret)) found.push(secret);
    for (let start = 0; start + 8 <= body.length; start += 1) {
      const window = body.slice(start, start + 8);
      if (!body.endsWith(window) && text.includes(window)) found.push(window);
    }
  }
  return found;
}

function contextOf(text: string, needle: string): string {
  const at = text.indexOf(needle);
  return at === -1 ? '' : text.slice(Math.max(0, at - 80), at + 80);
}

function expectNoLeak(name: string, text: string): void {
  const found = leaks(text);
  expect(found, `${name} shows the canary: …${contextOf(text, found[0] ?? '')}…`).toEqual([]);
}

describe('masking canary', () => {
  const help = { formats: '' };
  let check: CliResult;
  let files: Record<string, string>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-canary-'));
    help.formats = (await runCli(['check', '--help'])).stdout;
    const formats = ['json', 'sarif', ...(help.formats.includes('markdown') ? ['markdown'] : [])];
    const paths = formats.map((format) => join(dir, `report.${format === 'markdown' ? 'md' : format}`));
    check = await runCli(['check', '--stdio', SERVER, '--probe', '--debug', '--format', formats.join(','), '--output', paths.join(',')], { timeoutMs: 60_000 });
    files = Object.fromEntries(formats.map((format, index) => [format, readFileSync(paths[index]!, 'utf8')]));
  });

  it('the scan saw the canary everywhere it was planted (so the test means something)', () => {
    expect(check.code).toBe(1);
    const report = JSON.parse(files.json!);
    const inventory = report.targets[0].inventory;
    expect(inventory.probe.calls).toBeGreaterThanOrEqual(6);
    expect(inventory.malformed).toHaveLength(1);
    expect(inventory.stdoutNoise.lines).toBe(1);
    expect(inventory.logNotifications).toHaveLength(1);
    const fields = new Set(
      report.targets[0].findings
        .filter((finding: { ruleId: string }) => finding.ruleId === 'secrets/secret-in-model-visible-text')
        .map((finding: { field: string }) => finding.field),
    );
    for (const field of [
      'instructions',
      'serverInfo.name',
      'serverInfo.websiteUrl',
      'description',
      'title',
      'annotations.title',
      'uri',
      'uriTemplate',
      'logNotifications.data',
      'probe.valid.result',
      'probe.read.result',
      'probe.get.result',
    ]) {
      expect(fields, field).toContain(field);
    }
    expect(
      report.targets[0].findings.some(
        (finding: { ruleId: string; messageId: string }) => finding.ruleId === 'secrets/internal-detail-in-error' && finding.messageId === 'secret',
      ),
    ).toBe(true);
    // The masked forms are there: `ghp_****6D8f`, `sk-****dddd`, and the unknown format masked by place.
    expect(files.json).toContain('ghp_****6D8f');
    expect(files.json).toContain('sk-****dddd');
    const properties = inventory.tools.find((tool: { name: string }) => tool.name === 'canary_tool').inputSchema.properties;
    expect(properties.api_key.default).toBe('****4Tn9');
    expect(properties.auth.properties.password.default).toBe('****4Tn9');
    expect(properties.api_keys.items.default).toBe('****4Tn9');
    expect(properties.level).toEqual({ type: 'integer', description: 'A level.', minimum: 1, maximum: 3 });
    expect(check.stderr).toContain('SERVICE_TOKEN=****4Tn9');
    // --debug traced the traffic, probe calls included.
    expect(check.stderr).toMatch(/mcp-preflight debug \[canary-stdio\] \+\d+ms → request tools\/call/);
    expect(check.stderr).toMatch(/← response \(\d+ ms\)/);
    expect(check.stderr).toMatch(/notification notifications\/message/);
  });

  it('shows it in no report: text, json, sarif, markdown', () => {
    expectNoLeak('text (stdout)', check.stdout);
    for (const [format, content] of Object.entries(files)) expectNoLeak(format, content);
  });

  it('shows it nowhere on stderr, --debug trace included', () => {
    expectNoLeak('stderr', check.stderr);
  });

  it('shows it nowhere on the failure path (stderr tail of a server that dies)', async () => {
    const failed = await runCli(['check', '--stdio', `${SERVER} --crash`, '--debug']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('fatal: cannot use token ghp_****6D8f');
    expect(failed.stderr).toContain('SERVICE_TOKEN=****4Tn9 api_key=****4Tn9');
    expectNoLeak('failure stderr', failed.stderr);
    expectNoLeak('failure stdout', failed.stdout);
  });

  it('shows it nowhere in discover (text and json)', async () => {
    for (const format of ['text', 'json']) {
      const run = await runCli(['discover', '--stdio', SERVER, '--format', format, '--debug']);
      expect(run.code).toBe(0);
      expectNoLeak(`discover ${format}`, run.stdout);
      expectNoLeak(`discover ${format} stderr`, run.stderr);
    }
  });

  it('shows it nowhere in usage errors that echo an argument (commander, unknown rule ids)', async () => {
    for (const args of [
      ['check', '--fail-on', CANARY],
      ['explain', CANARY],
      ['check', '--stdio', SERVER, '--rule', `${CANARY}=off`],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expectNoLeak(`${args[0]} usage error`, run.stderr + run.stdout);
    }
  });

  it('covers the markdown report', () => {
    expect(help.formats).toContain('markdown');
    expect(Object.keys(files)).toContain('markdown');
  });
});

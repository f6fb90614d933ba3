// Injection the model reads indirectly, and prompts that have the model run commands, end to end: the
// real CLI (dist), a real stdio fixture (fixtures/servers/indirect-stdio.mjs), with and without --probe.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

interface Finding {
  ruleId: string;
  messageId: string;
  capability: { kind: string; name?: string };
  field?: string;
  message: string;
  evidenceKind: string;
}

interface Scan {
  code: number | null;
  findings: Finding[];
  risk: Array<{ capability: { kind: string; name?: string }; class: string; reasons: string[] }>;
}

async function scan(probe: boolean): Promise<Scan> {
  const out = join(mkdtempSync(join(tmpdir(), 'preflight-indirect-')), 'report.json');
  const result = await runCli(
    ['check', '--stdio', `${process.execPath} ${fixturePath('indirect-stdio.mjs')}`, ...(probe ? ['--probe'] : []), '--format', 'json', '--output', out],
    { timeoutMs: 60_000 },
  );
  const report = JSON.parse(readFileSync(out, 'utf8'));
  return { code: result.code, findings: report.targets[0].findings, risk: report.targets[0].inventory.risk };
}

const of = (run: Scan, ruleId: string) =>
  run.findings
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => `${finding.capability.kind} ${finding.capability.name} ${finding.messageId} ${finding.field} ${finding.evidenceKind}`)
    .sort();

describe('check --probe of a server whose answers carry instructions', () => {
  let run: Scan;
  beforeAll(async () => {
    run = await scan(true);
  }, 90_000);

  it('reports each instruction as indirect injection, with where it came from, and nothing on the benign answers', () => {
    expect(of(run, 'injection/instruction-in-description')).toEqual([
      'prompt poisoned_summary indirectInstruction probe.messages probe',
      'resource file:///x indirectInstruction probe.read probe',
      // Both calls (invalid, then minimal arguments) brought the same text back: one finding, on the first.
      'tool read_notes indirectInstruction probe.invalid.result probe',
    ]);
    const message = (name: string) => run.findings.find((finding) => finding.messageId === 'indirectInstruction' && finding.capability.name === name)?.message;
    expect(message('poisoned_summary')).toContain('in the messages of prompts/get poisoned_summary');
    expect(message('file:///x')).toContain('in resource file:///x contents');
    expect(message('read_notes')).toContain('in the result of tools/call read_notes');
    expect(message('read_notes')).toMatch(/matched only-trusted-tool, always-prefer-over-others;/);
    expect(run.code).toBe(1);
  });

  it('reports resource contents that steer another tool, not contents that mention one', () => {
    expect(of(run, 'injection/cross-tool-shadowing')).toEqual(['resource file:///howto indirectShadowing probe.read probe']);
    expect(run.findings.find((finding) => finding.messageId === 'indirectShadowing')?.message).toContain(
      'in resource file:///howto contents, changes how tool "send_email" is called',
    );
  });

  it('reports tag characters hidden in resource contents, not the terminal colours of a tool result', () => {
    expect(of(run, 'injection/hidden-characters')).toEqual(['resource file:///memo indirectHidden probe.read probe']);
    const finding = run.findings.find((candidate) => candidate.messageId === 'indirectHidden');
    expect(finding?.message).toContain('in resource file:///memo contents, contains 28 Unicode tag character(s) spelling "ignore previous instructions"');
  });

  it('reports the prompt that runs rm -rf in the shell like a shell tool, from its description and its messages, and ranks it exec', () => {
    expect(of(run, 'design/shell-like-tool')).toEqual(['prompt cleanup shellPrompt description live', 'prompt cleanup shellPrompt probe.messages probe']);
    const byName = new Map(run.risk.map((row) => [`${row.capability.kind} ${row.capability.name}`, row.class]));
    expect(byName.get('prompt cleanup')).toBe('exec');
    expect(byName.get('prompt explain_command')).toBe('read-only');
    expect(byName.get('prompt poisoned_summary')).toBe('read-only');
  });
});

describe('check without --probe of the same server', () => {
  it('reads only the listing: the shell prompt by its description, no indirect injection', async () => {
    const run = await scan(false);
    expect(of(run, 'injection/instruction-in-description')).toEqual([]);
    expect(of(run, 'injection/hidden-characters')).toEqual([]);
    expect(of(run, 'injection/cross-tool-shadowing')).toEqual([]);
    expect(of(run, 'design/shell-like-tool')).toEqual(['prompt cleanup shellPrompt description live']);
  }, 90_000);
});

import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { finding, goodTarget, inventory, report } from './fixture.js';

const ANSI = /\u001b\[/;
const DOC = 'https://github.com/mcp-preflight/mcp-preflight/blob/main/docs/rules/';

describe('renderText', () => {
  const plain = renderText(report(), { color: false });

  it('has no escape codes without colour, and some with it', () => {
    expect(plain).not.toMatch(/\u001b/);
    expect(renderText(report(), { color: true })).toMatch(ANSI);
  });

  it('heads each target with transport, protocol and server', () => {
    expect(plain).toContain('● Server A (stdio · protocol 2025-06-18 · demo-server 1.2.3)');
    expect(plain).toContain('● Remote B (http)');
  });

  it('groups findings by capability, errors first, with the doc link once per rule', () => {
    const lines = plain.split('\n');
    const addNumbers = lines.indexOf('  tool add_numbers');
    const runCommand = lines.indexOf('  tool run_command');
    expect(addNumbers).toBeGreaterThan(0);
    expect(runCommand).toBeGreaterThan(addNumbers);
    expect(lines[addNumbers + 1]).toBe('    error    Hard-coded secret sk-****abcd in the tool handler.  secrets/hardcoded-secret');
    expect(lines[addNumbers + 2]).toBe('             at src/my tools/add.ts:12:7');
    expect(lines[addNumbers + 3]).toBe(`             ${DOC}secrets/hardcoded-secret.md`);

    const twice = goodTarget();
    twice.findings.push(finding('secrets/hardcoded-secret', { level: 'error', fingerprint: 'zz' }));
    const out = renderText(report({ targets: [twice] }), { color: false });
    expect(out.split(`${DOC}secrets/hardcoded-secret.md`)).toHaveLength(2);
  });

  it('sums skipped rules up in one line; --verbose lists them with their reason', () => {
    expect(plain).toContain('  skipped 1 rule: 1 for other reasons (--verbose lists them)');
    expect(plain).not.toContain('repo/missing-security-policy');
    expect(renderText(report(), { color: false, verbose: true })).toContain('  skipped 1 rule (no repo facts): repo/missing-security-policy');
  });

  it('prints a failed target with its message and stderr tail', () => {
    expect(plain).toContain('  ✖ could not be discovered: Could not connect to https://mcp.example.com/mcp: connection refused; is the server running?');
    expect(plain).toContain('    │ Error: listen EADDRINUSE');
    expect(plain).toContain('    │     at Server.listen');
  });

  it('ends with the gate line and its reasons', () => {
    expect(plain).toContain('✖ 2 errors, 1 warning, 0 notes — gate failed (fail-on: error)\n  - 2 errors at or above fail-on: error');
    const passed = renderText(
      report({
        targets: [],
        gate: { passed: true, exitCode: 0, failOn: 'error', maxWarnings: 5, counts: { error: 0, warning: 1, note: 2 }, reasons: [] },
      }),
      { color: false },
    );
    expect(passed.trimEnd().split('\n').at(-1)).toBe('✔ 0 errors, 1 warning, 2 notes — gate passed (fail-on: error, max-warnings: 5)');
  });

  it('notes an SSE fallback and a clean target', () => {
    const target = goodTarget();
    target.findings = [];
    target.inventory = inventory(
      { kind: 'http', name: 'legacy', url: 'http://localhost:3000/sse', headerNames: [] },
      { transport: 'sse', sseFallback: { status: 405, reason: 'Method Not Allowed' } },
    );
    const out = renderText(report({ targets: [target] }), { color: false });
    expect(out).toContain('(sse · protocol 2025-06-18 · demo-server 1.2.3)');
    expect(out).toContain('note: Streamable HTTP was refused (HTTP 405: Method Not Allowed); used legacy HTTP+SSE instead');
    expect(out).toContain('✔ no findings');
  });

  it('escapes control and bidi characters coming from the server', () => {
    const target = goodTarget();
    target.findings = [
      finding('schema/missing-input-schema', {
        capability: { kind: 'tool', name: 'evil\u001b[2Jtool' },
        message: 'Bad \u001b[31mred\u001b[0m and \u202eevil text',
      }),
    ];
    for (const color of [false, true]) {
      const out = renderText(report({ targets: [target] }), { color });
      expect(out).toContain('tool evil\\u001b[2Jtool');
      expect(out).toContain('Bad \\u001b[31mred\\u001b[0m and \\u202eevil text');
      expect(out).not.toContain('\u202e');
      expect(out).not.toContain('\u001b[2J');
    }
  });
});

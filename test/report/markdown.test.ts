import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { MARKDOWN_MARKER, MAX_FINDINGS_PER_TARGET, MAX_RISK_ROWS, block, code, renderMarkdown, text } from '../../src/report/markdown.js';
import type { RankedCapability } from '../../src/inventory/risk.js';
import { fakeSecrets } from '../secrets/fake-secrets.js';
import { finding, goodTarget, report } from './fixture.js';

/** GitHub renders with cmark-gfm; micromark with the GFM extension follows the same specification. */
function html(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

const DOC = 'https://github.com/mcp-preflight/mcp-preflight/blob/main/docs/rules/';

describe('renderMarkdown', () => {
  const out = renderMarkdown(report());
  const rendered = html(out);

  it('starts with a marker a bot can find its comment by, then the verdict and counts', () => {
    const lines = out.split('\n');
    expect(lines[0]).toBe(MARKDOWN_MARKER);
    expect(lines[1]).toBe('## mcp-preflight 0.1.0: ❌ gate failed');
    expect(out).toContain('**2 errors, 1 warning, 0 notes** · fail-on: `error`');
    expect(out).toContain('- 2 errors at or above fail-on: error\n- target Remote B could not be discovered');
    const passed = renderMarkdown(
      report({ targets: [], gate: { passed: true, exitCode: 0, failOn: 'warning', maxWarnings: 3, counts: { error: 0, warning: 0, note: 1 }, reasons: [] } }),
    );
    expect(passed).toContain('## mcp-preflight 0.1.0: ✅ gate passed');
    expect(passed).toContain('**0 errors, 0 warnings, 1 note** · fail-on: `warning` · max-warnings: 3');
  });

  it('has a row per target with its counts', () => {
    expect(out).toContain('| 🔴 Server A | stdio · protocol 2025-06-18 · demo-server 1.2.3 | 2 | 1 | 0 | 1 |');
    expect(out).toContain('| ❌ Remote B | ❌ not discovered | 0 | 0 | 0 | 4 |');
  });

  it('groups findings by capability, errors first, with the rule linked to its page', () => {
    const addNumbers = out.indexOf('**tool add\\_numbers**');
    const runCommand = out.indexOf('**tool run\\_command**');
    expect(addNumbers).toBeGreaterThan(0);
    expect(runCommand).toBeGreaterThan(addNumbers);
    const section = out.slice(addNumbers, runCommand);
    expect(section.indexOf('secrets/hardcoded-secret')).toBeLessThan(section.indexOf('schema/missing-input-schema'));
    expect(out).toContain(
      `| ❌ error | [\`secrets/hardcoded-secret\`](<${DOC}secrets/hardcoded-secret.md>) | Hard-coded secret sk-\\*\\*\\*\\*abcd in the tool handler. | \`src/my tools/add.ts:12:7\` |`,
    );
    expect(rendered).toContain(`<a href="${DOC}secrets/hardcoded-secret.md"><code>secrets/hardcoded-secret</code></a>`);
  });

  it('lists skipped rules and a failed target with its stderr in a collapsed block', () => {
    expect(out).toContain('<details><summary>Skipped 1 rule</summary>\n\n- no repo facts: `repo/missing-security-policy`\n\n</details>');
    expect(out).toContain('❌ **could not be discovered:** Could not connect to https://mcp.example.com/mcp: connection refused; is the server running?');
    expect(rendered).toContain('<pre><code class="language-text">Error: listen EADDRINUSE\n    at Server.listen\n</code></pre>');
  });

  it('escapes what the server or repository says: no extra cell, element, link, mention or code span', () => {
    const hostile = goodTarget();
    hostile.target = { ...hostile.target, name: 'evil | <img src=x onerror=alert(1)>' };
    hostile.findings = [
      finding('design/shell-like-tool', {
        capability: { kind: 'tool', name: 'a|b`c' },
        message: 'Pipe | and `tick` and <script>alert(1)</script> and [click](https://evil.example) ping @octocat and #12 *bold*\nnew line',
      }),
    ];
    hostile.outcomes = [];
    const md = renderMarkdown(report({ targets: [hostile] }));
    const page = html(md);
    expect(page).not.toMatch(/<script|<img/);
    // A bare URL may be autolinked (its text is the URL itself); a link with other text may not.
    expect(page).not.toMatch(/<a href="https:\/\/evil\.example">(?!https:\/\/evil\.example<)/);
    expect(page).not.toContain('<strong>bold</strong>');
    expect(page).toContain('Pipe | and `tick` and &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('@\u200boctocat');
    expect(page).toContain('#\u200b12');
    // Every row of the findings table still has four cells.
    const rows = [...page.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((match) => (match[1]!.match(/<t[dh][ >]/g) ?? []).length);
    expect(rows.filter((cells) => cells === 4)).toHaveLength(2);
    expect(page).toContain('<strong>tool a|b`c</strong>');
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('masks every secret, even one split by characters it escapes', () => {
    const secrets = fakeSecrets();
    const leaky = goodTarget();
    leaky.findings = [finding('secrets/hardcoded-secret', { message: `token ${secrets.github} and ${secrets.stripe}` })];
    leaky.target = { ...leaky.target, name: `srv ${secrets.openai}` };
    const md = renderMarkdown(report({ targets: [leaky] }));
    for (const secret of [secrets.github, secrets.stripe, secrets.openai]) {
      expect(md).not.toContain(secret);
      expect(md).not.toContain(secret.replace(/_/g, '\\_'));
    }
    expect(md).toContain(`ghp\\_\\*\\*\\*\\*${secrets.github.slice(-4)}`);
  });

  it('bounds the findings of one target and says how many were left out', () => {
    const many = goodTarget();
    many.findings = Array.from({ length: MAX_FINDINGS_PER_TARGET + 7 }, (_, index) =>
      finding('schema/missing-input-schema', { capability: { kind: 'tool', name: `t${String(index).padStart(3, '0')}` }, fingerprint: `f${index}` }),
    );
    const md = renderMarkdown(report({ targets: [many] }));
    expect(md.match(/\| ⚠️ warning \|/g)).toHaveLength(MAX_FINDINGS_PER_TARGET);
    expect(md).toContain('… and 7 more findings (the JSON and SARIF reports have them all).');
  });

  it('ranks the capabilities by risk, with declared classes, mismatches and notes, bounded', () => {
    const ranked = goodTarget();
    const row = (name: string, extra: Partial<RankedCapability> = {}): RankedCapability => ({
      capability: { kind: 'tool', name },
      class: 'write',
      openWorld: false,
      score: 50,
      reasons: ['name verb "create"'],
      mismatch: false,
      ...extra,
    });
    ranked.inventory!.risk = [
      row('run|cmd', {
        class: 'exec',
        score: 100,
        reasons: ['parameter "command" takes a command'],
        declared: { class: 'read-only', approval: 'two-person <b>review</b>' },
        mismatch: true,
      }),
      row('post_hook', { openWorld: true, declared: { class: 'write', tenant: 'per-customer' } }),
      ...Array.from({ length: MAX_RISK_ROWS + 2 }, (_, index) => row(`w${index}`)),
    ];
    const md = renderMarkdown(report({ targets: [ranked] }));
    expect(md).toContain(
      '| 1 | tool run\\|cmd | `exec` | parameter "command" takes a command | `read-only` ⚠️ mismatch | approval: two-person &lt;b&gt;review&lt;/b&gt; |',
    );
    expect(md).toContain('| 2 | tool post\\_hook | `write + open world` | name verb "create" | `write` | tenant: per-customer |');
    expect(md).toContain('… and 4 more capabilities.');
    const table = html(md).split('<th>declared</th>')[1]!.split('</table>')[0]!;
    expect(table.match(/<tr>/g)).toHaveLength(MAX_RISK_ROWS);
    expect(table).not.toContain('<b>');
  });
});

describe('markdown escaping helpers', () => {
  it('keeps text inline and code spans closed', () => {
    expect(html(`| a |\n| --- |\n| ${text('x | y')} |`)).toContain('<td>x | y</td>');
    expect(html(block('1. not a list'))).toBe('<p>1. not a list</p>');
    expect(html(block('# not a heading'))).toBe('<p># not a heading</p>');
    expect(html(`- ${block('- not nested')}`)).toBe('<ul>\n<li>- not nested</li>\n</ul>');
    expect(html(code('a `b` c'))).toBe('<p><code>a `b` c</code></p>');
    expect(html(code('`x`'))).toBe('<p><code>`x`</code></p>');
  });
});

import { maskSecrets } from '../secrets/index.js';
import { describeListing, incompleteListings } from '../discovery/completeness.js';
import { driftMarkdownLines } from '../lock/markdown.js';
import type { Level } from '../engine/types.js';
import {
  LEVELS,
  LEVEL_RANK,
  TOOL_NAME,
  capabilityLabel,
  comparePlaced,
  compareStrings,
  groupByCapability,
  plural,
  ruleDocUrl,
  sortedOutcomes,
  sortedPlacedFindings,
} from './common.js';
import type { RankedCapability } from '../inventory/risk.js';
import { classLabel, riskNotes } from './risk-table.js';
import type { CheckReport, TargetResult } from './types.js';

/**
 * GitHub-flavoured Markdown, for a pull-request comment or `$GITHUB_STEP_SUMMARY`. Everything the
 * server, the repository or the config supplied passes through `text()`/`code()`: masked first (a
 * secret must be found before escaping splits it), then escaped so it cannot open a table cell,
 * a link, an HTML element or a mention. The first line is a marker a bot can find its comment by.
 */

export const MARKDOWN_MARKER = '<!-- mcp-preflight-report -->';
/** A PR comment holds at most 65,536 characters; this keeps a many-finding target well below it. */
export const MAX_FINDINGS_PER_TARGET = 100;
/** Rows of the risk table per target; the rest are counted. */
export const MAX_RISK_ROWS = 25;

const LEVEL_ICON: Record<Level, string> = { error: '❌', warning: '⚠️', note: 'ℹ️' };

export function renderMarkdown(report: CheckReport): string {
  const rulesById = new Map(report.rules.map((rule) => [rule.id, rule]));
  const lines: string[] = [MARKDOWN_MARKER, ...renderHeader(report), ''];
  if (report.targets.length > 0) lines.push(...renderTargetTable(report), '');
  for (const target of report.targets) lines.push(...renderTarget(target, report, rulesById), '');
  // Second pass over the whole document: nothing that slipped past a cell escapes unmasked.
  return maskSecrets(
    `${lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  );
}

function renderHeader(report: CheckReport): string[] {
  const { gate } = report;
  const verdict = gate.passed ? '✅ gate passed' : '❌ gate failed';
  const counts = LEVELS.map((level) => plural(gate.counts[level] ?? 0, level)).join(', ');
  const settings = [`fail-on: ${code(gate.failOn)}`];
  if (gate.maxWarnings !== undefined) settings.push(`max-warnings: ${gate.maxWarnings}`);
  const lines = [`## ${TOOL_NAME} ${text(report.toolVersion)}: ${verdict}`, '', `**${counts}** · ${settings.join(' · ')}`];
  if (gate.reasons.length > 0) {
    lines.push('');
    for (const reason of gate.reasons) lines.push(`- ${block(reason)}`);
  }
  return lines;
}

function targetCounts(target: TargetResult): Record<Level, number> {
  const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  for (const finding of target.findings) counts[finding.level] += 1;
  return counts;
}

function renderTargetTable(report: CheckReport): string[] {
  const lines = ['| target | server | errors | warnings | notes | skipped rules |', '| --- | --- | ---: | ---: | ---: | ---: |'];
  for (const target of report.targets) {
    const counts = targetCounts(target);
    const skipped = target.outcomes.filter((outcome) => outcome.status === 'skipped').length;
    const server = target.failure ? '❌ not discovered' : text(serverLine(target));
    const name = `${target.failure ? '❌' : counts.error > 0 ? '🔴' : counts.warning > 0 ? '🟡' : '🟢'} ${text(target.target.name)}`;
    lines.push(`| ${name} | ${server} | ${counts.error} | ${counts.warning} | ${counts.note} | ${skipped} |`);
  }
  return lines;
}

function serverLine(target: TargetResult): string {
  const server = target.inventory?.server;
  const details: string[] = [server?.transport ?? target.target.kind];
  if (server?.protocolVersion) details.push(`protocol ${server.protocolVersion}`);
  const name = [server?.info.name, server?.info.version].filter(Boolean).join(' ');
  if (name) details.push(name);
  return details.join(' · ');
}

function renderTarget(
  target: TargetResult,
  report: CheckReport,
  rulesById: Map<string, { id: string; pack: string; helpUri?: string; custom?: boolean }>,
): string[] {
  const lines = [`### ${text(target.target.name)}`, '', block(serverLine(target)), ''];
  const server = target.inventory?.server;
  if (server?.sseFallback) {
    lines.push(
      `> [!NOTE]`,
      `> Streamable HTTP was refused (HTTP ${server.sseFallback.status}: ${text(server.sseFallback.reason)}); legacy HTTP+SSE was used instead.`,
      '',
    );
  }
  if (server?.eraFallback?.reconnected) lines.push(`> [!NOTE]`, `> Legacy era: ${text(server.eraFallback.reason)}.`, '');
  if (target.failure) {
    lines.push(`❌ **could not be discovered:** ${text(target.failure.message)}`, '');
    const tail = target.failure.stderrTail?.replace(/\s+$/, '');
    if (tail) lines.push('<details><summary>stderr (last lines)</summary>', '', ...fenced(tail), '', '</details>', '');
  } else if (target.findings.length === 0) {
    const accepted = (target.baselined?.length ?? 0) + (target.suppressed?.length ?? 0) > 0;
    lines.push(accepted ? '✅ no new findings' : '✅ no findings', '');
  }
  for (const listing of incompleteListings(target.inventory)) lines.push(`❌ **incompletely discovered:** ${text(describeListing(listing))}`, '');

  const placed = sortedPlacedFindings(target, report.sarifRoot);
  const shown = [...placed].sort((a, b) => LEVEL_RANK[a.finding.level] - LEVEL_RANK[b.finding.level] || comparePlaced(a, b)).slice(0, MAX_FINDINGS_PER_TARGET);
  const shownSet = new Set(shown);
  for (const group of groupByCapability(placed.filter((entry) => shownSet.has(entry)))) {
    lines.push(`**${text(capabilityLabel(group.capability))}**`, '', '| level | rule | message | where |', '| --- | --- | --- | --- |');
    for (const entry of group.findings) {
      const { finding } = entry;
      const rule = rulesById.get(finding.ruleId);
      const ruleCell = rule ? `[${code(finding.ruleId)}](${linkTarget(ruleDocUrl(rule))})` : code(finding.ruleId);
      const where = finding.location ? code(`${entry.display}:${entry.location.line}:${entry.location.column}`) : '';
      lines.push(`| ${LEVEL_ICON[finding.level]} ${finding.level} | ${ruleCell} | ${text(finding.message)} | ${where} |`);
    }
    lines.push('');
  }
  if (placed.length > shown.length) {
    lines.push(`… and ${plural(placed.length - shown.length, 'more finding')} (the JSON and SARIF reports have them all).`, '');
  }

  lines.push(...renderRiskTable(target.inventory?.risk ?? []));
  lines.push(...driftMarkdownLines(target.inventory?.drift, target.inventory?.risk, { text, code }));

  const skipped = new Map<string, string[]>();
  for (const outcome of sortedOutcomes(target.outcomes)) {
    if (outcome.status !== 'skipped') continue;
    skipped.set(outcome.reason, [...(skipped.get(outcome.reason) ?? []), outcome.ruleId]);
  }
  if (skipped.size > 0) {
    const total = [...skipped.values()].reduce((sum, ids) => sum + ids.length, 0);
    lines.push(`<details><summary>Skipped ${plural(total, 'rule')}</summary>`, '');
    for (const [reason, ruleIds] of [...skipped].sort(([a], [b]) => compareStrings(a, b))) {
      lines.push(`- ${block(reason)}: ${ruleIds.map((id) => code(id)).join(', ')}`);
    }
    lines.push('', '</details>', '');
  }
  return lines;
}

/** The ranked risk inventory: riskiest first, at most MAX_RISK_ROWS rows, the rest counted. */
function renderRiskTable(rows: readonly RankedCapability[]): string[] {
  if (rows.length === 0) return [];
  const lines = ['**Capabilities by risk**', '', '| # | capability | class | why | declared | notes |', '| ---: | --- | --- | --- | --- | --- |'];
  rows.slice(0, MAX_RISK_ROWS).forEach((row, index) => {
    const declaredClass = row.declared?.class;
    const declared = declaredClass === undefined ? '' : row.mismatch ? `${code(declaredClass)} ⚠️ mismatch` : code(declaredClass);
    lines.push(
      `| ${index + 1} | ${text(capabilityLabel(row.capability))} | ${code(classLabel(row))} | ${text(row.reasons.join('; '))} | ${declared} | ${riskNotes(row).map(text).join('<br>')} |`,
    );
  });
  if (rows.length > MAX_RISK_ROWS) lines.push('', `… and ${plural(rows.length - MAX_RISK_ROWS, 'more capability', 'more capabilities')}.`);
  lines.push('');
  return lines;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function visible(value: string): string {
  return value.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Untrusted text as inline Markdown, safe inside a table cell: masked, control and bidi characters
 * shown as `\uXXXX`, HTML special characters as entities, emphasis, link, strike-through and code
 * punctuation backslash-escaped, pipes escaped (GFM splits cells before parsing inlines), and `@name`
 * and `#123` broken by a zero-width space so a PR comment pings no one and links no issue.
 */
export function text(value: string): string {
  return visible(maskSecrets(String(value)))
    .replace(/[\\`*_[\]|~<>&]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : `\\${char}`))
    .replace(/([@#])(?=[A-Za-z0-9])/g, '$1&#8203;');
}

/** `text()` for the start of a line (a list item, a paragraph): it must not open a block either. */
export function block(value: string): string {
  return text(value).replace(/^([-+=#]|\d+(?=[.)]))/, (lead) => (/^\d/.test(lead) ? `${lead}\\` : `\\${lead}`));
}

/**
 * Untrusted text as an inline code span for a table cell: a fence longer than any backtick run in
 * it, pipes escaped (GFM requires that even inside code spans in tables).
 */
export function code(value: string): string {
  const content = visible(maskSecrets(String(value))).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block whose fence no line of the content can close. */
function fenced(value: string): string[] {
  const content = maskSecrets(value)
    .split(/\r\n?|\n/)
    .map(visible);
  const longest = Math.max(2, ...(content.join('\n').match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, ...content, fence];
}

/** A link destination in angle brackets, which allows any character but `<`, `>` and line breaks. */
function linkTarget(url: string): string {
  return `<${url.replace(/[<>\s]/g, (char) => encodeURIComponent(char))}>`;
}

import { maskSecrets } from '../secrets/index.js';
import { describeListing, incompleteListings } from '../discovery/completeness.js';
import { Chalk, type ChalkInstance } from 'chalk';
import type { Level, RuleMeta } from '../engine/types.js';
import {
  LEVELS,
  TOOL_NAME,
  capabilityLabel,
  compareStrings,
  groupByCapability,
  plural,
  ruleDocUrl,
  sortedOutcomes,
  sortedPlacedFindings,
  type PlacedFinding,
} from './common.js';
import { TEXT_RISK_ROWS, riskTextLines } from './risk-table.js';
import type { CheckReport, TargetResult } from './types.js';
import { killSwitchSummaryLines } from './killswitch-text.js';
import { probeSummaryLines } from './probe-text.js';
import { baselinedLine, staleLines } from '../baseline/text.js';

/**
 * The human report. Colour is decided by the caller (`--color`/TTY detection lives in the CLI): a
 * local Chalk instance, so nothing global changes and `color: false` yields no escape codes at all.
 */

export interface TextOptions {
  color: boolean;
  /** Every skipped rule listed by reason (check --verbose), instead of one summary line. */
  verbose?: boolean;
}

const INDENT = '  ';

export function renderText(report: CheckReport, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const rulesById = new Map(report.rules.map((rule) => [rule.id, rule]));
  const linkedRules = new Set<string>();
  const lines: string[] = [c.bold(`${TOOL_NAME} ${clean(report.toolVersion)}`), ''];

  for (const target of report.targets) {
    lines.push(...renderTarget(target, report, c, rulesById, linkedRules, options.verbose === true), '');
  }
  if (report.targets.length > 1) lines.push(...renderTargetSummary(report, c), '');
  for (const line of staleLines(report.baseline)) lines.push(c.yellow(clean(line)));
  lines.push(...renderGate(report, c));
  return maskSecrets(`${lines.join('\n')}\n`);
}

function renderTarget(
  target: TargetResult,
  report: CheckReport,
  c: ChalkInstance,
  rulesById: Map<string, RuleMeta>,
  linkedRules: Set<string>,
  verbose = false,
): string[] {
  const lines = [targetHeader(target, c)];
  const server = target.inventory?.server;
  if (server?.sseFallback) {
    lines.push(
      `${INDENT}${c.yellow('note:')} Streamable HTTP was refused (HTTP ${server.sseFallback.status}: ` +
        `${clean(server.sseFallback.reason)}); used legacy HTTP+SSE instead`,
    );
  }
  if (server?.eraFallback?.reconnected) lines.push(`${INDENT}${c.yellow('note:')} legacy era: ${clean(server.eraFallback.reason)}`);

  if (target.failure) {
    lines.push(`${INDENT}${c.red('✖ could not be discovered:')} ${clean(target.failure.message)}`);
    const tail = target.failure.stderrTail?.replace(/\s+$/, '');
    if (tail) {
      lines.push(`${INDENT}${c.dim('stderr (last lines):')}`);
      for (const line of tail.split(/\r?\n/)) lines.push(`${INDENT}${INDENT}${c.dim('│')} ${clean(line)}`);
    }
  } else if (target.findings.length === 0) {
    // With findings accepted by a baseline or a suppression, none is gated, but there are findings.
    const accepted = (target.baselined?.length ?? 0) + (target.suppressed?.length ?? 0) > 0;
    lines.push(`${INDENT}${c.green(accepted ? '✔ no new findings' : '✔ no findings')}`);
  }
  for (const listing of incompleteListings(target.inventory)) lines.push(`${INDENT}${c.red('✖ incompletely discovered:')} ${clean(describeListing(listing))}`);

  for (const group of groupByCapability(sortedPlacedFindings(target, report.sarifRoot))) {
    lines.push(`${INDENT}${c.bold(clean(capabilityLabel(group.capability)))}`);
    for (const entry of group.findings) {
      lines.push(...findingLines(entry, c, rulesById, linkedRules));
    }
  }

  if (target.suppressed?.length) lines.push(`${INDENT}${c.dim(`${plural(target.suppressed.length, 'finding')} suppressed with a reason (not gated)`)}`);
  const baselined = baselinedLine(target, report.baseline);
  if (baselined) lines.push(`${INDENT}${c.dim(clean(baselined))}`);
  for (const line of probeSummaryLines(target.inventory)) lines.push(`${INDENT}${c.dim(clean(line))}`);
  for (const line of killSwitchSummaryLines(target.inventory)) lines.push(`${INDENT}${c.dim(clean(line))}`);

  lines.push(...riskTextLines(target.inventory?.risk, { c, escape: clean, indent: INDENT, limit: TEXT_RISK_ROWS, moreHint: 'discover --risk lists them all' }));

  const skipped = new Map<string, string[]>();
  for (const outcome of sortedOutcomes(target.outcomes)) {
    if (outcome.status !== 'skipped') continue;
    skipped.set(outcome.reason, [...(skipped.get(outcome.reason) ?? []), outcome.ruleId]);
  }
  if (verbose) {
    for (const [reason, ruleIds] of [...skipped].sort(([a], [b]) => compareStrings(a, b))) {
      lines.push(`${INDENT}${c.dim(`skipped ${plural(ruleIds.length, 'rule')} (${clean(reason)}): ${ruleIds.map(clean).join(', ')}`)}`);
    }
  } else if (skipped.size > 0) {
    lines.push(`${INDENT}${c.dim(clean(skippedSummary(skipped)))}`);
  }
  return lines;
}

/** What enables the rules that need each kind of fact (the skip reasons name the kinds). */
const ENABLED_BY: Record<string, string> = {
  source: '--source',
  http: 'an HTTP target',
  repo: '--repo',
  probe: '--probe',
  lock: '--lockfile',
  live: 'a live target',
};

/** `skipped 67 rules: 28 need --source, 14 an HTTP target, … (--verbose lists them)`: one line. */
export function skippedSummary(skipped: ReadonlyMap<string, readonly string[]>): string {
  const groups = new Map<string, number>();
  let total = 0;
  for (const [reason, ruleIds] of skipped) {
    total += ruleIds.length;
    const facts = /^needs (\w+(?: (?:and|or) \w+)*) facts;/.exec(reason)?.[1];
    const known = facts?.split(/ (and|or) /).every((part, index) => index % 2 === 1 || part in ENABLED_BY);
    const key = facts && known ? facts.replace(/\w+/g, (word) => (word === 'and' || word === 'or' ? word : ENABLED_BY[word]!)) : 'other reasons';
    groups.set(key, (groups.get(key) ?? 0) + ruleIds.length);
  }
  const parts = [...groups]
    .sort(([a, x], [b, y]) => Number(a === 'other reasons') - Number(b === 'other reasons') || y - x || compareStrings(a, b))
    .map(([key, count], index) =>
      key === 'other reasons' ? `${count} for other reasons` : `${count} ${index === 0 ? (count === 1 ? 'needs ' : 'need ') : ''}${key}`,
    );
  return `skipped ${plural(total, 'rule')}: ${parts.join(', ')} (--verbose lists them)`;
}

function targetHeader(target: TargetResult, c: ChalkInstance): string {
  const server = target.inventory?.server;
  const details: string[] = [];
  details.push(server?.transport ?? target.target.kind);
  if (server?.protocolVersion) details.push(`protocol ${server.protocolVersion}`);
  const serverName = [server?.info.name, server?.info.version].filter(Boolean).join(' ');
  if (serverName) details.push(serverName);
  const marker = target.failure ? c.red('●') : c.cyan('●');
  return `${marker} ${c.bold(clean(target.target.name))} ${c.dim(`(${clean(details.join(' · '))})`)}`;
}

const LEVEL_WIDTH = Math.max(...LEVELS.map((level) => level.length));

function findingLines(entry: PlacedFinding, c: ChalkInstance, rulesById: Map<string, RuleMeta>, linkedRules: Set<string>): string[] {
  const { finding } = entry;
  const pad = `${INDENT}${INDENT}`;
  const level = levelColor(c, finding.level)(finding.level.padEnd(LEVEL_WIDTH));
  const lines = [`${pad}${level}  ${clean(finding.message)}  ${c.dim(clean(finding.ruleId))}`];
  const detailPad = `${pad}${' '.repeat(LEVEL_WIDTH)}  `;
  if (finding.location) {
    const where = `${entry.display}:${entry.location.line}:${entry.location.column}`;
    lines.push(`${detailPad}${c.dim(`at ${clean(where)}`)}`);
  }
  const rule = rulesById.get(finding.ruleId);
  if (rule && !linkedRules.has(rule.id)) {
    linkedRules.add(rule.id);
    lines.push(`${detailPad}${c.dim.underline(ruleDocUrl(rule))}`);
  }
  return lines;
}

function levelColor(c: ChalkInstance, level: Level): ChalkInstance {
  return level === 'error' ? c.red.bold : level === 'warning' ? c.yellow : c.blue;
}

/** One line per target, so a many-target run says at a glance which server holds what. */
function renderTargetSummary(report: CheckReport, c: ChalkInstance): string[] {
  return report.targets.map((target) => {
    const name = clean(target.target.name);
    if (target.failure) return `${c.red('✖')} ${name}: could not be scanned`;
    const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
    for (const finding of target.findings) counts[finding.level] += 1;
    const text = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')}`;
    return `${counts.error > 0 ? c.red('●') : counts.warning > 0 ? c.yellow('●') : c.green('●')} ${name}: ${text}`;
  });
}

export function renderGate(report: Pick<CheckReport, 'gate'>, c: ChalkInstance): string[] {
  const { gate } = report;
  const counts = [plural(gate.counts.error ?? 0, 'error'), plural(gate.counts.warning ?? 0, 'warning'), plural(gate.counts.note ?? 0, 'note')].join(', ');
  const settings = [`fail-on: ${gate.failOn}`];
  if (gate.maxWarnings !== undefined) settings.push(`max-warnings: ${gate.maxWarnings}`);
  const verdict = gate.passed ? 'gate passed' : 'gate failed';
  const line = `${gate.passed ? '✔' : '✖'} ${counts} — ${verdict} (${settings.join(', ')})`;
  const lines = [gate.passed ? c.green.bold(line) : c.red.bold(line)];
  for (const reason of gate.reasons) lines.push(`${INDENT}${c.red('-')} ${clean(reason)}`);
  return lines;
}

/**
 * Server-supplied text (names, messages, stderr) is shown escaped: control characters could move the
 * cursor or recolour the terminal, and bidirectional overrides could make text read differently from
 * what it is ("Trojan Source"). This also keeps `color: false` output free of escape codes.
 */
export function clean(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

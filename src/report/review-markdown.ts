import { maskSecrets } from '../secrets/index.js';
import type { ChecklistItem, ReviewCell, ReviewDossier, ReviewRow } from '../collect/review-types.js';
import { TOOL_NAME, capabilityLabel } from './common.js';
import { block, code, text } from './markdown.js';
import type { CheckReport } from './types.js';

/**
 * `check --format review`: the review dossier as GitHub-flavoured Markdown, one table per target and
 * the riskiest capability's checklist (docs/review.md). Server-supplied text goes through the
 * Markdown reporter's escaping; an unknown cell is written in italics with what would fill it.
 */

const COLUMNS = [
  'Capability',
  'Risk',
  'Side effect',
  'Credentials',
  'Tenant',
  'Output bound',
  'Logs',
  'Approval',
  'Kill switch',
  'Audit event',
  'Findings',
] as const;

export function renderReview(report: CheckReport): string {
  const lines = [`# ${TOOL_NAME} review dossier`, ''];
  lines.push(
    'One row per capability, riskiest first. A cell in *italics* is unknown: it says which flag or config key would fill it. The checklist at the end of each target is for its riskiest capability.',
    '',
  );
  for (const target of report.targets) {
    lines.push(`## ${block(target.target.name)}`, '');
    if (target.review === undefined) {
      lines.push(target.failure ? `Not reviewed: ${block(target.failure.message)}` : 'Not reviewed: nothing was discovered.', '');
      continue;
    }
    lines.push(...table(target.review), '');
    lines.push(...checklist(target.review), '');
  }
  return maskSecrets(
    `${lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  );
}

export function table(dossier: ReviewDossier): string[] {
  if (dossier.rows.length === 0) return ['The server lists no capability.'];
  return [`| ${COLUMNS.join(' | ')} |`, `| ${COLUMNS.map(() => '---').join(' | ')} |`, ...dossier.rows.map(row)];
}

function row(entry: ReviewRow): string {
  const cells = [
    code(capabilityLabel(entry.capability)),
    `**${text(entry.riskClass)}**: ${text(entry.why)}`,
    cell(entry.sideEffect),
    cell(entry.credentials),
    cell(entry.tenant),
    cell(entry.outputBound),
    cell(entry.logs),
    cell(entry.approval),
    cell(entry.killSwitch),
    cell(entry.auditEvent),
    entry.findings.length === 0 ? 'none' : entry.findings.map((finding) => `${code(finding.ruleId)} (${finding.level})`).join(', '),
  ];
  return `| ${cells.join(' | ')} |`;
}

function cell(value: ReviewCell): string {
  if ('unknown' in value) return `*${text(value.unknown)}*`;
  return value.at === undefined ? text(value.value) : `${text(value.value)} (${code(value.at)})`;
}

const MARK: Record<'found' | 'missing' | 'unknown', string> = { found: '[x]', missing: '[ ]', unknown: '[ ]' };

function checklist(dossier: ReviewDossier): string[] {
  if (dossier.checklist === undefined) return [];
  const lines = [`### Riskiest capability: ${code(capabilityLabel(dossier.checklist.capability))}`, ''];
  for (const item of dossier.checklist.items) lines.push(`- ${itemLine(item)}`);
  return lines;
}

function itemLine(item: ChecklistItem): string {
  const state = item.found !== undefined ? 'found' : item.missing !== undefined ? 'missing' : 'unknown';
  const detail = item.found ?? item.missing ?? item.unknown ?? '';
  const label = item.item.charAt(0).toUpperCase() + item.item.slice(1);
  return `${MARK[state]} **${label}**: ${state === 'unknown' ? `*${text(detail)}*` : `${state}: ${text(detail)}`}`;
}

import { maskSecrets } from '../secrets/index.js';
import type { Level } from '../engine/types.js';
import { LEVEL_RANK, TOOL_NAME, comparePlaced, plural, ruleDocUrl, sortedPlacedFindings, type PlacedFinding } from './common.js';
import type { CheckReport, TargetResult } from './types.js';

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`): the runner turns
 * each line into an annotation on the pull request, which works on private repositories without
 * code scanning. The runner shows at most 10 errors and 10 warnings per step, so the gate comes
 * first and findings follow most severe first.
 */

const COMMAND: Record<Level, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** The message part: GitHub's escaping of `%`, CR and LF (actions/toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which would end the value (actions/toolkit `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Masked before escaping, so a secret cannot survive by being cut into escape sequences. */
function command(name: string, properties: Array<[string, string | number | undefined]>, message: string): string {
  const props = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(maskSecrets(String(value)))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(maskSecrets(message))}`;
}

export function renderGithub(report: CheckReport): string {
  const { gate } = report;
  const counts = `${plural(gate.counts.error, 'error')}, ${plural(gate.counts.warning, 'warning')}, ${plural(gate.counts.note, 'note')}`;
  const verdict = gate.passed ? `gate passed: ${counts}` : `gate failed: ${counts}\n${gate.reasons.map((reason) => `- ${reason}`).join('\n')}`;
  const lines = [command(gate.passed ? 'notice' : 'error', [['title', `${TOOL_NAME} gate (fail-on: ${gate.failOn})`]], verdict)];

  for (const target of report.targets) {
    if (target.failure) lines.push(command('error', [['title', `${TOOL_NAME}: ${target.target.name} could not be scanned`]], target.failure.message));
  }
  const rulesById = new Map(report.rules.map((rule) => [rule.id, rule]));
  const named = report.targets.length > 1;
  const placed = report.targets.flatMap((target) => sortedPlacedFindings(target, report.sarifRoot).map((entry) => ({ entry, target })));
  placed.sort((a, b) => LEVEL_RANK[a.entry.finding.level] - LEVEL_RANK[b.entry.finding.level] || comparePlaced(a.entry, b.entry));
  for (const { entry, target } of placed) lines.push(findingCommand(entry, target, named, rulesById.get(entry.finding.ruleId)));
  return `${lines.join('\n')}\n`;
}

function findingCommand(entry: PlacedFinding, target: TargetResult, named: boolean, rule: Parameters<typeof ruleDocUrl>[0] | undefined): string {
  const { finding, location } = entry;
  // A path outside the repository would be shown by its base name only, which GitHub cannot place.
  const where: Array<[string, number | string | undefined]> = entry.outsideRoot
    ? []
    : [
        ['file', entry.display],
        ['line', location.line],
        ['col', location.column],
        ['endLine', location.endLine],
        ['endColumn', location.endLine === undefined || location.endLine === location.line ? location.endColumn : undefined],
      ];
  const title = named ? `${finding.ruleId} [${target.target.name}]` : finding.ruleId;
  const message = rule ? `${finding.message}\n${ruleDocUrl(rule)}` : finding.message;
  return command(COMMAND[finding.level], [...where, ['title', title]], message);
}

import { maskedJson } from '../secrets/index.js';
import type { Finding, Level, RuleOutcome } from '../engine/types.js';
import type { Inventory, TargetDescription } from '../inventory/model.js';
import { TOOL_NAME, sortedOutcomes, sortedPlacedFindings, sortedRules } from './common.js';
import type { ReviewDossier } from '../collect/review-types.js';
import type { CheckReport, GateResult, TargetFailure } from './types.js';

/**
 * The machine-readable report, documented field by field in docs/report-json.md. Versioned: any change
 * to its shape bumps REPORT_JSON_SCHEMA_VERSION.
 */

export const REPORT_JSON_SCHEMA_VERSION = 1;

export interface ReportJson {
  schemaVersion: typeof REPORT_JSON_SCHEMA_VERSION;
  tool: { name: typeof TOOL_NAME; version: string };
  gate: GateResult;
  targets: ReportJsonTarget[];
  rules: { id: string; level: Level; title: string }[];
  /** Only with a baseline: its file and the entries that matched nothing. */
  baseline?: CheckReport['baseline'];
}

export interface ReportJsonTarget {
  target: TargetDescription;
  inventory: Inventory | null;
  failure: TargetFailure | null;
  findings: Finding[];
  /** Only when a suppression applied: the findings it accepted, each with its `suppression` (not gated). */
  suppressed?: Finding[];
  /** Only with a baseline: the findings it accepted (not gated). */
  baselined?: Finding[];
  outcomes: RuleOutcome[];
  /** Only when the run built it (`--format json` or `review`): the review dossier, docs/review.md. */
  review?: ReviewDossier;
}

export function buildReportJson(report: CheckReport): ReportJson {
  const { gate } = report;
  const counts: Record<Level, number> = {
    error: gate.counts.error ?? 0,
    warning: gate.counts.warning ?? 0,
    note: gate.counts.note ?? 0,
  };
  // Rebuilt with a fixed key order so the output does not depend on how the gate built its object.
  const gateJson: GateResult = {
    passed: gate.passed,
    exitCode: gate.exitCode,
    failOn: gate.failOn,
    ...(gate.maxWarnings === undefined ? {} : { maxWarnings: gate.maxWarnings }),
    counts,
    reasons: [...gate.reasons],
  };

  return {
    schemaVersion: REPORT_JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: report.toolVersion },
    gate: gateJson,
    targets: report.targets.map((target) => ({
      target: target.target,
      inventory: target.inventory ?? null,
      failure: target.failure ?? null,
      // Same order as the SARIF results: uri, line, column, rule id, fingerprint.
      findings: sortedPlacedFindings(target, report.sarifRoot).map((entry) => entry.finding),
      ...(target.suppressed
        ? { suppressed: sortedPlacedFindings({ ...target, findings: target.suppressed }, report.sarifRoot).map((entry) => entry.finding) }
        : {}),
      ...(target.baselined
        ? { baselined: sortedPlacedFindings({ ...target, findings: target.baselined }, report.sarifRoot).map((entry) => entry.finding) }
        : {}),
      outcomes: sortedOutcomes(target.outcomes),
      ...(target.review ? { review: target.review } : {}),
    })),
    rules: sortedRules(report.rules).map((rule) => ({ id: rule.id, level: rule.level, title: rule.title })),
    ...(report.baseline ? { baseline: report.baseline } : {}),
  };
}

export function renderJson(report: CheckReport): string {
  // The inventory carries everything the server said; mask it like every other output.
  return `${maskedJson(buildReportJson(report), 2)}\n`;
}

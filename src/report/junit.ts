import { maskSecrets } from '../secrets/index.js';
import type { Finding, RuleMeta, RuleOutcome } from '../engine/types.js';
import { isGated } from '../gate/gated.js';
import { TOOL_NAME, sortedPlacedFindings, sortedRules, type PlacedFinding } from './common.js';
import type { CheckReport, TargetResult } from './types.js';

/**
 * JUnit XML for CI test dashboards (GitLab, Jenkins, Azure): a suite per target, a test case per
 * enabled rule, a failure for each rule with findings the gate failed on. A target that could not be
 * scanned is an error case and its rules are skipped, never passed.
 */

export function renderJunit(report: CheckReport): string {
  const rules = sortedRules(report.rules);
  const suites = report.targets.map((target) => suite(target, rules, report));
  const total = suites.reduce(
    (sum, entry) => ({
      tests: sum.tests + entry.tests,
      failures: sum.failures + entry.failures,
      errors: sum.errors + entry.errors,
      skipped: sum.skipped + entry.skipped,
    }),
    { tests: 0, failures: 0, errors: 0, skipped: 0 },
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${TOOL_NAME}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}">`,
    ...suites.flatMap((entry) => entry.lines),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Suite {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  lines: string[];
}

function suite(target: TargetResult, rules: readonly RuleMeta[], report: CheckReport): Suite {
  const name = target.target.name;
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  if (target.failure) {
    errors += 1;
    cases.push(
      `    <testcase classname="${attr(`${TOOL_NAME}.${name}`)}" name="discovery">`,
      `      <error message="${attr(target.failure.message)}">${text(target.failure.stderrTail ?? target.failure.message)}</error>`,
      '    </testcase>',
    );
  }
  const outcomes = new Map<string, RuleOutcome>(target.outcomes.map((outcome) => [outcome.ruleId, outcome]));
  const byRule = new Map<string, PlacedFinding[]>();
  for (const entry of sortedPlacedFindings(target, report.sarifRoot)) byRule.set(entry.finding.ruleId, [...(byRule.get(entry.finding.ruleId) ?? []), entry]);

  for (const rule of rules) {
    const open = `    <testcase classname="${attr(`${TOOL_NAME}.${name}`)}" name="${attr(rule.id)}">`;
    const outcome = outcomes.get(rule.id);
    const found = byRule.get(rule.id) ?? [];
    if (outcome === undefined || outcome.status !== 'ran') {
      if (found.length === 0) {
        skipped += 1;
        const reason = target.failure ? 'the target could not be scanned' : outcome?.status === 'skipped' ? outcome.reason : 'not run';
        cases.push(open, `      <skipped message="${attr(reason)}"/>`, '    </testcase>');
        continue;
      }
    }
    const gated = found.filter((entry) => isGated(entry.finding.level, report.gate));
    const body: string[] = [];
    if (gated.length > 0) {
      failures += 1;
      const summary = `${gated.length} finding${gated.length === 1 ? '' : 's'} the gate failed on (fail-on: ${report.gate.failOn})`;
      body.push(`      <failure type="${attr(gated[0]!.finding.level)}" message="${attr(summary)}">${text(gated.map(describe).join('\n'))}</failure>`);
    }
    const below = found.filter((entry) => !gated.includes(entry));
    if (below.length > 0) body.push(`      <system-out>${text(below.map(describe).join('\n'))}</system-out>`);
    cases.push(...(body.length === 0 ? [open.replace(/>$/, '/>')] : [open, ...body, '    </testcase>']));
  }
  const tests = rules.length + (target.failure ? 1 : 0);
  return {
    tests,
    failures,
    errors,
    skipped,
    lines: [`  <testsuite name="${attr(name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`, ...cases, '  </testsuite>'],
  };
}

function describe(entry: PlacedFinding): string {
  const finding: Finding = entry.finding;
  const where = `${entry.display}:${entry.location.line}:${entry.location.column}`;
  const capability = finding.capability.name === undefined ? finding.capability.kind : `${finding.capability.kind} ${finding.capability.name}`;
  return `${finding.level}: ${finding.message} (${capability}; ${where})`;
}

/**
 * XML 1.0 has no way to write most control characters, lone surrogates or U+FFFE/U+FFFF, even
 * escaped: they become visible `\uXXXX` text, so a hostile server name cannot break the document.
 */
function xmlSafe(value: string): string {
  return maskSecrets(value).replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function text(value: string): string {
  return xmlSafe(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes, and keep newlines and tabs (which parsers would normalise). */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

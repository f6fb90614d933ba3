import { maskedJson } from '../secrets/index.js';
import type * as Sarif from 'sarif';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Finding, Level, RuleMeta } from '../engine/types.js';
import type { CapabilityKind, SourceLocation } from '../inventory/model.js';
import {
  LEVEL_RANK,
  REPOSITORY_URL,
  TOOL_NAME,
  comparePlaced,
  plural,
  ruleDocUrl,
  rulePascalName,
  slug,
  sortedOutcomes,
  sortedPlacedFindings,
  sortedRules,
  type PlacedFinding,
} from './common.js';
import { incompleteLine } from './incomplete.js';
import { classifiedTags, owaspRelationships, owaspTaxonomy, severityProperties } from './sarif-taxonomy.js';
import type { SuppressedFinding } from '../suppress/types.js';
import type { CheckReport, TargetResult } from './types.js';

/**
 * SARIF 2.1.0 for GitHub code scanning. The only module that touches node-sarif-builder; it always
 * sets the driver name, levels, help, fingerprints, category and sort order itself, because the
 * library does none of that (CONVENTIONS.md §2). The contract is CONVENTIONS.md §1.12, checked by
 * test/helpers/sarif-contract.ts.
 */

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub rejects a file with more runs (CONVENTIONS.md §1.7). */
export const MAX_SARIF_RUNS = 20;
/** GitHub displays only the top 5,000 results of a run, by severity (CONVENTIONS.md §1.7). */
export const MAX_RESULTS_PER_RUN = 5000;
/** Our line-free identity key, versioned (CONVENTIONS.md §1.4). */
export const FINGERPRINT_KEY = 'mcpPreflight/v1';
export const SRCROOT = '%SRCROOT%';

const MAX_DESCRIPTION = 1024;
const PLACEHOLDER = 'SARIF_BUILDER_INVALID';
const MAX_RULE_NAME = 255;
const MAX_TAGS = 10;

/** SARIF's well-known logicalLocation kinds (§3.33.7); our own kind goes into fullyQualifiedName. */
const LOGICAL_KIND: Record<CapabilityKind, string> = {
  tool: 'function',
  prompt: 'function',
  resource: 'resource',
  resourceTemplate: 'resource',
  server: 'module',
};

export function renderSarif(report: CheckReport): string {
  if (report.targets.length > MAX_SARIF_RUNS) {
    throw new Error(
      `SARIF for GitHub code scanning allows at most ${MAX_SARIF_RUNS} runs per file, and this report has ` +
        `${report.targets.length} targets (one run each). Write one SARIF file per group of at most ` +
        `${MAX_SARIF_RUNS} targets.`,
    );
  }
  const rules = sortedRules(report.rules);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const runIds = automationIds(
    report.targets.map((target) => target.category ?? target.target.name),
    report.category,
  );

  const log = new SarifBuilder({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [] });
  report.targets.forEach((target, index) => {
    log.addRun(buildRun(report, target, rules, ruleIndex, runIds[index] ?? `${TOOL_NAME}/target-${index + 1}/`));
  });
  return `${serialise(log)}\n`;
}

/**
 * The library's completion step fills `ruleIndex`, but also adds a `run.artifacts[]` that repeats
 * every URI with a guessed language; the multitool flags that as noise (SARIF2004), so it is removed
 * along with the `index` links into it.
 */
function serialise(builder: SarifBuilder): string {
  const log = builder.buildSarifOutput();
  for (const run of log.runs) {
    delete run.artifacts;
    for (const result of run.results ?? []) {
      for (const location of result.locations ?? []) delete location.physicalLocation?.artifactLocation?.index;
    }
  }
  // The library's guard (buildSarifJsonString) searches the whole text for its placeholder, so a
  // server that names a tool "SARIF_BUILDER_INVALID" would make it throw. Check only the fields the
  // placeholder can actually occupy; we always set them.
  const unset = log.runs.some(
    (run) =>
      run.tool.driver.name.startsWith(PLACEHOLDER) ||
      (run.tool.driver.rules ?? []).some((rule) => rule.id.startsWith(PLACEHOLDER) || rule.shortDescription?.text.startsWith(PLACEHOLDER)) ||
      (run.results ?? []).some((result) => result.ruleId?.startsWith(PLACEHOLDER)),
  );
  if (unset) throw new Error('SARIF log has a required field that was never set (SARIF_BUILDER_INVALID)');
  // Messages are masked by the engine; this also covers target names, command lines and notifications.
  return maskedJson(log, 2);
}

/**
 * `mcp-preflight/<slug of the stable run name>/`, with a trailing slash so the whole id is the
 * category (CONVENTIONS.md §1.5). The name is the config target's, --name, or the server's package
 * name, so changing the command line does not orphan earlier alerts. Always written, so that every
 * run names its target; an `upload-sarif` `category:` input is therefore ignored: pass `--category`
 * instead (one target: the category itself; several: its prefix). Slugs that collide get `-2`, `-3`,
 * … because two runs with the same tool and category make GitHub reject the upload.
 */
export function automationIds(runNames: readonly string[], category?: string): string[] {
  if (category !== undefined && runNames.length === 1) return [`${category}/`];
  const used = new Set<string>();
  return runNames.map((name, index) => {
    const base = slug(name, `target-${index + 1}`);
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}-${n}`;
    used.add(candidate);
    return `${category ?? TOOL_NAME}/${candidate}/`;
  });
}

function buildRun(report: CheckReport, target: TargetResult, rules: RuleMeta[], ruleIndex: Map<string, number>, automationId: string): SarifRunBuilder {
  const notifications: Sarif.Notification[] = [];
  if (target.failure) {
    const failure: Sarif.Notification = { level: 'error', message: { text: target.failure.message } };
    if (target.failure.stderrTail) failure.properties = { stderrTail: target.failure.stderrTail };
    notifications.push(failure);
  }
  // A list cut short: what was seen is reported, but the run did not see the whole server.
  const incomplete = incompleteLine(target.target.name, target.inventory, { alternative: 'or pass --allow-incomplete' });
  if (incomplete !== undefined) notifications.push({ level: 'error', message: { text: incomplete }, descriptor: { id: 'incomplete-discovery' } });

  let placed = sortedPlacedFindings(target, report.sarifRoot);
  for (const { finding } of placed) {
    if (!ruleIndex.has(finding.ruleId)) {
      throw new Error(
        `Finding for rule "${finding.ruleId}" on target "${target.target.name}" has no entry in report.rules; ` +
          'every rule that reports must be listed so the SARIF result can reference it.',
      );
    }
  }
  if (placed.length > MAX_RESULTS_PER_RUN) {
    const omitted = placed.length - MAX_RESULTS_PER_RUN;
    placed = [...placed]
      .sort((a, b) => LEVEL_RANK[a.finding.level] - LEVEL_RANK[b.finding.level] || comparePlaced(a, b))
      .slice(0, MAX_RESULTS_PER_RUN)
      .sort(comparePlaced);
    notifications.push({
      level: 'warning',
      message: {
        text:
          `${plural(omitted, 'result')} left out: GitHub shows at most ${MAX_RESULTS_PER_RUN} results per run, ` +
          'so only the most severe are included. See the JSON or text report for all findings.',
      },
    });
  }
  const outside = placed.filter((entry) => entry.outsideRoot).length;
  if (outside > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text:
          `${plural(outside, 'result')} point at files outside the SARIF root and are shown by file name only; ` +
          'run from the repository root or pass the right SARIF root so the paths resolve.',
      },
    });
  }
  for (const outcome of sortedOutcomes(target.outcomes)) {
    if (outcome.status !== 'skipped') continue;
    const index = ruleIndex.get(outcome.ruleId);
    notifications.push({
      level: 'note',
      message: { text: `rule ${outcome.ruleId} skipped: ${outcome.reason}` },
      associatedRule: index === undefined ? { id: outcome.ruleId } : { id: outcome.ruleId, index },
    });
  }

  const invocation: Sarif.Invocation = { executionSuccessful: !target.failure && incomplete === undefined };
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;

  const run = new SarifRunBuilder({
    tool: {
      driver: {
        // Set explicitly: the library's default is the *user's* npm_package_name (CONVENTIONS.md §2).
        name: TOOL_NAME,
        semanticVersion: report.toolVersion,
        version: report.toolVersion,
        informationUri: REPOSITORY_URL,
        // Must be present when `tool` is passed, or addRule() crashes (CONVENTIONS.md §2).
        rules: [],
      },
    },
    automationDetails: { id: automationId },
    // A description only, no absolute `uri`: keeps the file valid without leaking the machine's path.
    originalUriBaseIds: { [SRCROOT]: { description: { text: 'repository root' } } },
    columnKind: 'utf16CodeUnits',
    // The OWASP MCP Top 10 as a taxonomy, so rules can point at its entries (rule.relationships).
    taxonomies: [owaspTaxonomy()],
    invocations: [invocation],
    results: [],
  });
  for (const rule of rules) run.addRule(new SarifRuleBuilder(ruleDescriptor(rule)));
  // With a baseline, every result says whether it is new; the accepted ones stay, as "unchanged".
  // Suppressed findings stay too, with their justification (GitHub shows them as dismissed). One sorted list.
  const extra = (findings: Finding[] | undefined) => (findings ? sortedPlacedFindings({ ...target, findings }, report.sarifRoot) : []);
  const all: Array<{ entry: PlacedFinding; state?: 'new' | 'unchanged' }> = [
    ...placed.map((entry) => ({ entry, ...(target.baselined ? { state: 'new' as const } : {}) })),
    ...extra(target.baselined).map((entry) => ({ entry, state: 'unchanged' as const })),
    ...extra(target.suppressed).map((entry) => ({ entry, ...(target.baselined ? { state: 'new' as const } : {}) })),
  ].sort((a, b) => comparePlaced(a.entry, b.entry));
  for (const { entry, state } of all) {
    const built = result(entry, ruleIndex, target);
    const suppression = (entry.finding as Partial<SuppressedFinding>).suppression;
    if (state) built.baselineState = state;
    if (suppression) built.suppressions = [{ kind: suppression.kind, status: 'accepted', justification: suppression.justification }];
    run.addResult(new SarifResultBuilder(built));
  }
  return run;
}

function ruleDescriptor(rule: RuleMeta): Sarif.ReportingDescriptor {
  const docUrl = ruleDocUrl(rule);
  const title = rule.title.trim() || rule.id;
  const rationale = rule.rationale.trim() || title;
  const relationships = owaspRelationships(rule);
  return {
    id: rule.id,
    name: rulePascalName(rule.id).slice(0, MAX_RULE_NAME) || rule.id.slice(0, MAX_RULE_NAME),
    shortDescription: { text: truncate(title, MAX_DESCRIPTION) },
    fullDescription: { text: truncate(rationale, MAX_DESCRIPTION) },
    // GitHub shows help.markdown instead of help.text and ignores helpUri, so the link goes in both.
    help: { text: helpText(rule, rationale, docUrl), markdown: helpMarkdown(rule, rationale, docUrl) },
    helpUri: docUrl,
    defaultConfiguration: { level: rule.level },
    properties: {
      tags: ruleTags(rule),
      precision: rule.precision,
      ...severityProperties(rule),
    },
    ...(relationships.length > 0 ? { relationships } : {}),
  };
}

/** `security` (security rules only) and the pack first, then CWE/OWASP and the rule's own tags; at most 10 (GitHub shows no more). */
export function ruleTags(rule: Pick<RuleMeta, 'pack' | 'tags'> & Partial<Pick<RuleMeta, 'references' | 'custom'>>): string[] {
  return classifiedTags({ ...rule, references: rule.references ?? [] }, MAX_TAGS);
}

function helpText(rule: RuleMeta, rationale: string, docUrl: string): string {
  const parts = [rationale];
  if (rule.fix.trim()) parts.push(`How to fix:\n${rule.fix.trim()}`);
  if (rule.references.length > 0) {
    parts.push(`References:\n${rule.references.map((ref) => `- ${ref.title}: ${ref.url}`).join('\n')}`);
  }
  parts.push(`Documentation: ${docUrl}`);
  return parts.join('\n\n');
}

function helpMarkdown(rule: RuleMeta, rationale: string, docUrl: string): string {
  const parts = [rationale];
  if (rule.fix.trim()) parts.push(`## How to fix\n\n${rule.fix.trim()}`);
  if (rule.examples?.bad || rule.examples?.good) {
    const examples: string[] = ['## Example'];
    if (rule.examples.bad) examples.push(`Caught:\n\n${codeBlock(rule.examples.bad)}`);
    if (rule.examples.good) examples.push(`Passes:\n\n${codeBlock(rule.examples.good)}`);
    parts.push(examples.join('\n\n'));
  }
  if (rule.references.length > 0) {
    const list = rule.references.map((ref) => `- [${escapeLinkText(ref.title)}](${ref.url})`).join('\n');
    parts.push(`## References\n\n${list}`);
  }
  parts.push(`[Rule documentation: \`${rule.id}\`](${docUrl})`);
  return parts.join('\n\n');
}

/** A fence longer than any backtick run inside the example, so the example cannot close it. */
function codeBlock(code: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}\n${code.replace(/\n+$/, '')}\n${fence}`;
}

function escapeLinkText(text: string): string {
  return text.replace(/([\\[\]])/g, '\\$1');
}

/**
 * At most `max` UTF-16 code units, cut at a word boundary when one is near, never inside a surrogate
 * pair, with an ellipsis marking the cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const lastSpace = cut.search(/\s\S*$/);
  if (lastSpace > cut.length * 0.8) cut = cut.slice(0, lastSpace);
  return `${cut.trimEnd()}…`;
}

function result(entry: PlacedFinding, ruleIndex: Map<string, number>, target: TargetResult): Sarif.Result {
  const { finding } = entry;
  const capability: { kind: CapabilityKind; name?: string } = { kind: finding.capability.kind };
  if (finding.capability.name !== undefined) capability.name = finding.capability.name;
  const logicalName = finding.capability.name ?? target.target.name;
  const properties: Sarif.PropertyBag = { capability };
  if (finding.field !== undefined) properties.field = finding.field;
  if (finding.evidence !== undefined) properties.evidence = finding.evidence;
  properties.evidenceKind = finding.evidenceKind;
  if (entry.outsideRoot) properties.pathOutsideRoot = true;

  return {
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
    level: finding.level satisfies Level,
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: entry.uri, uriBaseId: SRCROOT },
          region: region(entry.location),
        },
        logicalLocations: [
          {
            name: logicalName,
            kind: LOGICAL_KIND[finding.capability.kind],
            fullyQualifiedName: `${finding.capability.kind}:${logicalName}`,
          },
        ],
      },
    ],
    ...(entry.related.length > 0
      ? {
          relatedLocations: entry.related.map((related, index) => ({
            id: index + 1,
            physicalLocation: { artifactLocation: { uri: related.uri, uriBaseId: SRCROOT }, region: region(related.location) },
            message: { text: related.message },
          })),
        }
      : {}),
    // Option (a) of CONVENTIONS.md §1.4: no primaryLocationLineHash. upload-sarif computes it from the
    // checked-out file, so uploads must go through that action with the repository checked out. Our
    // own line-free identity is what the baseline and suppressions key on; GitHub ignores it.
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties,
  };
}

/** A full 1-based region; unknown columns become 1, and the end never precedes the start. */
export function region(location: SourceLocation): Sarif.Region {
  const startLine = positive(location.line);
  const startColumn = positive(location.column);
  let endLine = location.endLine === undefined ? startLine : positive(location.endLine);
  let endColumn = location.endColumn === undefined ? (endLine > startLine ? 1 : startColumn) : positive(location.endColumn);
  if (endLine < startLine) endLine = startLine;
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { startLine, startColumn, endLine, endColumn };
}

function positive(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : 1;
}

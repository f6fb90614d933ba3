import { allCapabilities, type Capability, type CapabilityRef, type Inventory } from '../inventory/model.js';
import { registrationsOf } from '../inventory/registrations.js';
import { riskInventory, type RankedCapability } from '../inventory/risk.js';
import { coverageOf } from '../checks/killswitch/coverage.js';
import type { CodeSite, SourceFacts } from '../source/types.js';
import { LEVEL_RANK, capabilityLabel, compareStrings } from '../report/common.js';
import type { TargetResult } from '../report/types.js';
import type { ChecklistItem, ReviewCell, ReviewDossier, ReviewRow } from './review-types.js';

export type { ChecklistItem, ReviewCell, ReviewDossier, ReviewRow } from './review-types.js';

/**
 * The review dossier (built here, after the rules ran, because it reads their findings and the
 * kill-switch coverage the rules share; reporters only format it) (`check --format review`, and `review` in the JSON report): per target, one row
 * per capability with what a production review asks of it (side effect, credentials, tenant,
 * output bound, logs, approval, kill switch, audit event, findings), then a checklist for the
 * riskiest capability. Built from facts already collected; a cell the facts cannot fill says
 * "unknown" and which flag or config key would fill it. Nothing is guessed.
 */

const SOURCE = 'unknown: run with --source';

export function buildReview(result: TargetResult): ReviewDossier | undefined {
  const inventory = result.inventory;
  if (inventory === undefined) return undefined;
  const ranked = inventory.risk ?? riskInventory(inventory);
  const byKey = new Map(allCapabilities(inventory).map((capability) => [key(capability), capability]));
  // Findings by capability once, so the dossier stays linear in capabilities and findings.
  const findingsOf = new Map<string, ReviewRow['findings']>();
  for (const finding of result.findings) {
    const list = findingsOf.get(key(finding.capability)) ?? [];
    list.push({ ruleId: finding.ruleId, level: finding.level });
    findingsOf.set(key(finding.capability), list);
  }
  const rows: ReviewRow[] = [];
  for (const row of ranked) {
    const capability = byKey.get(key(row.capability));
    if (capability === undefined) continue;
    rows.push(reviewRow(inventory, capability, row, findingsOf.get(key(row.capability)) ?? []));
  }
  const dossier: ReviewDossier = { target: result.target.name, rows };
  const riskiest = ranked.find((row) => byKey.has(key(row.capability)));
  if (riskiest !== undefined)
    dossier.checklist = { capability: riskiest.capability, items: checklist(inventory, rows[0]!, byKey.get(key(riskiest.capability))!) };
  return dossier;
}

function key(capability: CapabilityRef): string {
  return `${capability.kind}\u0000${capability.name ?? ''}`;
}

function where(source: SourceFacts, site: Pick<CodeSite, 'location'>): string {
  const file = site.location.file.startsWith(source.root) ? site.location.file.slice(source.root.length + 1) : site.location.file;
  return `${file.split('\\').join('/')}:${site.location.line}`;
}

function reviewRow(inventory: Inventory, capability: Capability, risk: RankedCapability, found: ReviewRow['findings']): ReviewRow {
  const source = inventory.source;
  const handler = registrationsOf(source, capability).find((registration) => registration.handler !== undefined)?.handler;
  const reaches = handler?.reaches ?? [];
  const name = capability.name;
  const configKey = `risk.${capability.kind === 'resourceTemplate' ? 'resourceTemplates' : `${capability.kind}s`}.${name}`;
  const findings = [...found].sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || compareStrings(a.ruleId, b.ruleId));
  return {
    capability: { kind: capability.kind, name },
    riskClass: risk.openWorld && risk.class !== 'open-world' && risk.class !== 'read-only' ? `${risk.class} + open world` : risk.class,
    why: risk.reasons.join('; ') || 'no signal of risk',
    sideEffect: sideEffect(source, reaches, risk),
    credentials:
      source === undefined
        ? { unknown: SOURCE }
        : handler === undefined
          ? { unknown: 'unknown: no handler found in source for it' }
          : handler.credentials?.length
            ? { value: handler.credentials.join(', ') }
            : { value: `none read in the handler (calls followed ${source.callDepth} deep)` },
    tenant: risk.declared?.tenant !== undefined ? { value: risk.declared.tenant } : { unknown: `unknown: declare ${configKey}.tenant in the config` },
    outputBound: outputBound(inventory, capability, source, reaches),
    logs: logs(source, handler === undefined ? undefined : reaches),
    approval: risk.declared?.approval !== undefined ? { value: risk.declared.approval } : { unknown: `unknown: declare ${configKey}.approval in the config` },
    killSwitch: killSwitch(inventory, capability, risk),
    auditEvent: auditEvent(source, handler === undefined ? undefined : reaches),
    findings,
  };
}

const REACH_WORDS: Partial<Record<CodeSite['kind'], string>> = {
  'process-spawn': 'runs a process',
  eval: 'evaluates code',
  'sql-call': 'runs SQL',
  'outbound-http': 'calls out over HTTP',
  'file-read-unbounded': 'reads files',
};

const CLASS_WORDS: Record<string, string> = {
  exec: 'runs what it is given',
  destructive: 'destroys or overwrites data',
  write: 'changes state',
  'open-world': 'reaches systems outside the server',
  'read-only': 'none: it only reads',
};

function sideEffect(source: SourceFacts | undefined, reaches: readonly CodeSite[], risk: RankedCapability): ReviewCell {
  const seen = [
    ...new Set(reaches.flatMap((site) => (REACH_WORDS[site.kind] === undefined ? [] : [`${REACH_WORDS[site.kind]} (${site.what}, ${where(source!, site)})`]))),
  ];
  const byClass = CLASS_WORDS[risk.class] ?? risk.class;
  if (seen.length > 0) return { value: `${byClass}; the handler ${seen.slice(0, 3).join('; ')}` };
  return { value: source === undefined ? `${byClass} (by its listing; --source shows what the handler reaches)` : byClass };
}

/** A bound anywhere in an output schema: `maxLength`, `maxItems`, `maxProperties`. */
function declaredBound(schema: unknown, depth = 0): string | undefined {
  if (schema === null || typeof schema !== 'object' || depth > 8) return undefined;
  for (const [field, value] of Object.entries(schema as Record<string, unknown>)) {
    if ((field === 'maxLength' || field === 'maxItems' || field === 'maxProperties') && typeof value === 'number') return `${field} ${value}`;
    const nested = declaredBound(value, depth + 1);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function outputBound(inventory: Inventory, capability: Capability, source: SourceFacts | undefined, reaches: readonly CodeSite[]): ReviewCell {
  if (capability.kind === 'tool') {
    const declared = declaredBound(capability.outputSchema);
    if (declared !== undefined) return { value: `declared: outputSchema ${declared}` };
  }
  if (capability.kind === 'resource' && typeof capability.size === 'number') return { value: `declared: size ${capability.size} bytes` };
  const unbounded = reaches.find((site) => site.kind === 'file-read-unbounded' || site.kind === 'body-read-unbounded');
  if (unbounded !== undefined && source !== undefined) return { value: `none: ${unbounded.what} reads without a limit at ${where(source, unbounded)}` };
  const probe = inventory.probe;
  const toolProbe = capability.kind === 'tool' ? probe?.tools.find((tool) => tool.name === capability.name) : undefined;
  const call =
    capability.kind === 'tool'
      ? toolProbe?.valid
      : capability.kind === 'resource'
        ? probe?.resources.find((resource) => resource.uri === capability.uri)?.read
        : undefined;
  if (call !== undefined) return { value: `probed: ${call.bytes} bytes in one call${call.truncated ? ' (cut at the probe bound)' : ''}; none declared` };
  if (probe !== undefined)
    return { unknown: `unknown: not called by the probe (${toolProbe?.validSkipped ?? toolProbe?.reason ?? 'not probed'}); no bound declared` };
  return { unknown: 'unknown: no bound declared; run with --probe to measure one call' };
}

function logs(source: SourceFacts | undefined, reaches: readonly CodeSite[] | undefined): ReviewCell {
  if (source === undefined) return { unknown: SOURCE };
  if (reaches === undefined) return { unknown: 'unknown: no handler found in source for it' };
  const audit = reaches.find((site) => site.kind === 'audit-event');
  if (audit !== undefined) {
    const fields = Object.entries(audit.detail)
      .filter(([, value]) => value === true)
      .map(([field]) => field);
    return { value: `audit event via ${audit.what}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`, at: where(source, audit) };
  }
  const log = reaches.find((site) => site.kind === 'log-call');
  if (log !== undefined)
    return { value: `${log.what}${typeof log.detail.reads === 'string' && log.detail.reads !== '' ? ` (${log.detail.reads})` : ''}`, at: where(source, log) };
  return { value: `nothing (calls followed ${source.callDepth} deep)` };
}

function auditEvent(source: SourceFacts | undefined, reaches: readonly CodeSite[] | undefined): ReviewCell {
  if (source === undefined) return { unknown: SOURCE };
  if (reaches === undefined) return { unknown: 'unknown: no handler found in source for it' };
  const audit = reaches.find((site) => site.kind === 'audit-event');
  return audit === undefined ? { value: 'no' } : { value: 'yes', at: where(source, audit) };
}

function killSwitch(inventory: Inventory, capability: Capability, risk: RankedCapability): ReviewCell {
  const facts = inventory.killSwitches;
  const declared = facts?.declared.capabilities[capability.name] !== undefined;
  const run = facts?.verification?.runs.find((entry) => entry.capabilities.includes(capability.name));
  if (declared && run !== undefined) {
    const listed = run.outcome.kind === 'started' && Object.values(run.outcome.exposed).some((names) => names.includes(capability.name));
    return { value: listed ? 'declared; verification: still listed with the switch on' : 'verified: gone from discovery with the switch on' };
  }
  if (declared) return { value: 'declared (not verified: run with --verify-kill-switches)' };
  if (inventory.source === undefined) return { unknown: 'unknown: none declared (config killSwitches); --source detects switches in code' };
  const coverage = coverageOf(inventory, inventory.source, capability, risk);
  if (coverage === undefined) return { value: 'none' };
  if (coverage.by === 'condition')
    return { value: `detected: registered only when ${coverage.reads.join(', ')}`, at: where(inventory.source, coverage.registration) };
  if (coverage.by === 'config') return { value: 'declared' };
  return { value: `detected: ${coverage.site.what}`, at: where(inventory.source, coverage.site) };
}

function checklist(inventory: Inventory, row: ReviewRow, capability: Capability): ChecklistItem[] {
  const source = inventory.source;
  const filled = (cell: ReviewCell) => ('value' in cell ? cell.value + (cell.at ? ` (${cell.at})` : '') : undefined);
  const items: ChecklistItem[] = [];
  const switchCell = row.killSwitch;
  if ('unknown' in switchCell) items.push({ item: 'kill switch', unknown: switchCell.unknown });
  else if (switchCell.value === 'none') items.push({ item: 'kill switch', missing: 'none declared or found in code (killswitch/no-capability-switch)' });
  else items.push({ item: 'kill switch', found: filled(switchCell)! });
  if (source === undefined) items.push({ item: 'alert', unknown: `${SOURCE} (metrics in code)` });
  else {
    const metric = source.sites.find((site) => site.kind === 'metric-emission' || site.kind === 'metrics-route');
    items.push(
      metric === undefined
        ? { item: 'alert', missing: 'no metric to alert on (operations/no-metrics)' }
        : { item: 'alert', found: `metrics: ${metric.what} (${where(source, metric)}); the alert itself lives outside the code` },
    );
  }
  const audit = row.auditEvent;
  if ('unknown' in audit) items.push({ item: 'audit event', unknown: audit.unknown });
  else
    items.push(
      audit.value === 'yes'
        ? { item: 'audit event', found: filled(row.logs)! }
        : { item: 'audit event', missing: 'the handler emits none (audit/write-tool-without-audit-log)' },
    );
  if (source?.tests === undefined) items.push({ item: 'regression test', unknown: `${SOURCE} (the server's own tests)` });
  else {
    const test = source.tests.capabilities[capability.name];
    items.push(
      test === undefined
        ? {
            item: 'regression test',
            missing: `no test of the server names "${capability.name}" (${source.tests.files.length} test files read; operations/untested-failure-paths judges the failure paths)`,
          }
        : { item: 'regression test', found: `${test.file}:${test.line}` },
    );
  }
  return items;
}

export function reviewCellText(cell: ReviewCell): string {
  return 'unknown' in cell ? cell.unknown : cell.at === undefined ? cell.value : `${cell.value} (${cell.at})`;
}

export function reviewRowLabel(row: ReviewRow): string {
  return capabilityLabel(row.capability);
}

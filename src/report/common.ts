import type { Finding, Level, RuleMeta, RuleOutcome } from '../engine/types.js';
import type { CapabilityKind, CapabilityRef, SourceLocation } from '../inventory/model.js';
import type { TargetResult } from './types.js';
import { relativeToRoot } from './paths.js';

/** Shared by the reporters so the three outputs agree on order, names and links. */

export const TOOL_NAME = 'mcp-preflight';
import { REPOSITORY_URL } from '../version.js';
export { REPOSITORY_URL };

/** Where custom rules without a `helpUri` of their own link: how custom packs work. */
export const CUSTOM_PACKS_DOC_URL = `${REPOSITORY_URL}/blob/main/docs/custom-packs.md`;

/**
 * The one place a rule's documentation URL is derived from its id (CONVENTIONS.md §4.6 item 2).
 * A custom rule links its own `helpUri`, else the custom-packs page (its help text is its YAML's).
 */
export function ruleDocUrl(rule: Pick<RuleMeta, 'id' | 'pack'> & Partial<Pick<RuleMeta, 'helpUri' | 'custom'>>): string {
  if (rule.helpUri !== undefined) return rule.helpUri;
  if (rule.custom) return CUSTOM_PACKS_DOC_URL;
  return builtinRuleDocUrl(rule);
}

/** `docs/rules/<pack>/<name>.md` in the repository, for a built-in rule. */
export function builtinRuleDocUrl(rule: Pick<RuleMeta, 'id' | 'pack'>): string {
  const name = ruleShortName(rule.id);
  return `${REPOSITORY_URL}/blob/main/docs/rules/${encodeURIComponent(rule.pack)}/${encodeURIComponent(name)}.md`;
}

/** `design/shell-like-tool` → `shell-like-tool`. */
export function ruleShortName(ruleId: string): string {
  const slash = ruleId.lastIndexOf('/');
  return slash === -1 ? ruleId : ruleId.slice(slash + 1);
}

/** `design/shell-like-tool` → `ShellLikeTool` (SARIF `reportingDescriptor.name`). */
export function rulePascalName(ruleId: string): string {
  return ruleShortName(ruleId)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

export const LEVEL_RANK: Record<Level, number> = { error: 0, warning: 1, note: 2 };
export const LEVELS: readonly Level[] = ['error', 'warning', 'note'];

/** Code-unit comparison: unlike localeCompare it does not depend on the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where a finding is shown: its own source location, else the target's anchor (CONVENTIONS.md §1.3). */
export function effectiveLocation(finding: Finding, target: TargetResult): SourceLocation {
  return finding.location ?? target.anchor.location;
}

export interface PlacedFinding {
  finding: Finding;
  location: SourceLocation;
  /** Encoded, root-relative URI. */
  uri: string;
  /** Unencoded, root-relative POSIX path. */
  display: string;
  outsideRoot: boolean;
  /** The finding's related locations, placed the same way. */
  related: Array<{ location: SourceLocation; uri: string; message: string }>;
}

export function placeFinding(finding: Finding, target: TargetResult, sarifRoot: string): PlacedFinding {
  const location = effectiveLocation(finding, target);
  const relative = relativeToRoot(location.file, sarifRoot);
  const related = (finding.relatedLocations ?? []).map((entry) => ({
    location: entry.location,
    uri: relativeToRoot(entry.location.file, sarifRoot).uri,
    message: entry.message,
  }));
  return { finding, location, uri: relative.uri, display: relative.display, outsideRoot: relative.outsideRoot, related };
}

/** Deterministic order: uri, line, column, rule id, fingerprint (CONVENTIONS.md §1.12 item 7). */
export function comparePlaced(a: PlacedFinding, b: PlacedFinding): number {
  return (
    compareStrings(a.uri, b.uri) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareStrings(a.finding.ruleId, b.finding.ruleId) ||
    compareStrings(a.finding.fingerprint, b.finding.fingerprint) ||
    compareStrings(a.finding.message, b.finding.message)
  );
}

export function sortedPlacedFindings(target: TargetResult, sarifRoot: string): PlacedFinding[] {
  return target.findings.map((finding) => placeFinding(finding, target, sarifRoot)).sort(comparePlaced);
}

export function sortedRules(rules: readonly RuleMeta[]): RuleMeta[] {
  return [...rules].sort((a, b) => compareStrings(a.id, b.id));
}

export function sortedOutcomes(outcomes: readonly RuleOutcome[]): RuleOutcome[] {
  return [...outcomes].sort((a, b) => compareStrings(a.ruleId, b.ruleId) || compareStrings(a.status, b.status));
}

export const CAPABILITY_KIND_ORDER: Record<CapabilityKind, number> = {
  server: 0,
  tool: 1,
  resource: 2,
  resourceTemplate: 3,
  prompt: 4,
};

const CAPABILITY_KIND_LABEL: Record<CapabilityKind, string> = {
  server: 'server',
  tool: 'tool',
  resource: 'resource',
  resourceTemplate: 'resource template',
  prompt: 'prompt',
};

/** `tool add_numbers`, `resource template file:///{path}`, `server`. */
export function capabilityLabel(capability: CapabilityRef): string {
  const kind = CAPABILITY_KIND_LABEL[capability.kind];
  return capability.name === undefined ? kind : `${kind} ${capability.name}`;
}

export function compareCapabilities(a: CapabilityRef, b: CapabilityRef): number {
  return (
    CAPABILITY_KIND_ORDER[a.kind] - CAPABILITY_KIND_ORDER[b.kind] ||
    compareStrings(a.name ?? '', b.name ?? '') ||
    Number(a.name !== undefined) - Number(b.name !== undefined)
  );
}

/** Lower-case, `[a-z0-9._-]` only, for `automationDetails.id`; never empty. */
export function slug(text: string, fallback: string): string {
  const slugged = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return slugged || fallback;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Findings of one capability, most severe first, as the text and Markdown reports list them. */
export interface CapabilityGroup {
  capability: CapabilityRef;
  findings: PlacedFinding[];
}

/** Groups placed findings by capability, in capability order, each group sorted by level then place. */
export function groupByCapability(placed: readonly PlacedFinding[]): CapabilityGroup[] {
  const groups = new Map<string, CapabilityGroup>();
  for (const entry of placed) {
    const { kind, name } = entry.finding.capability;
    const key = JSON.stringify([kind, name ?? null]);
    const group = groups.get(key) ?? { capability: { kind, name }, findings: [] };
    group.findings.push(entry);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => compareCapabilities(a.capability, b.capability));
  for (const group of sorted) group.findings.sort((a, b) => LEVEL_RANK[a.finding.level] - LEVEL_RANK[b.finding.level] || comparePlaced(a, b));
  return sorted;
}

import type { CapabilityRef, FactKind, Inventory, SourceLocation } from '../inventory/model.js';
import { fieldPlaceMasker, maskSecrets } from '../secrets/mask.js';
import { fingerprint } from './fingerprint.js';
import {
  checkFailedMessage,
  notApplicableReason,
  describeCapability,
  formatTemplate,
  skipReason,
  unknownMessageIdMessage,
  unknownRuleMessage,
} from './format.js';
import { closest } from './levenshtein.js';
import { matchCheck } from './match.js';
import { mergedEvidence, mergedRuleMessage } from './rule-aliases.js';
import { getCheck } from './registry.js';
import type { CheckFunction, EvidenceKind, Finding, FindingInput, LevelSetting, RelatedLocation, RuleMeta, RuleOutcome, RuleRun } from './types.js';

export interface RunOptions {
  /** Per-rule level overrides from config; `off` disables the rule. */
  levels?: Readonly<Record<string, LevelSetting>>;
  /** Identifies the server in fingerprints (the config's server name). */
  targetId: string;
  /** Resolves a rule's `check` name; defaults to the built-in registry (tests inject their own). */
  resolveCheck?: (rule: RuleMeta) => CheckFunction;
  /** Told how long each rule's check took, in milliseconds (--debug prints the slowest). */
  timed?: (ruleId: string, ms: number) => void;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable order independent of the order checks reported in: rule, capability, field, wording. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compare(a.ruleId, b.ruleId) ||
    compare(a.capability.kind, b.capability.kind) ||
    compare(a.capability.name ?? '', b.capability.name ?? '') ||
    compare(a.field ?? '', b.field ?? '') ||
    compare(a.messageId, b.messageId) ||
    compare(a.evidence ?? '', b.evidence ?? '') ||
    compare(a.fingerprint, b.fingerprint)
  );
}

/**
 * Packs whose `live` rules judge only what capabilities say (names, titles, descriptions, schemas,
 * annotations). An inventory built from source alone (`check --source DIR`, target kind `source`)
 * holds the same capability data, so these rules run on it; rules of other packs that need `live`
 * (protocol behaviour, stdout noise, listings) stay skipped there.
 */
const CAPABILITY_PACKS: ReadonlySet<string> = new Set(['schema', 'design', 'injection', 'secrets', 'annotations', 'risk']);

function missingFacts(rule: RuleMeta, inventory: Inventory): FactKind[] {
  const sourceOnly = inventory.target.kind === 'source';
  const missing = rule.facts.filter((fact) => !inventory.facts.includes(fact) && !(sourceOnly && fact === 'live' && CAPABILITY_PACKS.has(rule.pack)));
  return rule.factsMatch === 'any' && missing.length < rule.facts.length ? [] : missing;
}

/** Where each capability is registered in source (set by the live/source merge), keyed by kind and name. */
function registrationLocations(inventory: Inventory): Map<string, SourceLocation> {
  const locations = new Map<string, SourceLocation>();
  for (const capability of [...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates, ...inventory.prompts]) {
    const key = `${capability.kind}\u0000${capability.name}`;
    if (capability.origin.source !== undefined && !locations.has(key)) locations.set(key, capability.origin.source);
  }
  return locations;
}

/**
 * A finding with no location of its own points at the line that registered its capability, when
 * known; one that points elsewhere (the `exec` call in a handler) gets the registration as a related location.
 */
function withRegistrationLocation(input: FindingInput, locations: Map<string, SourceLocation>): FindingInput {
  if (input.capability.name === undefined) return input;
  const location = locations.get(`${input.capability.kind}\u0000${input.capability.name}`);
  if (location === undefined) return input;
  if (input.location === undefined) return { ...input, location };
  if (sameLine(input.location, location) || input.relatedLocations?.some((related) => sameLine(related.location, location))) return input;
  const registered: RelatedLocation = { location, message: `${KIND_WORD[input.capability.kind]} "${input.capability.name}" is registered here` };
  return { ...input, relatedLocations: [...(input.relatedLocations ?? []), registered] };
}

const KIND_WORD: Record<CapabilityRef['kind'], string> = {
  tool: 'tool',
  resource: 'resource',
  resourceTemplate: 'resource template',
  prompt: 'prompt',
  server: 'server',
};

function sameLine(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line;
}

function maskData(data: Readonly<Record<string, string | number>>, mask: (text: string) => string): Record<string, string | number> {
  const masked: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(data)) masked[key] = typeof value === 'string' ? mask(value) : value;
  return masked;
}

/** Each capability as served, keyed by kind and name: a finding's field is looked up in it. */
function servedCapabilities(inventory: Inventory): Map<string, unknown> {
  const served = new Map<string, unknown>();
  for (const capability of [...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates, ...inventory.prompts]) {
    const key = `${capability.kind}\u0000${capability.name}`;
    if (!served.has(key)) served.set(key, capability);
  }
  return served;
}

/** A rule's evidence when its check does not say: its one fact, else its first fact other than `live`. */
export function defaultEvidenceKind(rule: RuleMeta): EvidenceKind {
  return rule.facts.length === 1 ? rule.facts[0]! : (rule.facts.find((fact) => fact !== 'live') ?? 'live');
}

function toFinding(rule: RuleMeta, level: Finding['level'], input: FindingInput, targetId: string, served: Map<string, unknown>): Finding {
  const template = rule.messages[input.messageId];
  if (template === undefined) throw new Error(unknownMessageIdMessage(rule.id, input.messageId, Object.keys(rule.messages)));
  // A finding on a credential place (`…api_key.default`) may quote the value without its name.
  const capability = input.capability.name === undefined ? undefined : served.get(`${input.capability.kind}\u0000${input.capability.name}`);
  const place = fieldPlaceMasker(capability, input.field);
  const mask = place === undefined ? maskSecrets : (text: string) => maskSecrets(place(text));
  const data = maskData(input.data ?? {}, mask);
  const evidence = input.evidence === undefined ? undefined : mask(input.evidence);
  // `{{capability}}` and `{{field}}` are always available to templates; a check's own data wins.
  const context = { capability: describeCapability(input.capability), ...(input.field === undefined ? {} : { field: input.field }), ...data };
  const evidenceKind = input.evidenceKind ?? defaultEvidenceKind(rule);
  const merged = mergedEvidence(rule.id).includes(evidenceKind);
  const finding: Finding = {
    ruleId: rule.id,
    level,
    messageId: input.messageId,
    message: mask(formatTemplate(template, context)),
    data,
    capability: { ...input.capability },
    evidenceKind,
    fingerprint: fingerprint({ ruleId: rule.id, targetId, capability: input.capability, field: input.field, evidence, ...(merged ? { evidenceKind } : {}) }),
  };
  if (input.field !== undefined) finding.field = input.field;
  if (evidence !== undefined) finding.evidence = evidence;
  if (input.location !== undefined) finding.location = { ...input.location };
  if (input.relatedLocations !== undefined && input.relatedLocations.length > 0)
    finding.relatedLocations = input.relatedLocations.map((related) => ({ location: { ...related.location }, message: mask(related.message) }));
  return finding;
}

/**
 * Runs `rules` over one server's inventory. Rules switched off report `off`; rules whose facts were
 * not collected report `skipped` with the reason, never a silent pass. Findings come back masked,
 * fingerprinted, deduplicated by fingerprint and sorted.
 */
export function runRules(inventory: Inventory, rules: readonly RuleMeta[], options: RunOptions): RuleRun {
  const resolveCheck = options.resolveCheck ?? resolveRuleCheck;
  const findings = new Map<string, Finding>();
  const outcomes: RuleOutcome[] = [];
  const locations = registrationLocations(inventory);
  const served = servedCapabilities(inventory);
  for (const rule of [...rules].sort((a, b) => compare(a.id, b.id))) {
    const setting = options.levels?.[rule.id] ?? rule.level;
    if (setting === 'off') {
      outcomes.push({ ruleId: rule.id, status: 'off' });
      continue;
    }
    const missing = missingFacts(rule, inventory);
    if (missing.length > 0) {
      outcomes.push({ ruleId: rule.id, status: 'skipped', reason: skipReason(missing, rule.factsMatch === 'any' ? 'or' : 'and') });
      continue;
    }
    const revision = inventory.server.protocolVersion;
    if (rule.appliesTo !== undefined && revision !== undefined && !rule.appliesTo.includes(revision)) {
      outcomes.push({ ruleId: rule.id, status: 'skipped', reason: notApplicableReason(rule.appliesTo, revision) });
      continue;
    }
    const check = resolveCheck(rule);
    const reported: Finding[] = [];
    let skipped: string | undefined;
    const started = options.timed === undefined ? 0 : performance.now();
    try {
      check({
        inventory,
        rule,
        options: 'options' in rule && typeof rule.options === 'object' && rule.options !== null ? rule.options : {},
        // A check may raise or lower one finding's level (by the capability's risk, say); a level the
        // config sets for the rule wins over it.
        report: (input) =>
          reported.push(
            toFinding(
              rule,
              input.level !== undefined && options.levels?.[rule.id] === undefined ? input.level : setting,
              withRegistrationLocation(input, locations),
              options.targetId,
              served,
            ),
          ),
        skip: (reason) => {
          skipped ??= reason;
        },
      });
    } catch (error) {
      throw new Error(maskSecrets(checkFailedMessage(rule.id, error)), { cause: error });
    }
    options.timed?.(rule.id, performance.now() - started);
    // A check that found its rule does not apply here (and reported nothing) says why: skipped, not passed.
    if (skipped !== undefined && reported.length === 0) {
      outcomes.push({ ruleId: rule.id, status: 'skipped', reason: maskSecrets(skipped) });
      continue;
    }
    let count = 0;
    for (const finding of reported) {
      if (findings.has(finding.fingerprint)) continue;
      findings.set(finding.fingerprint, finding);
      count++;
    }
    outcomes.push({ ruleId: rule.id, status: 'ran', findings: count });
  }
  return { findings: [...findings.values()].sort(compareFindings), outcomes };
}

/** A rule's logic: its compiled `match`, or the registered check its `check` names. */
export function resolveRuleCheck(rule: RuleMeta): CheckFunction {
  if (rule.match !== undefined) return matchCheck(rule as RuleMeta & { match: NonNullable<RuleMeta['match']> });
  return getCheck(rule.check ?? '', rule.id);
}

/** Closest known rule id to `id`, for "did you mean" hints in config and CLI errors. */
export function suggestRuleId(rules: readonly RuleMeta[], id: string): string | undefined {
  return closest(
    id,
    rules.map((rule) => rule.id),
  );
}

/** The rule with this id; an unknown id throws with a did-you-mean suggestion. */
export function findRule<R extends RuleMeta>(rules: readonly R[], id: string): R {
  const rule = rules.find((candidate) => candidate.id === id);
  if (rule === undefined) {
    const merged = mergedRuleMessage(id);
    throw new Error(merged === undefined ? unknownRuleMessage(id, suggestRuleId(rules, id)) : `Unknown rule "${id}": ${merged}.`);
  }
  return rule;
}

import type { CapabilityRef, FactKind, Inventory, SourceLocation } from '../inventory/model.js';
import type { EvidenceKind, Finding, Level, RelatedLocation } from './finding-types.js';
import type { Match } from './match-spec.js';

export type { EvidenceKind, Finding, Level, RelatedLocation } from './finding-types.js';

export type LevelSetting = Level | 'off';

export interface RuleReference {
  title: string;
  url: string;
}

/** A rule's metadata, as declared in its pack (rules/<pack>.yaml). */
export interface RuleMeta {
  /** `pack/name`, kebab-case, never changes once released. */
  id: string;
  pack: string;
  level: Level;
  title: string;
  /** Why it matters (markdown allowed). */
  rationale: string;
  /** How to fix (markdown allowed). */
  fix: string;
  references: RuleReference[];
  tags: string[];
  /** Which collectors must have run for the rule to judge anything. */
  facts: FactKind[];
  /** `any`: one of `facts` is enough (a rule judging whichever evidence was collected); default all. */
  factsMatch?: 'all' | 'any';
  /** GitHub security severity, a string score in (0.0, 10.0]. */
  securitySeverity: string;
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** Message templates keyed by message id; `{{name}}` placeholders are filled from finding data. */
  messages: Record<string, string>;
  /** Name of the TypeScript check (src/checks) that implements the rule; absent for a declarative rule. */
  check?: string;
  /** A declarative rule's pattern over the inventory (src/engine/match.ts); absent for a `check` rule. */
  match?: Match;
  /** The pack's options for the rule's logic (token lists, thresholds), merged with config options. */
  options?: Record<string, unknown>;
  /** Specification revisions (e.g. `2025-11-25`) the rule applies to; absent: all. */
  appliesTo?: string[];
  /** Documentation of a custom rule (built-in rules link to docs/rules/ in the repository). */
  helpUri?: string;
  /** True for a rule from a user's pack (not shipped in rules/). */
  custom?: boolean;
  /** Example of what the rule catches and of what passes (shown by `explain` and in docs). */
  examples?: { bad?: string; good?: string };
}

/** What a check reports; the engine turns it into a Finding (level, wording, masking, fingerprint). */
export interface FindingInput<M extends string = string> {
  /** One of the rule's `messages` keys; `defineCheck` narrows it to them. */
  messageId: M;
  data?: Record<string, string | number>;
  capability: CapabilityRef;
  /** Which field of the capability the evidence came from, e.g. `description`, `inputSchema.properties.cmd`. */
  field?: string;
  /** The text that matched; masked before it leaves the engine. */
  evidence?: string;
  /** Which facts the finding rests on; default: the rule's one fact (else its first non-`live` fact). */
  evidenceKind?: EvidenceKind;
  location?: SourceLocation;
  /** This finding's level when it differs from the rule's (e.g. a warning on an HTTP server, a note elsewhere); a level set in the config for the rule wins. */
  level?: Level;
  /** Other places that explain the finding (the registration of a handler whose statement it points at). */
  relatedLocations?: RelatedLocation[];
}

export interface CheckContext {
  inventory: Inventory;
  rule: RuleMeta;
  /** The rule's options (pack defaults merged with the config's); typed per rule by `defineCheck`. Optional so hand-built contexts in tests still type-check. */
  options?: Record<string, unknown>;
  // Method syntax on purpose: a check typed by defineCheck narrows the message ids, and a method
  // parameter stays bivariant, so its context is still a CheckContext for shared helpers.
  report(finding: FindingInput): void;
  /**
   * The rule does not apply to this target although its facts were collected (e.g. the server needs
   * no authorization, or declared `auth: none`); the outcome becomes `skipped` with this reason,
   * unless the check also reported findings. Optional so hand-built contexts in tests still type-check.
   */
  skip?: (reason: string) => void;
}

export type CheckFunction = (context: CheckContext) => void;

export type RuleOutcome =
  { ruleId: string; status: 'ran'; findings: number } | { ruleId: string; status: 'skipped'; reason: string } | { ruleId: string; status: 'off' };

export interface RuleRun {
  findings: Finding[];
  outcomes: RuleOutcome[];
}

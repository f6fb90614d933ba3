/**
 * The risk inventory's types (src/inventory/risk.ts computes them; inventory.risk holds the ranking).
 * Imports only base types, so model.ts can name them without a cycle through risk.ts.
 */

import type { CapabilityRef } from './base-types.js';

/** The risk classes, ordered from most to least risky (the type is read from this list, so it lives here too). */
export const RISK_CLASSES = ['exec', 'destructive', 'write', 'open-world', 'read-only'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

export interface RiskAssessment {
  capability: CapabilityRef;
  class: RiskClass;
  /** Reaches systems outside the server (openWorldHint, outbound HTTP), whatever the class. */
  openWorld: boolean;
  /** Higher is riskier; sorts the ranked inventory. */
  score: number;
  /** Each signal that decided the class, in words, e.g. `name verb "delete"`, `handler spawns a process`. */
  reasons: string[];
}

/** What the project's config says about one capability (`risk.tools.<name>` etc. in mcp-preflight.yaml). */
export interface RiskDeclaration {
  class?: RiskClass;
  /** Who must approve a call, e.g. `two-person review`. */
  approval?: string;
  /** Tenant scope, e.g. `per-customer`. */
  tenant?: string;
  note?: string;
  /** Where the config declared it (a `risk/class-mismatch` finding points here). */
  at?: { file: string; line: number };
}

/** Config `risk`: declarations by capability kind, then name. */
export type RiskDeclarations = Partial<Record<'tools' | 'resources' | 'resourceTemplates' | 'prompts', Record<string, RiskDeclaration>>>;

/** One row of the ranked risk inventory: the computed assessment and what the config declared. */
export interface RankedCapability extends RiskAssessment {
  declared?: RiskDeclaration;
  /** The declared class differs from the computed one (a `risk/class-mismatch` finding). */
  mismatch: boolean;
}

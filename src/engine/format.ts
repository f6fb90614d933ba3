import type { CapabilityRef, FactKind } from '../inventory/model.js';

/**
 * All engine wording in one place: finding messages come from the packs' templates, everything else
 * the engine says (skip reasons, errors) is phrased here.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;

/** Fills `{{name}}` from `data`; an unknown placeholder stays as written so the gap is visible. */
export function formatTemplate(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = data[name];
    return value === undefined ? whole : String(value);
  });
}

/** Placeholder names a template uses, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

const KIND_LABEL: Record<CapabilityRef['kind'], string> = {
  tool: 'tool',
  resource: 'resource',
  resourceTemplate: 'resource template',
  prompt: 'prompt',
  server: 'server',
};

/** `tool "run_command"`, `resource template "file:///{path}"`, `server`. */
export function describeCapability(capability: CapabilityRef): string {
  const label = KIND_LABEL[capability.kind];
  return capability.name === undefined ? label : `${label} "${capability.name}"`;
}

const FACT_HINT: Record<FactKind, string> = {
  live: 'connect to the server',
  source: 'run with --source',
  http: 'check an HTTP target',
  repo: 'run inside the repository',
  probe: 'run with --probe (calls read-only tools only)',
  lock: 'run with --lockfile after "mcp-preflight lock"',
  suppress: 'judged after the other rules ran',
};

/** Why a rule was skipped: `needs source facts; run with --source`. */
export function skipReason(missing: readonly FactKind[], joiner: 'and' | 'or' = 'and'): string {
  const hints = missing.map((fact) => FACT_HINT[fact]).join(` ${joiner} `);
  return `needs ${missing.join(` ${joiner} `)} facts; ${hints}`;
}

export function unknownRuleMessage(id: string, suggestion: string | undefined): string {
  const hint = suggestion === undefined ? ' Run "mcp-preflight rules" to list them.' : ` Did you mean "${suggestion}"?`;
  return `Unknown rule "${id}".${hint}`;
}

export function unknownCheckMessage(check: string, ruleId: string, suggestion: string | undefined): string {
  const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
  return `Rule "${ruleId}" names check "${check}", which does not exist.${hint}`;
}

export function unknownMessageIdMessage(ruleId: string, messageId: string, known: readonly string[]): string {
  return `Rule "${ruleId}" reported message id "${messageId}", which its pack does not declare (declared: ${known.join(', ')}).`;
}

export function checkFailedMessage(ruleId: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `Rule "${ruleId}" failed: ${reason}`;
}

/** Why a rule limited to some specification revisions was skipped. */
export function notApplicableReason(appliesTo: readonly string[], revision: string): string {
  return `applies to specification ${appliesTo.join(', ')}; the server negotiated ${revision}`;
}

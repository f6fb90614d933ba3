import type { Capability, Inventory } from '../../inventory/model.js';
import { registrationsOf } from '../../inventory/registrations.js';
import { assessRisk, type RiskAssessment } from '../../inventory/risk.js';
import type { CodeSite, SourceFacts, SourceRegistration } from '../../source/types.js';
import { sitesOf } from '../source-facts.js';

/**
 * Which kill switch, if any, turns one capability off: declared in the config, or found in source
 * (a registration under an env/config condition, `RegisteredTool.disable()`, a tool allow/deny or
 * feature list, a read-only mode). Shared by the killswitch rules.
 */

export type Coverage =
  | { by: 'config' }
  | { by: 'condition'; reads: string[]; registration: SourceRegistration }
  | { by: 'toggle'; site: CodeSite }
  | { by: 'filter'; site: CodeSite };

/** Exec and destructive capabilities, and writes that reach the open world, need their own switch. */
export function needsCapabilitySwitch(risk: RiskAssessment): boolean {
  return risk.class === 'exec' || risk.class === 'destructive' || (risk.class === 'write' && risk.openWorld);
}

export function coverageOf(
  inventory: Inventory,
  facts: SourceFacts,
  capability: Capability,
  risk: RiskAssessment = assessRisk(capability, inventory),
): Coverage | undefined {
  if (inventory.killSwitches?.declared.capabilities[capability.name] !== undefined) return { by: 'config' };
  for (const registration of registrationsOf(facts, capability)) {
    if (registration.condition !== undefined && registration.condition.reads.length > 0)
      return { by: 'condition', reads: registration.condition.reads, registration };
    const toggle = registration.toggles?.[0];
    if (toggle !== undefined) return { by: 'toggle', site: toggle };
  }
  const filters = sitesOf(facts, 'capability-filter');
  const list = filters.find((site) => site.detail.form === 'capability-list');
  if (list !== undefined) return { by: 'filter', site: list };
  const readOnly = filters.find((site) => site.detail.form === 'read-only-mode');
  if (readOnly !== undefined && risk.class !== 'read-only' && risk.class !== 'open-world') return { by: 'filter', site: readOnly };
  return undefined;
}

import { defineCheck } from '../../engine/define-check.js';
import { capabilityRef, type Capability } from '../../inventory/model.js';
import { assessRisk } from '../../inventory/risk.js';
import { sourceFacts } from '../source-facts.js';
import { coverageOf, needsCapabilitySwitch } from './coverage.js';
import { registrationsOf } from '../../inventory/registrations.js';

/**
 * killswitch/no-capability-switch: an exec, destructive or open-world write capability (risk class
 * from `assessRisk`) that nothing can turn off on its own: no switch declared for it in the config,
 * and in source no env/config condition around its registration, no `disable()`/`enable()`, no tool
 * allow/deny or feature list, no read-only mode. Capabilities source analysis could not tie to a
 * registration are not judged.
 */
export const noCapabilitySwitch = defineCheck('killswitch/no-capability-switch', ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  let judged = 0;
  const unjudged: string[] = [];
  const capabilities: Capability[] = [...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates, ...inventory.prompts];
  for (const capability of capabilities) {
    const risk = assessRisk(capability, inventory);
    if (!needsCapabilitySwitch(risk)) continue;
    const registrations = registrationsOf(facts, capability);
    const registration = registrations[0];
    if (registration === undefined) {
      unjudged.push(capability.name);
      continue;
    }
    judged++;
    if (coverageOf(inventory, facts, capability, risk) !== undefined) continue;
    const condition = registrations.find((candidate) => candidate.condition !== undefined)?.condition;
    const data = { name: capability.name, risk: risk.openWorld && risk.class === 'write' ? 'open-world write' : risk.class, reasons: risk.reasons.join('; ') };
    report({
      messageId: condition !== undefined ? 'conditionNotSwitch' : 'noSwitch',
      data: condition !== undefined ? { ...data, condition: condition.text } : data,
      capability: capabilityRef(capability),
      evidence: risk.class,
      location: registration.location,
    });
  }
  if (judged === 0 && unjudged.length > 0)
    skip?.(`the registrations of ${unjudged.slice(0, 5).join(', ')}${unjudged.length > 5 ? ', …' : ''} were not found in source (names computed at run time?)`);
});

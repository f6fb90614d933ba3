import { stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';
import type { Inventory, ToolCapability } from '../../inventory/model.js';
import { assessRisk, RISK_CLASSES, type RiskClass } from '../../inventory/risk.js';
import { isRecord, schemaTypes } from '../json-schema.js';
import { parametersOf } from '../parameters.js';

/**
 * Severity by risk for the schema hygiene rules (docs/levels.md, "Severity by risk"): a finding is
 * raised from the rule's `note` to a `warning` only on a tool whose risk class
 * (src/inventory/risk.ts) is one of the rule's `warningRiskClasses` option. The built-in default is
 * none: measured on the reviewer corpus, every class-based variant put warnings on capabilities the
 * reviewers judged clean or built right, and on none they listed. Teams that want the stricter
 * policy set the option (`{ "warningRiskClasses": ["exec", "destructive"] }`).
 */
export function warningRiskClasses(rule: RuleMeta): ReadonlySet<RiskClass> {
  const classes = new Set<string>(RISK_CLASSES);
  return new Set(stringListOption(rule, 'warningRiskClasses').filter((name): name is RiskClass => classes.has(name)));
}

/** The tool's risk class when it is one the rule raises to a warning; undefined otherwise. */
export function raisingClass(tool: ToolCapability, inventory: Inventory, classes: ReadonlySet<RiskClass>): RiskClass | undefined {
  if (classes.size === 0) return undefined;
  const riskClass = assessRisk(tool, inventory).class;
  return classes.has(riskClass) ? riskClass : undefined;
}

/** At least one declared parameter, and each takes one of a fixed set of values (`enum`, `const`, boolean). */
export function isFullyEnumerated(inputSchema: unknown): boolean {
  const parameters = parametersOf(inputSchema);
  return (
    parameters.length > 0 &&
    parameters.every(({ schema }) => {
      if (schema === false) return true;
      if (!isRecord(schema)) return false;
      if (Array.isArray(schema.enum) || schema.const !== undefined) return true;
      const types = schemaTypes(schema);
      return types !== undefined && types.length > 0 && types.every((type) => type === 'boolean' || type === 'null');
    })
  );
}

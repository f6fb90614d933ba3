import type { Level } from '../../engine/types.js';
import type { Inventory, ToolCapability } from '../../inventory/model.js';
import { assessRisk, type RiskClass } from '../../inventory/risk.js';
import { isRecord, schemaTypes } from '../json-schema.js';
import { parametersOf } from '../parameters.js';

/**
 * The level of a schema hygiene fact (an open `additionalProperties`, an unbounded string, no
 * `required` list) on one tool, by what the tool does (docs/levels.md, "Severity by risk"): a
 * `warning` on a tool of class exec, destructive, write or open-world (src/inventory/risk.ts), where
 * the looser schema widens what the model can send to something that acts; a `note` on a read-only
 * tool, or on a schema that is fully enumerated (no parameters, or each takes a fixed set of values:
 * `enum`, `const`, boolean), where there is nothing more to send.
 */
export interface HygieneLevel {
  level: Level;
  riskClass: RiskClass;
  /** The schema fixes every value the model can send. */
  enumerated: boolean;
}

/** Every declared parameter takes one of a fixed set of values (vacuously true without parameters). */
export function isFullyEnumerated(inputSchema: unknown): boolean {
  return parametersOf(inputSchema).every(({ schema }) => {
    if (schema === false) return true;
    if (!isRecord(schema)) return false;
    if (Array.isArray(schema.enum) || schema.const !== undefined) return true;
    const types = schemaTypes(schema);
    return types !== undefined && types.length > 0 && types.every((type) => type === 'boolean' || type === 'null');
  });
}

export function hygieneLevel(tool: ToolCapability, inventory: Inventory): HygieneLevel {
  const riskClass = assessRisk(tool, inventory).class;
  const enumerated = isFullyEnumerated(tool.inputSchema);
  return { level: riskClass === 'read-only' || enumerated ? 'note' : 'warning', riskClass, enumerated };
}

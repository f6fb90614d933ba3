import { defineCheck, type MessageIdOf } from '../../engine/define-check.js';
import type { FindingInput as AnyFindingInput } from '../../engine/types.js';
import { capabilityRef, type ToolCapability } from '../../inventory/model.js';
import { excerpt, isRecord, joinPath, propertyEntries } from '../json-schema.js';
import { inputSchemaProblem } from './input-schema.js';

type FindingInput = AnyFindingInput<MessageIdOf<'schema/open-input-schema'>>;

/**
 * schema/open-input-schema: the tool accepts more than it declares. The root object should say
 * `additionalProperties: false` (the spec's recommended no-parameter form is exactly
 * `{type: "object", additionalProperties: false}`), and no parameter should accept any value at all
 * (`{}`, `true`, or only annotations: what `z.any()` becomes).
 */

// Keywords that describe a schema without constraining it: a schema made only of these accepts anything.
const ANNOTATION_KEYWORDS = new Set([
  'title',
  'description',
  'default',
  'examples',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$id',
  '$schema',
  '$anchor',
]);
const COMPOSITION_KEYWORDS = ['$ref', 'allOf', 'anyOf', 'oneOf'];
const MAX_DEPTH = 16;

function acceptsAnything(schema: unknown): boolean {
  if (schema === true) return true;
  return isRecord(schema) && Object.keys(schema).every((key) => ANNOTATION_KEYWORDS.has(key));
}

type Report = (input: Omit<FindingInput, 'capability'>) => void;

/** Parameters (and their nested properties and array items) that accept any value. */
function reportLooseProperties(schema: unknown, path: string, parameter: string, report: Report, tool: string, depth: number): void {
  if (depth > MAX_DEPTH || !isRecord(schema)) return;
  for (const [name, property] of propertyEntries(schema)) {
    const propertyPath = joinPath(joinPath(path, 'properties'), name);
    const label = parameter === '' ? name : `${parameter}.${name}`;
    if (acceptsAnything(property)) {
      report({
        messageId: 'propertyAcceptsAnything',
        data: { tool, parameter: label, schema: excerpt(property, 80) },
        field: propertyPath,
        evidence: `${label}: ${excerpt(property, 80)}`,
      });
      continue;
    }
    reportLooseProperties(property, propertyPath, label, report, tool, depth + 1);
    if (isRecord(property) && property.items !== undefined) {
      const itemsPath = joinPath(propertyPath, 'items');
      if (acceptsAnything(property.items)) {
        report({
          messageId: 'propertyAcceptsAnything',
          data: { tool, parameter: `${label}[]`, schema: excerpt(property.items, 80) },
          field: itemsPath,
          evidence: `${label}[]: ${excerpt(property.items, 80)}`,
        });
      } else {
        reportLooseProperties(property.items, itemsPath, `${label}[]`, report, tool, depth + 1);
      }
    }
  }
}

function reportOpenRoot(tool: ToolCapability, schema: Record<string, unknown>, report: Report): void {
  if (schema.additionalProperties === false || schema.unevaluatedProperties === false) return;
  // A composed root (`$ref`, `allOf`...) closes itself in its parts; judging it needs a resolver.
  if (COMPOSITION_KEYWORDS.some((keyword) => schema[keyword] !== undefined) && schema.properties === undefined) return;
  const declaresNothing = propertyEntries(schema).length === 0 && schema.patternProperties === undefined;
  if (declaresNothing) {
    const value = schema.additionalProperties === undefined ? '(absent)' : excerpt(schema.additionalProperties, 60);
    report({ messageId: 'noParametersOpen', data: { tool: tool.name }, field: 'inputSchema', evidence: `additionalProperties: ${value}` });
  } else if (schema.additionalProperties === undefined) {
    report({
      messageId: 'additionalPropertiesMissing',
      data: { tool: tool.name },
      field: 'inputSchema.additionalProperties',
      evidence: 'additionalProperties: (absent)',
    });
  } else {
    const value = excerpt(schema.additionalProperties, 60);
    report({
      messageId: 'additionalPropertiesAllowed',
      data: { tool: tool.name, value },
      field: 'inputSchema.additionalProperties',
      evidence: `additionalProperties: ${value}`,
    });
  }
}

export const openInputSchema = defineCheck('schema/open-input-schema', ({ inventory, report }) => {
  for (const tool of inventory.tools) {
    // A tool without a usable schema is missing-input-schema's finding, not this rule's.
    if (inputSchemaProblem(tool.inputSchema) !== undefined || !isRecord(tool.inputSchema)) continue;
    const location = tool.origin.source === undefined ? {} : { location: tool.origin.source };
    const reportForTool: Report = (input) => report({ ...input, capability: capabilityRef(tool), ...location });
    reportOpenRoot(tool, tool.inputSchema, reportForTool);
    reportLooseProperties(tool.inputSchema, 'inputSchema', '', reportForTool, tool.name, 0);
  }
});

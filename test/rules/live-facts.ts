import type { ToolCapability } from '../../src/inventory/model.js';
import type { Expected } from '../helpers/rule-tester.js';
import { tool, withTools } from '../helpers/inventory.js';

/** A one-tool live inventory. */
export const oneTool = (name: string, fields: Partial<Omit<ToolCapability, 'kind' | 'name'>> = {}) => withTools(tool(name, fields));

/** An expected finding on a tool's field. */
export const onTool = (messageId: string, name: string, field?: string): Expected => ({ messageId, capability: { kind: 'tool', name }, field });

export const schemaWith = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

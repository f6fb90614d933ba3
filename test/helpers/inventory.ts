import {
  INVENTORY_SCHEMA_VERSION,
  type Inventory,
  type PromptCapability,
  type ResourceCapability,
  type ResourceTemplateCapability,
  type ToolCapability,
} from '../../src/inventory/model.js';

/**
 * Builders for Inventory objects in rule and engine tests. `inventory()` is a minimal valid inventory
 * (live facts, no capabilities); pass overrides or use the capability builders below.
 */
export function inventory(overrides: Partial<Inventory> = {}): Inventory {
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: 'mcp-preflight', version: '0.0.0-test' },
    target: { kind: 'stdio', name: 'test-server', command: 'node', args: ['server.js'], cwd: '/tmp', envNames: [] },
    facts: ['live'],
    server: {
      info: { name: 'test-server', version: '1.2.3' },
      capabilities: { tools: {} },
      protocolVersion: '2025-11-25',
      era: 'legacy',
      transport: 'stdio',
    },
    tools: [],
    resources: [],
    resourceTemplates: [],
    prompts: [],
    malformed: [],
    listings: [],
    stdoutNoise: { lines: 0, samples: [] },
    logNotifications: [],
    timings: { connectMs: 1, listMs: 1, totalMs: 2 },
    ...overrides,
  };
}

/** A closed, well-formed input schema with the given string parameters. */
export function closedSchema(...parameters: string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((name) => [name, { type: 'string', description: `The ${name}.` }])),
    required: parameters,
    additionalProperties: false,
  };
}

/** A tool that passes every schema rule unless `fields` says otherwise (`inputSchema: undefined` removes it). */
export function tool(name: string, fields: Partial<Omit<ToolCapability, 'kind' | 'name'>> = {}): ToolCapability {
  const base: ToolCapability = { kind: 'tool', name, description: `Does ${name}.`, inputSchema: closedSchema(), origin: { live: { page: 1, index: 0 } } };
  const result: ToolCapability = { ...base, ...fields };
  if ('inputSchema' in fields && fields.inputSchema === undefined) delete result.inputSchema;
  return result;
}

export function resource(name: string, uri: string, fields: Partial<Omit<ResourceCapability, 'kind' | 'name' | 'uri'>> = {}): ResourceCapability {
  return { kind: 'resource', name, uri, origin: { live: { page: 1, index: 0 } }, ...fields };
}

export function resourceTemplate(
  name: string,
  uriTemplate: string,
  fields: Partial<Omit<ResourceTemplateCapability, 'kind' | 'name' | 'uriTemplate'>> = {},
): ResourceTemplateCapability {
  return { kind: 'resourceTemplate', name, uriTemplate, origin: { live: { page: 1, index: 0 } }, ...fields };
}

export function prompt(name: string, fields: Partial<Omit<PromptCapability, 'kind' | 'name'>> = {}): PromptCapability {
  return { kind: 'prompt', name, origin: { live: { page: 1, index: 0 } }, ...fields };
}

/** An inventory holding just these tools. */
export function withTools(...tools: ToolCapability[]): Inventory {
  return inventory({ tools });
}

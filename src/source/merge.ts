import type { Capability, Inventory, ServerFacts, TransportKind } from '../inventory/model.js';
import { INVENTORY_SCHEMA_VERSION } from '../inventory/model.js';
import type { MergeResult, SourceFacts, SourceRegistration } from './types.js';

/**
 * Joins source registrations with live discovery (by kind and name; resources also by URI), and
 * builds an inventory from source alone for `check --source DIR` without a live target. Live data
 * stays authoritative: a merged capability keeps what the server served and gains `origin.source`,
 * the location of the registering name, which live findings then point at.
 */

type Kind = SourceRegistration['kind'];

function keyOf(kind: Kind, name: string): string {
  return `${kind}\u0000${name}`;
}

/** Registrations that can be matched, indexed by every key they answer to. */
function index(registrations: readonly SourceRegistration[]): Map<string, SourceRegistration> {
  const byKey = new Map<string, SourceRegistration>();
  for (const registration of registrations) {
    const keys: string[] = [];
    if (registration.name !== undefined) keys.push(keyOf(registration.kind, registration.name));
    if (registration.uri !== undefined) keys.push(keyOf(registration.kind, `uri:${registration.uri}`));
    if (registration.uriTemplate !== undefined) keys.push(keyOf(registration.kind, `uri:${registration.uriTemplate}`));
    for (const key of keys) if (!byKey.has(key)) byKey.set(key, registration);
  }
  return byKey;
}

function liveKeys(capability: Capability): string[] {
  const keys = [keyOf(capability.kind, capability.name)];
  if (capability.kind === 'resource') keys.push(keyOf(capability.kind, `uri:${capability.uri}`));
  if (capability.kind === 'resourceTemplate') keys.push(keyOf(capability.kind, `uri:${capability.uriTemplate}`));
  return keys;
}

function liveCapabilities(inventory: Inventory): Capability[] {
  return [...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates, ...inventory.prompts];
}

/** Adds source facts to a live inventory: `origin.source` on every matched capability, the unmatched on both sides. */
export function mergeSource(inventory: Inventory, facts: SourceFacts): Inventory {
  const byKey = index(facts.registrations);
  const matched = new Set<SourceRegistration>();
  const merge: MergeResult = { liveOnly: [], sourceOnly: [], dynamicNames: {} };
  for (const capability of liveCapabilities(inventory)) {
    const registration = liveKeys(capability)
      .map((key) => byKey.get(key))
      .find((candidate) => candidate !== undefined);
    if (registration === undefined) {
      merge.liveOnly.push({ kind: capability.kind, name: capability.name });
      continue;
    }
    matched.add(registration);
    capability.origin.source = { ...registration.location };
  }
  // A computed name with literal fragments (`getToolName('x')`, `${prefix}_x`) stands for the one live
  // name that holds them all in order, when no other such registration fits it as well.
  for (const entry of [...merge.liveOnly]) {
    const capability = liveCapabilities(inventory).find((candidate) => candidate.kind === entry.kind && candidate.name === entry.name)!;
    const registration = partialMatch(facts.registrations, matched, capability);
    if (registration === undefined) continue;
    matched.add(registration);
    capability.origin.source = { ...registration.location };
    merge.liveOnly.splice(merge.liveOnly.indexOf(entry), 1);
  }
  for (const registration of facts.registrations) {
    if (registration.name === undefined) {
      merge.dynamicNames[registration.kind] = (merge.dynamicNames[registration.kind] ?? 0) + 1;
      continue;
    }
    if (matched.has(registration)) continue;
    // A definition object is evidence of a declaration, not of a registration: never source-only.
    if (registration.shape === 'definition') continue;
    // A second registration under a matched name (e.g. a low-level list entry and its dispatch) is not "source-only".
    const twin = liveKeys({ kind: registration.kind, name: registration.name } as Capability).some((key) => matched.has(byKey.get(key)!));
    if (twin) continue;
    merge.sourceOnly.push({ kind: registration.kind, name: registration.name, location: registration.location, conditional: registration.conditional });
  }
  inventory.source = { ...facts, merge };
  if (!inventory.facts.includes('source')) inventory.facts.push('source');
  return inventory;
}

function containsInOrder(name: string, parts: readonly string[]): boolean {
  let from = 0;
  for (const part of parts) {
    const at = name.indexOf(part, from);
    if (at === -1) return false;
    from = at + part.length;
  }
  return true;
}

function partialMatch(
  registrations: readonly SourceRegistration[],
  matched: ReadonlySet<SourceRegistration>,
  capability: Capability,
): SourceRegistration | undefined {
  const fits = registrations.filter(
    (registration) =>
      registration.kind === capability.kind &&
      registration.name === undefined &&
      registration.nameParts !== undefined &&
      !matched.has(registration) &&
      containsInOrder(capability.name, registration.nameParts),
  );
  if (fits.length === 0) return undefined;
  const weight = (registration: SourceRegistration): number => registration.nameParts!.join('').length;
  const best = Math.max(...fits.map(weight));
  const top = fits.filter((registration) => weight(registration) === best);
  return top.length === 1 ? top[0] : undefined;
}

function staticValue(text: SourceRegistration['description']): string | undefined {
  return text !== undefined && 'value' in text ? text.value : undefined;
}

/** Placeholder for a schema that exists but is computed at run time: closed, so schema rules do not guess. */
export const DYNAMIC_SCHEMA = Object.freeze({ type: 'object', additionalProperties: false, 'x-mcp-preflight-dynamic': true });

function capabilityOf(registration: SourceRegistration): Capability | undefined {
  if (registration.name === undefined) return undefined;
  const common = {
    name: registration.name,
    origin: { source: { ...registration.location } },
    ...(staticValue(registration.title) !== undefined ? { title: staticValue(registration.title)! } : {}),
    ...(staticValue(registration.description) !== undefined ? { description: staticValue(registration.description)! } : {}),
  };
  switch (registration.kind) {
    case 'tool':
      return {
        kind: 'tool',
        ...common,
        inputSchema: registration.inputSchema ?? (registration.inputSchemaDynamic ? { ...DYNAMIC_SCHEMA } : { type: 'object', properties: {} }),
        ...(registration.outputSchema !== undefined ? { outputSchema: registration.outputSchema } : {}),
        ...(registration.annotations !== undefined ? { annotations: registration.annotations } : {}),
      };
    case 'resource':
      return registration.uri === undefined ? undefined : { kind: 'resource', ...common, uri: registration.uri };
    case 'resourceTemplate':
      return registration.uriTemplate === undefined ? undefined : { kind: 'resourceTemplate', ...common, uriTemplate: registration.uriTemplate };
    case 'prompt':
      return { kind: 'prompt', ...common, ...(registration.arguments !== undefined ? { arguments: registration.arguments } : {}) };
  }
}

function transportOf(facts: SourceFacts): TransportKind {
  if (facts.sites.some((site) => site.kind === 'http-transport')) return 'streamable-http';
  return 'stdio';
}

/** An inventory built from source alone (`origin.source` on every capability, facts: `source`). */
export function inventoryFromSource(facts: SourceFacts, toolVersion: string, name: string): Inventory {
  const tools: Inventory['tools'] = [];
  const resources: Inventory['resources'] = [];
  const resourceTemplates: Inventory['resourceTemplates'] = [];
  const prompts: Inventory['prompts'] = [];
  const seen = new Set<string>();
  // Definition objects count when something registers capabilities indirectly (a registration whose
  // name is computed, `server.registerTool(def.name, ...)`) or when a wrapper made them (`createTool({...})`).
  const indirect = facts.registrations.some((registration) => registration.name === undefined);
  for (const registration of facts.registrations) {
    if (registration.shape === 'definition' && !indirect && !registration.api.endsWith('()')) continue;
    const capability = capabilityOf(registration);
    if (capability === undefined) continue;
    const key = keyOf(capability.kind, capability.name);
    if (seen.has(key)) continue;
    seen.add(key);
    if (capability.kind === 'tool') tools.push(capability);
    else if (capability.kind === 'resource') resources.push(capability);
    else if (capability.kind === 'resourceTemplate') resourceTemplates.push(capability);
    else prompts.push(capability);
  }
  const capabilities: Record<string, unknown> = {};
  if (tools.length > 0) capabilities.tools = {};
  if (resources.length + resourceTemplates.length > 0) capabilities.resources = {};
  if (prompts.length > 0) capabilities.prompts = {};
  const server: ServerFacts = { info: {}, capabilities, era: 'legacy', transport: transportOf(facts) };
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: 'mcp-preflight', version: toolVersion },
    target: { kind: 'source', name, root: facts.root },
    facts: ['source'],
    server,
    tools,
    resources,
    resourceTemplates,
    prompts,
    malformed: [],
    listings: [],
    stdoutNoise: { lines: 0, samples: [] },
    logNotifications: [],
    timings: { connectMs: 0, listMs: 0, totalMs: facts.durationMs },
    source: facts,
  };
}

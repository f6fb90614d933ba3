import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { CLIENT_CAPABILITIES } from '../discovery/connect.js';
import type { Capability, Inventory, ListKind } from '../inventory/model.js';
import { assessRisk, type RiskClass } from '../inventory/risk.js';
import { maskDeep } from '../secrets/index.js';
import { normaliseAnnotations, normaliseSchema, sortKeys, type Json } from './normalise.js';

/**
 * The capability lockfile (`mcp-capabilities.lock.json`, documented field by field in
 * docs/lockfile.md): the AI-facing surface of each target as last reviewed. Sorted and canonical,
 * so the same surface always gives the same bytes and a change shows in `git diff`. Any change to
 * its shape bumps LOCKFILE_VERSION.
 */
export const LOCKFILE_VERSION = 1;
export const DEFAULT_LOCKFILE = 'mcp-capabilities.lock.json';

export interface LockedCapability {
  name: string;
  title?: string;
  description: string | null;
  /** Computed risk class (src/inventory/risk.ts) when the lock was written. */
  risk: RiskClass;
  /** Tools: normalised input and output schemas (null when the tool has none), hints with defaults explicit. */
  inputSchema?: Json;
  outputSchema?: Json;
  annotations?: Json;
  /** Resources: `uri`; templates: `uriTemplate`; both: `mimeType`. */
  uri?: string;
  uriTemplate?: string;
  mimeType?: string | null;
  /** Prompts: their arguments, sorted by name. */
  arguments?: Json;
}

export interface LockedTarget {
  server: { name: string | null; version: string | null };
  protocol: { version: string | null; era: string };
  /** The capabilities the scan advertised: a server may show more to a client with sampling or roots. */
  clientCapabilities: Json;
  instructions: { sha256: string; text: string } | null;
  tools: LockedCapability[];
  resources: LockedCapability[];
  resourceTemplates: LockedCapability[];
  prompts: LockedCapability[];
}

export interface Lockfile {
  lockfileVersion: typeof LOCKFILE_VERSION;
  generatedBy: 'mcp-preflight';
  /** By target name (the config's target name, or --name / the name derived from the command or URL). */
  targets: Record<string, LockedTarget>;
}

export const LOCKED_LISTS: readonly ListKind[] = ['tools', 'resources', 'resourceTemplates', 'prompts'];

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lockCapability(capability: Capability, inventory: Inventory): LockedCapability {
  const locked: LockedCapability = {
    name: capability.name,
    ...(capability.title !== undefined ? { title: capability.title } : {}),
    description: capability.description ?? null,
    risk: assessRisk(capability, inventory).class,
  };
  if (capability.kind === 'tool') {
    locked.inputSchema = capability.inputSchema === undefined ? null : normaliseSchema(capability.inputSchema);
    locked.outputSchema = capability.outputSchema === undefined ? null : normaliseSchema(capability.outputSchema);
    locked.annotations = normaliseAnnotations(capability.annotations);
  } else if (capability.kind === 'resource') {
    locked.uri = capability.uri;
    locked.mimeType = capability.mimeType ?? null;
  } else if (capability.kind === 'resourceTemplate') {
    locked.uriTemplate = capability.uriTemplate;
    locked.mimeType = capability.mimeType ?? null;
  } else {
    locked.arguments = sortKeys(
      [...(capability.arguments ?? [])]
        .map((argument) => ({ name: argument.name, description: argument.description ?? null, required: argument.required === true }))
        .sort((a, b) => compareText(a.name, b.name)),
    );
  }
  return sortKeys(locked) as unknown as LockedCapability;
}

function sortedCapabilities(items: LockedCapability[]): LockedCapability[] {
  return items.sort((a, b) => compareText(a.name, b.name) || compareText(a.uri ?? a.uriTemplate ?? '', b.uri ?? b.uriTemplate ?? ''));
}

/** One target's locked surface, masked like every other output (the lock is committed). */
export function lockTarget(inventory: Inventory): LockedTarget {
  const instructions = inventory.server.instructions;
  const locked: LockedTarget = {
    server: { name: inventory.server.info.name ?? null, version: inventory.server.info.version ?? null },
    protocol: { version: inventory.server.protocolVersion ?? null, era: inventory.server.era },
    clientCapabilities: sortKeys(CLIENT_CAPABILITIES),
    instructions: instructions === undefined ? null : { sha256: '', text: instructions },
    tools: sortedCapabilities(inventory.tools.map((tool) => lockCapability(tool, inventory))),
    resources: sortedCapabilities(inventory.resources.map((resource) => lockCapability(resource, inventory))),
    resourceTemplates: sortedCapabilities(inventory.resourceTemplates.map((template) => lockCapability(template, inventory))),
    prompts: sortedCapabilities(inventory.prompts.map((prompt) => lockCapability(prompt, inventory))),
  };
  const masked = maskDeep(locked);
  // Hash what is written (masked): a hash of a raw secret would let anyone holding the lock test guesses.
  if (masked.instructions) masked.instructions.sha256 = sha256(masked.instructions.text);
  return masked;
}

/** The lock text: canonical key order, two-space indent, a final newline. */
export function renderLockfile(lock: Lockfile): string {
  const targets: Record<string, LockedTarget> = {};
  for (const name of Object.keys(lock.targets).sort()) targets[name] = lock.targets[name]!;
  return `${JSON.stringify({ lockfileVersion: lock.lockfileVersion, generatedBy: lock.generatedBy, targets: sortKeys(targets) }, null, 2)}\n`;
}

export class LockfileError extends Error {}

/** Reads and checks a lockfile; every problem is one line naming the file and what to do. */
export function readLockfile(file: string, display: string): Lockfile {
  if (!existsSync(file)) throw new LockfileError(`${display}: no such lockfile; write it with "mcp-preflight lock" and commit it`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LockfileError(`${display}: not valid JSON (${(error as Error).message}); write it again with "mcp-preflight lock"`);
  }
  const lock = parsed as Partial<Lockfile> | null;
  if (lock === null || typeof lock !== 'object' || Array.isArray(lock))
    throw new LockfileError(`${display}: not a capability lockfile (expected a JSON object); write it again with "mcp-preflight lock"`);
  if (lock.lockfileVersion !== LOCKFILE_VERSION) {
    throw new LockfileError(
      `${display}: lockfileVersion ${JSON.stringify(lock.lockfileVersion)} is not supported (this mcp-preflight reads version ${LOCKFILE_VERSION}); write it again with "mcp-preflight lock"`,
    );
  }
  if (lock.targets === null || typeof lock.targets !== 'object' || Array.isArray(lock.targets))
    throw new LockfileError(`${display}: "targets" must be an object keyed by target name`);
  for (const [name, target] of Object.entries(lock.targets)) {
    const broken =
      target === null || typeof target !== 'object' || LOCKED_LISTS.some((list) => !Array.isArray((target as unknown as Record<string, unknown>)[list]));
    if (broken)
      throw new LockfileError(
        `${display}: target "${name}" must list tools, resources, resourceTemplates and prompts (arrays); write it again with "mcp-preflight lock"`,
      );
  }
  return lock as Lockfile;
}

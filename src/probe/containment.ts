import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { TargetSpec } from '../discovery/target.js';
import type { ToolCapability } from '../inventory/model.js';
import { isRecord } from '../checks/json-schema.js';
import { probeEligibility, sendProbeRequest, type CallBounds } from './call.js';
import { synthesiseArguments } from './synthesise.js';
import type { CallRecord, ContainmentAttempt, ContainmentFacts, ContainmentProbe, ProbeOptions, RootSource } from './types.js';

/**
 * The containment probe (part of `check --probe`): does a read-only tool that takes a path stay
 * inside the allowed root it was given? mcp-preflight makes its own canary directory beside a root
 * it knows (`probe.roots` in the config, or an existing directory among the server's launch
 * arguments), named `<root>-mcpp-<random>` so it shares the root's name as a prefix, with one canary
 * file in it, and asks the tool to read that file twice:
 *
 * - `<root>-mcpp-<random>/canary.txt`: the sibling-prefix escape, which a bare
 *   `resolved.startsWith(root)` lets through;
 * - `<root>/../<root name>-mcpp-<random>/canary.txt`: the `..` escape.
 *
 * The canary's content in an answer means the tool read a file outside its root. Safety: only tools
 * the probe may call at all (`probeEligibility`: read-only or allow-listed, never destructive); only
 * reads (nothing is ever written through the tool); only paths inside the directory made here; the
 * directory is removed afterwards, also when a call fails or times out, and at process exit if that
 * comes first.
 */

const CANARY_FILE = 'canary.txt';
/** Per-target cap: the probe is a check of the server's path handling, not a crawl. */
const MAX_TOOLS = 5;

/** Last word (or last two joined) of a string parameter's name that makes it a path the tool opens. */
const PATH_WORDS = new Set(['path', 'file', 'filepath', 'filename']);

function isPathName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return PATH_WORDS.has(words.at(-1) ?? '') || PATH_WORDS.has(words.slice(-2).join(''));
}

/**
 * Directories that exist among a stdio target's (or a launched HTTP target's) launch arguments,
 * resolved against its cwd, in order. A directory whose canary sibling would lie inside the
 * server's working directory is left out: a server confined to its cwd may read that sibling
 * rightly, so only `probe.roots` can name such a root.
 */
export function launchRoots(spec: TargetSpec): string[] {
  const launch = spec.kind === 'stdio' ? spec : spec.launch;
  if (launch === undefined) return [];
  const roots: string[] = [];
  for (const argument of launch.args) {
    const value = argument.startsWith('-') && argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : argument;
    if (value === '' || value.startsWith('-') || value.includes('://')) continue;
    const resolved = path.resolve(launch.cwd, value);
    // The filesystem root has no sibling to plant a canary beside.
    if (path.dirname(resolved) === resolved) continue;
    if (isInside(path.dirname(resolved), launch.cwd)) continue;
    try {
      if (statSync(resolved).isDirectory() && !roots.includes(resolved)) roots.push(resolved);
    } catch {
      // not a path on this machine
    }
  }
  return roots;
}

/** The roots to probe with: the config's `probe.roots` first, then launch-argument directories. */
export function containmentRoots(options: Pick<ProbeOptions, 'roots'>, spec: TargetSpec): Array<{ path: string; from: RootSource }> {
  const roots = (options.roots ?? []).filter((root) => isDirectory(root.path));
  for (const root of launchRoots(spec)) if (!roots.some((known) => known.path === root)) roots.push({ path: root, from: 'launch argument' });
  return roots;
}

function isInside(candidate: string, directory: string): boolean {
  const relative = path.relative(path.resolve(directory), path.resolve(candidate));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function isDirectory(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

/** The string parameter a tool takes a single path in, if any (`path`, `file_path`, `filename`...). */
export function pathParameter(tool: Pick<ToolCapability, 'inputSchema'>): string | undefined {
  const schema = tool.inputSchema;
  if (!isRecord(schema) || !isRecord(schema.properties)) return undefined;
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!isRecord(property) || property.type !== 'string') continue;
    if (property.enum !== undefined || property.const !== undefined) continue;
    if (isPathName(name)) return name;
  }
  return undefined;
}

/** Arguments with `parameter` set to `value` and every other required property synthesised, or why not. */
function argumentsWith(
  tool: Pick<ToolCapability, 'inputSchema'>,
  parameter: string,
  value: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  const schema = isRecord(tool.inputSchema) ? tool.inputSchema : {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const pinned = { ...schema, properties: { ...properties, [parameter]: { const: value } } };
  const synthesised = synthesiseArguments(pinned);
  if (!synthesised.ok) return synthesised;
  return { ok: true, value: { ...(synthesised.value as Record<string, unknown>), [parameter]: value } };
}

/** True when the canary's content is in what came back (text, error, structured content). */
function returnsCanary(record: CallRecord, content: string): boolean {
  const structured = record.structuredContent === undefined ? '' : JSON.stringify(record.structuredContent);
  return [record.text, record.error?.message ?? '', record.error?.data ?? '', structured].some((text) => text.includes(content));
}

export interface ContainmentSession {
  client: Client;
  tools: ToolCapability[];
  allow: readonly string[];
  /** Bounds for one call (the probe's per-call timeout within the target's deadline). */
  bounds: () => CallBounds;
  /** True when the target's time budget is spent. */
  outOfTime: () => boolean;
  /** Counts each request sent. */
  counted: () => void;
}

export async function probeContainment(session: ContainmentSession, roots: Array<{ path: string; from: RootSource }>): Promise<ContainmentFacts> {
  const facts: ContainmentFacts = { roots, probes: [] };
  const candidates = session.tools.filter((tool) => probeEligibility(tool, session.allow).callable && pathParameter(tool) !== undefined);
  const root = roots[0];
  if (root === undefined) {
    facts.skipped =
      candidates.length === 0
        ? 'no read-only tool takes a path'
        : 'no allowed root known: set probe.roots in the config, or launch the server with its allowed directory as an argument';
    return facts;
  }
  if (candidates.length === 0) {
    facts.skipped = 'no read-only tool takes a path';
    return facts;
  }
  let canaryDir: string;
  try {
    canaryDir = await mkdtemp(`${root.path}-mcpp-`);
  } catch (error) {
    facts.skipped = `the canary directory could not be made beside ${root.path}: ${error instanceof Error ? error.message : String(error)}`;
    return facts;
  }
  const removeNow = (): void => rmSync(canaryDir, { recursive: true, force: true });
  process.once('exit', removeNow);
  try {
    const content = `mcp-preflight canary ${randomBytes(6).toString('hex')} outside the allowed root`;
    await writeFile(path.join(canaryDir, CANARY_FILE), `${content}\n`, { flag: 'wx' });
    const escapes: Array<[ContainmentAttempt['escape'], string]> = [
      ['sibling-prefix', path.join(canaryDir, CANARY_FILE)],
      ['dot-dot', `${root.path}${path.sep}..${path.sep}${path.basename(canaryDir)}${path.sep}${CANARY_FILE}`],
    ];
    for (const tool of candidates.slice(0, MAX_TOOLS)) {
      const parameter = pathParameter(tool)!;
      const probe: ContainmentProbe = { tool: tool.name, parameter, root: root.path, rootFrom: root.from, attempts: [] };
      for (const [escape, target] of escapes) {
        const args = argumentsWith(tool, parameter, target);
        if (!args.ok) {
          probe.skipped = args.reason;
          break;
        }
        if (session.outOfTime()) {
          probe.skipped = 'the time budget ran out';
          break;
        }
        session.counted();
        const call = await sendProbeRequest(session.client, 'tools/call', { name: tool.name, arguments: args.value }, session.bounds());
        probe.attempts.push({ escape, path: target, call, canaryReturned: returnsCanary(call, content) });
      }
      facts.probes.push(probe);
    }
    if (candidates.length > MAX_TOOLS) facts.skipped = `${candidates.length - MAX_TOOLS} more read-only path tools not tried (at most ${MAX_TOOLS} per target)`;
  } finally {
    try {
      await rm(canaryDir, { recursive: true, force: true });
      facts.cleanup = 'removed';
    } catch (error) {
      facts.cleanup = `not removed: ${canaryDir} (${error instanceof Error ? error.message : String(error)})`;
    }
    process.removeListener('exit', removeNow);
  }
  return facts;
}

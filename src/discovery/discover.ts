import {
  INVENTORY_SCHEMA_VERSION,
  type Implementation,
  type Inventory,
  type ListingStats,
  type ListKind,
  type MalformedItem,
  type PromptCapability,
  type ResourceCapability,
  type ResourceTemplateCapability,
  type TargetDescription,
  type ToolCapability,
} from '../inventory/model.js';
import { TOOL_VERSION } from '../version.js';
import { connect, type ConnectAttempt, type Connection } from './connect.js';
import { createDeadline, type Deadline } from './deadline.js';
import { listAll, notRequested, probeUndeclared } from './enumerate.js';
import { DiscoveryError, describeNetworkCause, httpStatus, networkCause, stripSdkPrefixes } from './errors.js';
import { isPlainObject, normaliseItems } from './normalise.js';
import { StdioSpawnError } from './stdio-transport.js';
import { describeStall } from './http-wire.js';
import { DEFAULT_LIMITS, type DiscoveryLimits, type TargetSpec } from './target.js';

const LISTS: Array<{ list: ListKind; capability: string }> = [
  { list: 'tools', capability: 'tools' },
  { list: 'resources', capability: 'resources' },
  { list: 'resourceTemplates', capability: 'resources' },
  { list: 'prompts', capability: 'prompts' },
];

export function describeTarget(spec: TargetSpec): TargetDescription {
  return spec.kind === 'stdio'
    ? { kind: 'stdio', name: spec.name, command: spec.command, args: spec.args, cwd: spec.cwd, envNames: Object.keys(spec.env).sort() }
    : { kind: 'http', name: spec.name, url: spec.url, headerNames: Object.keys(spec.headers).sort() };
}

export interface DiscoverHooks {
  /**
   * Runs after listing, on the same connection and within the same deadline, before it is closed
   * (opt-in probing, src/probe). Must not throw: its failures are facts, not discovery failures.
   */
  beforeClose?(session: { client: Connection['client']; inventory: Inventory; deadline: Deadline }): Promise<void>;
}

/**
 * Live discovery of one target: connect (stdio, Streamable HTTP or legacy SSE; either era), list
 * every capability page by page within bounds, and return the Inventory. Any failure to reach or
 * enumerate the server is a DiscoveryError with one line for the user (exit 3).
 */
export async function discover(spec: TargetSpec, limits: DiscoveryLimits = DEFAULT_LIMITS, hooks: DiscoverHooks = {}): Promise<Inventory> {
  const started = performance.now();
  const deadline = createDeadline(limits.timeoutMs);
  let connection: Connection | undefined;
  const attempt: ConnectAttempt = {};
  try {
    try {
      connection = await connect(spec, deadline, attempt);
    } catch (error) {
      throw toDiscoveryError(error, spec, deadline, 'connect', attempt);
    }
    const listStarted = performance.now();
    const capabilities = connection.client.getServerCapabilities() ?? {};
    const results = {} as Record<ListKind, { capabilities: unknown[]; malformed: MalformedItem[]; stats: ListingStats }>;
    for (const { list, capability } of LISTS) {
      if (!(capability in capabilities)) {
        results[list] = { capabilities: [], malformed: [], stats: notRequested(list) };
        continue;
      }
      const outcome = await listAll(connection.client, list, limits, deadline);
      if (outcome.fatal !== undefined) {
        throw toDiscoveryError(outcome.fatal, spec, deadline, `${list} listing`, attempt);
      }
      const normalised = normaliseItems(list, outcome.items);
      results[list] = { capabilities: normalised.capabilities, malformed: [...outcome.malformedPages, ...normalised.malformed], stats: outcome.stats };
    }
    // Undeclared lists are asked once, after the declared ones, so a server that dislikes the
    // request cannot spoil the real listing (protocol/capability-mismatch).
    for (const { list } of LISTS) {
      const stats = results[list].stats;
      if (!stats.requested && !deadline.expired()) stats.undeclaredAnswered = await probeUndeclared(connection.client, list, deadline);
    }
    const listMs = performance.now() - listStarted;
    const info = connection.client.getServerVersion() as Implementation | undefined;
    const inventory: Inventory = {
      schemaVersion: INVENTORY_SCHEMA_VERSION,
      tool: { name: 'mcp-preflight', version: TOOL_VERSION },
      target: describeTarget(spec),
      facts: ['live'],
      server: {
        info: withServerMeta(pickImplementation(info), connection.serverMeta()),
        ...(connection.client.getInstructions() !== undefined ? { instructions: connection.client.getInstructions() } : {}),
        capabilities: capabilities as Record<string, unknown>,
        ...(connection.protocolVersion ? { protocolVersion: connection.protocolVersion } : {}),
        era: connection.era,
        transport: connection.transport,
        ...(connection.eraFallback ? { eraFallback: connection.eraFallback } : {}),
        ...(connection.sseFallback ? { sseFallback: connection.sseFallback } : {}),
      },
      tools: results.tools.capabilities as ToolCapability[],
      resources: results.resources.capabilities as ResourceCapability[],
      resourceTemplates: results.resourceTemplates.capabilities as ResourceTemplateCapability[],
      prompts: results.prompts.capabilities as PromptCapability[],
      malformed: LISTS.flatMap(({ list }) => results[list].malformed),
      listings: LISTS.map(({ list }) => results[list].stats),
      stdoutNoise: connection.stdio ? { lines: connection.stdio.noise.lines, samples: [...connection.stdio.noise.samples] } : { lines: 0, samples: [] },
      logNotifications: connection.logNotifications,
      timings: { connectMs: Math.round(connection.connectMs), listMs: Math.round(listMs), totalMs: Math.round(performance.now() - started) },
    };
    if (hooks.beforeClose !== undefined) await hooks.beforeClose({ client: connection.client, inventory, deadline });
    return inventory;
  } finally {
    deadline.dispose();
    await connection?.close();
  }
}

/** `_meta` may name owners or a security contact (the ownership rules read it). */
function withServerMeta(info: Implementation, meta: Record<string, unknown> | undefined): Implementation {
  return meta === undefined ? info : { ...info, _meta: meta };
}

function pickImplementation(info: Implementation | undefined): Implementation {
  if (!isPlainObject(info)) return {};
  const picked: Implementation = {};
  for (const key of ['name', 'title', 'version', 'description', 'websiteUrl'] as const) {
    const value = info[key];
    if (typeof value === 'string') picked[key] = value;
  }
  if (Array.isArray(info.icons)) picked.icons = info.icons;
  return picked;
}

function where(spec: TargetSpec): string {
  return spec.kind === 'stdio' ? `"${[spec.command, ...spec.args].join(' ')}"` : spec.url;
}

function stalledHttp(attempt: ConnectAttempt, at: string): string | undefined {
  const stall = attempt.http?.stalled();
  return stall === undefined ? undefined : describeStall(at, stall);
}

/** `<origin> (another origin)` of a redirect the client refused to follow (the SDK names it in its message). */
function refusedRedirect(error: unknown, spec: TargetSpec): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const target = /Redirect to (\S+) not followed|try (\S+) as the endpoint/.exec(message);
  const href = target?.[1] ?? target?.[2];
  if (href === undefined || spec.kind !== 'http') return undefined;
  try {
    const to = new URL(href);
    return to.origin === new URL(spec.url).origin ? `${to.origin}${to.pathname} (a redirect that does not keep the POST)` : `${to.origin} (another origin)`;
  } catch {
    return undefined;
  }
}

function toDiscoveryError(error: unknown, spec: TargetSpec, deadline: Deadline, phase: string, attempt: ConnectAttempt): DiscoveryError {
  if (error instanceof DiscoveryError) return error;
  const stderrTail = attempt.stdio?.stderrTail() || undefined;
  const at = where(spec);
  const seconds = Math.round(deadline.totalMs / 100) / 10;

  if (error instanceof StdioSpawnError) {
    return new DiscoveryError(`${error.message} (target ${spec.name})`, 'check the --stdio command line, the --cwd directory and PATH', undefined, { cause: error });
  }
  if (deadline.expired()) {
    return new DiscoveryError(
      `${stalledHttp(attempt, at) ?? `no answer from ${at}`} within ${seconds} s (during ${phase})`,
      spec.kind === 'stdio'
        ? 'check that the command starts an MCP server speaking JSON-RPC on stdout, or raise --timeout'
        : 'check that the URL is an MCP endpoint, or raise --timeout',
      stderrTail,
      { cause: error, timedOut: true },
    );
  }
  const network = networkCause(error);
  if (network && spec.kind === 'http') {
    // A certificate problem is not a reachability problem: say how to trust a private CA.
    const hint = /CERT|SIGNATURE|TLS/.test(network)
      ? 'fix the certificate, or pass a private CA with --ca FILE (mcp-preflight never skips verification)'
      : 'is the server running and listening on that address?';
    return new DiscoveryError(`${describeNetworkCause(network)} at ${at}`, hint, undefined, { cause: error });
  }
  const status = httpStatus(error);
  const redirect = status !== undefined && status >= 300 && status < 400 ? refusedRedirect(error, spec) : undefined;
  if (redirect !== undefined) {
    return new DiscoveryError(`${at} redirected to ${redirect}; not followed`, 'scan the endpoint it redirects to directly, with --url, if that is the intended server', undefined, { cause: error });
  }
  if (status !== undefined) {
    const hint =
      status === 401 || status === 403
        ? 'the server wants credentials: pass them with --header "Authorization: Bearer …"'
        : status === 404
          ? 'check the endpoint path (often /mcp, or /sse for legacy servers)'
          : 'check that the URL is an MCP endpoint';
    return new DiscoveryError(`HTTP ${status} from ${at} (during ${phase})`, hint, undefined, { cause: error });
  }
  const code = (error as { code?: unknown })?.code;
  const message = stripSdkPrefixes(error instanceof Error ? error.message : String(error));
  if (code === 'CONNECTION_CLOSED' || /connection closed/i.test(message)) {
    const exit = attempt.stdio?.exit;
    const how = exit ? (exit.signal ? ` (killed by ${exit.signal})` : ` (exit code ${exit.code})`) : '';
    // It may have refused to start or died on the probe: both look the same, so say only what was pending.
    const onProbe = phase === 'connect' && attempt.probe?.().sent === true && !attempt.probe().initializeSent ? '; the server/discover probe was pending, initialize never sent' : '';
    return new DiscoveryError(`the server ${at} closed the connection during ${phase}${how}${onProbe}`, 'see the server output below', stderrTail, { cause: error, ...(exit ? { exit } : {}) });
  }
  if (code === 'ERA_NEGOTIATION_FAILED') {
    return new DiscoveryError(`protocol negotiation with ${at} failed: ${message}`, 'the server may speak a protocol revision this client does not', stderrTail, { cause: error });
  }
  return new DiscoveryError(`cannot discover ${at} (during ${phase}): ${message}`, undefined, stderrTail, { cause: error });
}

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
import { boundString, boundValue, type CutStrings } from '../inventory/bounded.js';
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
  /** Start a stdio server once, even when it exits on the era probe (kill-switch verification: refusing to start is what it checks). */
  singleLaunch?: boolean;
  /** Progress (a terminal's spinner): connected, and each page of each list as it arrives. */
  onProgress?(stage: 'connect' | 'list pages', detail?: string): void;
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
  const attempt: ConnectAttempt = hooks.singleLaunch === true ? { singleLaunch: true } : {};
  try {
    try {
      hooks.onProgress?.('connect');
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
      const onPage =
        hooks.onProgress &&
        ((stats: Readonly<ListingStats>) =>
          hooks.onProgress!('list pages', `${list}: ${stats.pages} page${stats.pages === 1 ? '' : 's'}, ${stats.items} items`));
      const outcome = await listAll(connection.client, list, limits, deadline, onPage);
      if (outcome.fatal !== undefined) {
        throw toDiscoveryError(outcome.fatal, spec, deadline, `${list} listing`, attempt);
      }
      boundListingStrings(outcome.stats);
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
    const serverCuts: CutStrings = {};
    const info = boundValue(connection.client.getServerVersion(), 'serverInfo', serverCuts) as Implementation | undefined;
    const instructions = connection.client.getInstructions();
    const inventory: Inventory = {
      schemaVersion: INVENTORY_SCHEMA_VERSION,
      tool: { name: 'mcp-preflight', version: TOOL_VERSION },
      target: describeTarget(spec),
      facts: ['live'],
      server: {
        info: withServerMeta(pickImplementation(info), connection.serverMeta()),
        ...(typeof instructions === 'string' ? { instructions: boundString(instructions, 'instructions', serverCuts) } : {}),
        capabilities: boundValue(capabilities, 'capabilities', serverCuts) as Record<string, unknown>,
        ...(connection.protocolVersion ? { protocolVersion: boundString(connection.protocolVersion, 'protocolVersion', serverCuts) } : {}),
        era: connection.era,
        transport: connection.transport,
        ...(connection.eraFallback ? { eraFallback: connection.eraFallback } : {}),
        ...(connection.sseFallback ? { sseFallback: connection.sseFallback } : {}),
        ...(Object.keys(serverCuts).length > 0 ? { cut: serverCuts } : {}),
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
  } catch (error) {
    // A scan that could not finish still saw what the server wrote to stdout (transport/stdout-pollution).
    const noise = attempt.stdio?.noise;
    if (error instanceof DiscoveryError && noise !== undefined && noise.lines > 0) error.stdoutNoise = { lines: noise.lines, samples: [...noise.samples] };
    throw error;
  } finally {
    deadline.dispose();
    await connection?.close();
  }
}

/** Cursors and the error message are the server's strings too (inventory/bounded.ts). */
function boundListingStrings(stats: ListingStats): void {
  const cuts: CutStrings = {};
  stats.cursors = stats.cursors.map((cursor, index) => boundString(cursor, `cursors[${index}]`, cuts, MAX_CURSOR_CHARS));
  if (stats.error !== undefined) stats.error.message = boundString(stats.error.message, 'error.message', cuts, MAX_ERROR_CHARS);
}

const MAX_CURSOR_CHARS = 1_024;
const MAX_ERROR_CHARS = 2_048;
/** A DiscoveryError is one line on stderr: the server's words in it are cut to this. */
const MAX_CAUSE_CHARS = 300;

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
    return new DiscoveryError(`${error.message} (target ${spec.name})`, 'check the --stdio command line, the --cwd directory and PATH', undefined, {
      cause: error,
    });
  }
  const stdio = attempt.stdio;
  if (stdio?.fault !== undefined) {
    // The transport saw the protocol broken and closed the session: that, not what followed, is the cause.
    return new DiscoveryError(`the server ${at} ${stdio.fault} (during ${phase})`, faultHint(stdio.fault), stderrTail, { cause: error });
  }
  if (deadline.expired() && stdio !== undefined && stdio.noiseSinceAnswer > 0) {
    const glued =
      stdio.noise.glued > 0
        ? `, ${stdio.noise.glued === stdio.noise.lines ? 'each' : `${stdio.noise.glued} of them`} a JSON-RPC message with other text on its line`
        : '';
    return new DiscoveryError(
      `the server ${at} wrote ${stdio.noiseSinceAnswer} non-JSON-RPC ${stdio.noiseSinceAnswer === 1 ? 'line' : 'lines'} to stdout${glued}, and no JSON-RPC answer within ${seconds} s (during ${phase})`,
      STDIO_PROTOCOL_HINT,
      stderrTail,
      { cause: error, timedOut: true },
    );
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
    return new DiscoveryError(
      `${at} redirected to ${redirect}; not followed`,
      'scan the endpoint it redirects to directly, with --url, if that is the intended server',
      undefined,
      { cause: error },
    );
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
  const message = oneLineCause(stripSdkPrefixes(error instanceof Error ? error.message : String(error)));
  if (code === 'CONNECTION_CLOSED' || /connection closed/i.test(message)) {
    const exit = attempt.stdio?.exit;
    const how = exit ? (exit.signal ? ` (killed by ${exit.signal})` : ` (exit code ${exit.code})`) : '';
    // It may have refused to start or died on the probe: both look the same, so say only what was pending.
    const onProbe =
      phase === 'connect' && attempt.probe?.().sent === true && !attempt.probe().initializeSent
        ? '; the server/discover probe was pending, initialize never sent'
        : '';
    return new DiscoveryError(`the server ${at} closed the connection during ${phase}${how}${onProbe}`, 'see the server output below', stderrTail, {
      cause: error,
      ...(exit ? { exit } : {}),
    });
  }
  if (code === 'ERA_NEGOTIATION_FAILED') {
    return new DiscoveryError(
      `protocol negotiation with ${at} failed: ${message}`,
      'the server may speak a protocol revision this client does not',
      stderrTail,
      { cause: error },
    );
  }
  return new DiscoveryError(`cannot discover ${at} (during ${phase}): ${message}`, undefined, stderrTail, { cause: error });
}

function faultHint(fault: string): string {
  if (/over the \d+ MiB limit/.test(fault))
    return 'a client reads one message at most 16 MiB long: send less in one message (a string that long is itself a problem)';
  if (/of notifications before answering/.test(fault)) return 'the server must answer requests instead of flooding notifications; --debug shows the traffic';
  return STDIO_PROTOCOL_HINT;
}

const STDIO_PROTOCOL_HINT = 'a stdio server must write only newline-delimited JSON-RPC 2.0 messages to stdout (logs go to stderr); --debug shows the traffic';

/**
 * One line, whatever the error carried: a validation error's message is often a JSON dump of every
 * issue (a hundred lines for one bad message), and a server's own error message can be any size.
 */
function oneLineCause(message: string): string {
  const issues = validationIssues(message);
  if (issues !== undefined) {
    const first = issues[0]!;
    const path = Array.isArray(first.path) && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? 'issue' : 'issues'})` : '';
    return `its answer does not match the MCP schema: ${path}${String(first.message ?? 'invalid')}${more}`.slice(0, MAX_CAUSE_CHARS);
  }
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const first = lines[0] ?? message;
  const cut = first.length > MAX_CAUSE_CHARS ? `${first.slice(0, MAX_CAUSE_CHARS)}…` : first;
  return lines.length > 1 ? `${cut} (+${lines.length - 1} more lines; --debug shows the traffic)` : cut;
}

/** The issues of a zod-style error message (`[{"path": …, "message": …}, …]`, possibly after a prefix). */
function validationIssues(message: string): Array<{ path?: unknown[]; message?: unknown }> | undefined {
  const start = message.indexOf('[');
  if (start === -1 || message.length > 1_000_000) return undefined;
  try {
    const parsed: unknown = JSON.parse(message.slice(start));
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((issue) => typeof issue === 'object' && issue !== null && 'message' in issue))
      return parsed as Array<{ path?: unknown[]; message?: unknown }>;
  } catch {
    // Not a JSON list of issues.
  }
  return undefined;
}

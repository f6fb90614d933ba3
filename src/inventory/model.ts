/**
 * The Inventory: the one data model every rule sees. Collectors (live discovery now, source analysis
 * and HTTP probes later) fill it; rules only read it. Serialised as-is by `discover --format json`
 * (see docs/inventory-json.md), so every change here is a versioned format change.
 */

// Only type-only modules, each importing base-types.ts and nothing that imports this module back.
import type { CapabilityRef, CutStrings, FactKind, ListKind, ProtocolEra, SourceLocation, TransportKind } from './base-types.js';
import type { HttpFacts } from '../http/types.js';
import type { KillSwitchFacts } from '../killswitch/types.js';
import type { DriftFacts } from '../lock/drift-types.js';
import type { SuppressionFacts } from '../suppress/types.js';
import type { ProbeFacts } from '../probe/types.js';
import type { ListenFacts } from '../discovery/listen-types.js';
import type { InstalledPackageFacts } from '../repo/installed-package-types.js';
import type { RepoFacts } from '../repo/types.js';
import type { RankedCapability } from './risk-types.js';
import type { SourceFacts } from '../source/types.js';

export type { CapabilityKind, CapabilityRef, CutStrings, FactKind, ListKind, ProtocolEra, SourceLocation, TransportKind } from './base-types.js';

export const INVENTORY_SCHEMA_VERSION = 1;

export interface LiveOrigin {
  /** 1-based page of the list response the item came from. */
  page: number;
  /** 0-based index of the item within that page. */
  index: number;
}

export interface Origin {
  live?: LiveOrigin;
  source?: SourceLocation;
}

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  [key: string]: unknown;
}

interface CapabilityBase {
  name: string;
  title?: string;
  description?: string;
  icons?: unknown[];
  _meta?: Record<string, unknown>;
  origin: Origin;
  /**
   * Strings of this capability the server sent longer than the bound (inventory/bounded.ts): the
   * field keeps a prefix; here, by field path, the full length, UTF-8 bytes and SHA-256.
   */
  cut?: CutStrings;
}

export interface ToolCapability extends CapabilityBase {
  kind: 'tool';
  /** As served: may be absent or not an object on a malformed tool (rules judge that). */
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: ToolAnnotations;
  execution?: Record<string, unknown>;
}

export interface ResourceCapability extends CapabilityBase {
  kind: 'resource';
  uri: string;
  mimeType?: string;
  size?: number;
  annotations?: Record<string, unknown>;
}

export interface ResourceTemplateCapability extends CapabilityBase {
  kind: 'resourceTemplate';
  uriTemplate: string;
  mimeType?: string;
  annotations?: Record<string, unknown>;
}

export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

export interface PromptCapability extends CapabilityBase {
  kind: 'prompt';
  arguments?: PromptArgument[];
}

export type Capability = ToolCapability | ResourceCapability | ResourceTemplateCapability | PromptCapability;

export interface Implementation {
  name?: string;
  title?: string;
  version?: string;
  description?: string;
  websiteUrl?: string;
  icons?: unknown[];
  /** The server's own metadata (bounded); may name owners or a security contact. */
  _meta?: Record<string, unknown>;
}

export interface ServerFacts {
  info: Implementation;
  instructions?: string;
  capabilities: Record<string, unknown>;
  protocolVersion?: string;
  era: ProtocolEra;
  transport: TransportKind;
  /**
   * Set when the `server/discover` probe did not give the 2026-07-28 era and `initialize` was used:
   * why, and whether a fresh connection was needed (the probe failed outright).
   */
  eraFallback?: { reason: string; reconnected: boolean };
  /** Set when Streamable HTTP was refused and legacy HTTP+SSE was used instead. */
  sseFallback?: { status: number; reason: string };
  /** Server strings cut to the bound (`instructions`, `serverInfo.description`, `capabilities…`), as on a capability. */
  cut?: CutStrings;
}

/** An item the server listed that does not have the shape the spec requires. Itself a finding. */
export interface MalformedItem {
  list: ListKind;
  page: number;
  index: number;
  name?: string;
  problems: string[];
  /** The item as served, truncated to a bounded JSON text. */
  excerpt: string;
}

/** What cut a listing short; `limit` is the bound that was reached (pages, items, bytes, empty pages in a row). */
export interface ListingStop {
  reason: 'pages' | 'items' | 'bytes' | 'repeated-cursor' | 'empty-pages' | 'malformed-page' | 'error';
  limit?: number;
}

export interface ListingStats {
  list: ListKind;
  /** false when the server did not declare the capability and the list was not requested. */
  requested: boolean;
  pages: number;
  items: number;
  bytes: number;
  durationMs: number;
  /**
   * true when the server said the list was done (a page without nextCursor), or the list was not
   * advertised; false when listing stopped at a bound, a repeated cursor, endless empty pages, a
   * malformed page or an error. An incomplete list makes the target incompletely discovered (exit 3).
   */
  complete: boolean;
  /** Why listing stopped before the end, as a fact (reports and the gate read this, not `stoppedEarly`). */
  stop?: ListingStop;
  /** Why listing stopped early, in words (page/item/byte bound, repeated cursor), if it did. */
  stoppedEarly?: string;
  /** The error the server answered with, if the list request failed. */
  error?: { code?: number; message: string };
  /** Cursors as served, in order (bounded), so pagination rules can judge them. */
  cursors: string[];
  /** Pages that came back empty but carried a nextCursor. */
  emptyPagesWithCursor: number;
  /**
   * Only when `requested` is false: whether the list method answered one bounded request anyway
   * (true), or refused or failed (false). Absent when it was not asked.
   */
  undeclaredAnswered?: boolean;
}

export interface LogNotification {
  level?: string;
  logger?: string;
  data: unknown;
  /** Strings of this notification cut to the bound (`data`, `data.message`, `logger`), as on a capability. */
  cut?: CutStrings;
}

export type TargetDescription =
  | { kind: 'stdio'; name: string; command: string; args: string[]; cwd: string; envNames: string[] }
  | { kind: 'http'; name: string; url: string; headerNames: string[] }
  /** Source-only mode (`check --source DIR` with no live target): the inventory comes from source analysis. */
  | { kind: 'source'; name: string; root: string };

export interface Inventory {
  schemaVersion: typeof INVENTORY_SCHEMA_VERSION;
  tool: { name: 'mcp-preflight'; version: string };
  target: TargetDescription;
  facts: FactKind[];
  server: ServerFacts;
  tools: ToolCapability[];
  resources: ResourceCapability[];
  resourceTemplates: ResourceTemplateCapability[];
  prompts: PromptCapability[];
  malformed: MalformedItem[];
  listings: ListingStats[];
  /** Lines the server wrote to stdout that were not JSON-RPC messages (stdio only). */
  stdoutNoise: { lines: number; samples: string[] };
  logNotifications: LogNotification[];
  timings: { connectMs: number; listMs: number; totalMs: number };
  /** HTTP surface probes (src/http), http targets only; `'http'` is in `facts` when present. */
  http?: HttpFacts;
  /** Source analysis (src/source, ts-morph), when a source root was given; `'source'` is in `facts` when present. */
  source?: SourceFacts;
  /** Repository facts (src/repo), when a project root was given; `'repo'` is in `facts` when present. */
  repo?: RepoFacts;
  /** The installed package the server was started from (a command under node_modules/<pkg>/, or `npx <pkg>`), and its own metadata (src/repo/installed-package.ts). */
  installedPackage?: InstalledPackageFacts;
  /**
   * A launched HTTP target (config `command` with `url`): the command, and the addresses its process
   * group listened on, from the OS socket table (`listen.available: false` with the reason elsewhere than Linux).
   */
  launch?: { command: string; args: string[]; listen: ListenFacts };
  /** Opt-in probing (src/probe, `check --probe`): calls of read-only or allow-listed tools, resource reads, prompt gets; `'probe'` is in `facts` when present. */
  probe?: ProbeFacts;
  /** Kill switches declared in the config, and what relaunching with each showed (`check --verify-kill-switches`). */
  killSwitches?: KillSwitchFacts;
  /** Every capability ranked by risk class, riskiest first, with the config's `risk` declarations (src/inventory/risk.ts). */
  risk?: RankedCapability[];
  /** `check --lockfile`: what changed since the capability lockfile (src/lock/drift.ts); `'lock'` is in `facts` when present. */
  drift?: DriftFacts;
  /** Suppressions (inline and config) that are themselves problems (src/suppress); `'suppress'` is in `facts` once they were applied. */
  suppressions?: SuppressionFacts;
}

export function allCapabilities(inventory: Inventory): Capability[] {
  return [...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates, ...inventory.prompts];
}

export function capabilityRef(capability: Capability): CapabilityRef {
  return { kind: capability.kind, name: capability.name };
}

/** What the user asked us to scan, after flags (and later the config file) are resolved. */
export interface StdioTargetSpec {
  kind: 'stdio';
  name: string;
  command: string;
  args: string[];
  /** Variables the user declared; the server gets these plus a minimal default set, never our whole environment. */
  env: Record<string, string>;
  cwd: string;
}

export interface HttpTargetSpec {
  kind: 'http';
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The target declares it needs no authentication, and why (e.g. loopback only); auth/unauthenticated-http honours it. */
  authNone?: { reason: string };
  /** PEM file of a private CA that signs the server's certificate (--ca), for https targets. */
  caFile?: string;
  /** Config `command` with `url`: mcp-preflight starts the server, scans it over HTTP, and stops it (src/discovery/launch.ts). */
  launch?: HttpLaunch;
}

/** How to start a launched HTTP server: like a stdio target's command, but spoken to over `url`. */
export interface HttpLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export type TargetSpec = StdioTargetSpec | HttpTargetSpec;

export interface DiscoveryLimits {
  /** Whole-target budget for connect plus every list request, in ms. */
  timeoutMs: number;
  /** Per list: reaching any of these before the server's last page makes the target incompletely discovered. */
  maxPagesPerList: number;
  maxItemsPerList: number;
  maxBytesPerList: number;
}

/**
 * Large enough that a 10,000-tool server at 100 a page (100 pages, about 7.5 MiB of realistic tools)
 * passes with room to spare; small enough that a server paging forever is cut off in seconds.
 */
export const DEFAULT_LIMITS: DiscoveryLimits = {
  timeoutMs: 30_000,
  maxPagesPerList: 500,
  maxItemsPerList: 50_000,
  maxBytesPerList: 64 * 1024 * 1024,
};

export const MIB = 1024 * 1024;
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: MIB, mib: MIB, g: 1024 * MIB, gib: 1024 * MIB };
/** Upper bounds of the listing limits: far above any real server, below what would exhaust memory or time. */
export const LIMIT_CEILINGS = { maxPages: 100_000, maxItems: 10_000_000, maxListBytes: 4 * 1024 * MIB } as const;

/** The listing bounds a flag or the config's `limits:` may set; only the keys given. */
export type LimitOverrides = Partial<Pick<DiscoveryLimits, 'maxPagesPerList' | 'maxItemsPerList' | 'maxBytesPerList'>>;

/** "64MiB", "512k", "1048576" → bytes; undefined when it is not a size. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  return match && unit !== undefined ? Math.round(Number(match[1]) * unit) : undefined;
}

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
}

export type TargetSpec = StdioTargetSpec | HttpTargetSpec;

export interface DiscoveryLimits {
  /** Whole-target budget for connect plus every list request, in ms. */
  timeoutMs: number;
  maxPagesPerList: number;
  maxItemsPerList: number;
  maxBytesPerList: number;
}

export const DEFAULT_LIMITS: DiscoveryLimits = {
  timeoutMs: 30_000,
  maxPagesPerList: 100,
  maxItemsPerList: 5_000,
  maxBytesPerList: 32 * 1024 * 1024,
};

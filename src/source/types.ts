import type { CapabilityKind, SourceLocation } from '../inventory/base-types.js';

/**
 * What source analysis found in a server's TypeScript/JavaScript: every capability registration
 * (with the location of its name) and code facts that source rules judge. Facts only, no verdicts.
 * Serialised with the inventory (`inventory.source`), so keep it plain data.
 */
export interface SourceFacts {
  /** Absolute directory that was analysed. */
  root: string;
  /** The tsconfig.json whose file list was used, when there was one. */
  tsconfig?: string;
  /** Number of source files parsed. */
  files: number;
  /** How deep calls were followed from each handler. */
  callDepth: number;
  registrations: SourceRegistration[];
  /** Project-wide facts (listen calls, CORS, transports, auth middleware, logging...). */
  sites: CodeSite[];
  /**
   * Every callee the project calls or constructs, distinct and sorted, as written (`rateLimit`,
   * `passport.authenticate`, `new PQueue`; see sites.ts `calleeOf`). Rules match these against the
   * names in their options. Absent in facts recorded before it existed.
   */
  calls?: string[];
  /**
   * The files that create a stdio transport and every project file they load (imports, `import()`,
   * `require`), sorted: the code that runs with stdout as the protocol channel. Absent in facts
   * recorded before it existed.
   */
  stdioModules?: string[];
  /**
   * The files that run in the server process: those that load (or are) a file registering a
   * capability or creating a transport, and every project file they load, sorted. A file outside
   * (a setup script run by `npx`, a browser bundle served as an asset) is not the server. Absent
   * when nothing registers or connects (every file then counts), and in facts recorded before it existed.
   */
  serverModules?: string[];
  /** Package names the project depends on (package.json dependencies + devDependencies). */
  dependencies: string[];
  /** The server's own tests (src/source/operations.ts), read from the package beside the analysed code. */
  tests?: TestFacts;
  durationMs: number;
  /** Set when source was merged with live discovery (src/source/merge.ts). */
  merge?: MergeResult;
}

export interface MergeResult {
  /** Served live, registered nowhere in source that we could name. */
  liveOnly: Array<{ kind: SourceRegistration['kind']; name: string }>;
  /** Registered in source with a static name, not served live (often a working kill switch). */
  sourceOnly: Array<{ kind: SourceRegistration['kind']; name: string; location: SourceLocation; conditional: boolean }>;
  /** Registrations whose name is computed at run time, per kind (they may explain live-only items). */
  dynamicNames: Partial<Record<SourceRegistration['kind'], number>>;
}

/** Which API shape a registration was written in. */
export type RegistrationShape =
  | 'sdk-high-level'
  | 'sdk-v2'
  | 'cloudflare-agent'
  | 'sdk-low-level'
  | 'fastmcp'
  | 'mcp-framework'
  | 'xmcp'
  | 'builder'
  /** A definition object or class (`{ name, description, inputSchema, handler }`) registered by a loop or helper. */
  | 'definition';

/** A static string, or the fact that it is computed at run time (never guessed). */
export type StaticText = { value: string } | { dynamic: true; text: string };

export interface SourceRegistration {
  kind: Exclude<CapabilityKind, 'server'>;
  /** Undefined when the name is computed at run time (`nameDynamic` holds its code). */
  name?: string;
  nameDynamic?: string;
  /** The literal fragments of a computed name (`getToolName('x')` → `['x']`): merge.ts matches a live name containing them all, in order. */
  nameParts?: string[];
  shape: RegistrationShape;
  /** The call or declaration that registers it, e.g. `server.registerTool`. */
  api: string;
  /** Where its name is written (the string literal or expression), 1-based. */
  location: SourceLocation;
  title?: StaticText;
  description?: StaticText;
  /** JSON Schema derived from zod or a literal JSON Schema; `undefined` when there is none. */
  inputSchema?: unknown;
  /** Set when an input schema exists but could not be turned into JSON Schema statically. */
  inputSchemaDynamic?: boolean;
  outputSchema?: unknown;
  annotations?: Record<string, unknown>;
  uri?: string;
  uriTemplate?: string;
  arguments?: Array<{ name: string; description?: string; required?: boolean }>;
  /** Framework options that count as mitigations (fastmcp `timeoutMs`, `canAccess`). */
  options: { timeoutMs?: boolean; canAccess?: boolean };
  /** True when the registration sits under an `if`/ternary/`&&` (conditional registration), or every call of the named function it sits in does. */
  conditional: boolean;
  /** The condition of a conditional registration, and the env variables, config fields or flags it reads. */
  condition?: { text: string; reads: string[] };
  /** Calls that turn the registered capability off or on at run time (`RegisteredTool.disable()`...). */
  toggles?: CodeSite[];
  handler?: HandlerFacts;
}

export interface HandlerFacts {
  location: SourceLocation;
  /** What the handler reaches, following calls up to `callDepth` hops across modules. */
  reaches: CodeSite[];
  /** The handler reads `extra.authInfo` / session auth, or is guarded by fastmcp `canAccess` (per-call authorization). */
  readsAuth: boolean;
  /** Every callee the handler reaches (its body and the functions it calls), distinct, in reach order; see `SourceFacts.calls`. */
  calls?: string[];
  /** The handler uses the request's abort signal or its own deadline (`AbortSignal.timeout`). */
  usesSignal: boolean;
  /** The handler's text marks returned content as untrusted/external. */
  marksExternalContent: boolean;
  /** Credentials the handler (and what it calls) reads: `env NAME`, `header authorization`, `authInfo` (src/source/operations.ts). */
  credentials?: string[];
}

export type SiteKind =
  | 'process-spawn'
  | 'eval'
  | 'sql-call'
  | 'outbound-http'
  | 'file-read-unbounded'
  | 'body-read-unbounded'
  | 'env-returned'
  | 'error-stack-returned'
  /** A property of a caught error read inside a returned or thrown value (`error.message`); detail `property`. */
  | 'caught-error-returned'
  | 'log-call'
  | 'auth-check'
  | 'stdout-write'
  | 'stdio-transport'
  | 'http-transport'
  | 'listen'
  | 'cors'
  | 'dns-rebinding-protection-off'
  | 'host-validation'
  /** A read of the request's Host header (`req.headers.host`, `req.header('host')`); detail `use`: `call <callee>`, `comparison` or `other`. */
  | 'host-header-read'
  | 'session-id-generator'
  | 'token-verification'
  | 'auth-middleware'
  /** A value read from the URL query string (`req.query.x`, `searchParams.get('x')`); detail `parameter`. */
  | 'query-read'
  | 'token-passthrough'
  | 'concurrency-limit'
  | 'handler-timeout'
  /** `tool.disable()` / `enable()` / `remove()` / `update({ enabled })`, `.enabled =`, `disabledTool(...)`. */
  | 'capability-toggle'
  /** A read of a tool allow/deny list, feature list or read-only mode (`config.disabledTools`, `READ_ONLY`). */
  | 'capability-filter'
  /** An env/config switch checked before the server connects or listens (exits, or guards the start). */
  | 'startup-guard'
  /** A call of an audit function or logger (`audit(...)`, `auditLog.write(...)`); detail says which fields its event has. */
  | 'audit-event'
  /** A path containment check: `path.relative`, `startsWith(root)` (detail `separator`), `realpath` (src/source/containment-sites.ts). */
  | 'path-containment'
  /** A metric or span created or emitted (prom-client, OpenTelemetry, StatsD); detail `form`: `factory` or `emit` (src/source/operations.ts). */
  | 'metric-emission'
  /** A `/metrics` route. */
  | 'metrics-route'
  /** An answer of 401 or 403; detail `status`, and whether its block logs (`logged`), counts (`counted`) and names the denial (`labelled`). */
  | 'auth-denial'
  /** A process-local store of protocol sessions or events (`transports = new Map()`, `new InMemoryEventStore()`); detail `store`. */
  | 'session-store';

export interface CodeSite {
  kind: SiteKind;
  location: SourceLocation;
  /** The callee or construct, e.g. `fetch`, `child_process.exec`, `app.listen`. */
  what: string;
  /** Kind-specific details (e.g. `hasTimeout`, `host`, `origin`, `secret`). */
  detail: Record<string, string | number | boolean>;
  /** The call chain from the handler when it was reached through other functions. */
  via?: string[];
  /**
   * The third-party package a bundler inlined this code from (`yaml`, `@supabase/storage-js`), read
   * from the bundle's module comments (src/source/bundles.ts); absent in the project's own code.
   */
  bundled?: string;
}

/** A failure path a server's tests can exercise (operations/untested-failure-paths). */
export type TestSignal = 'invalidArguments' | 'accessDenied' | 'backendTimeout' | 'oversizedOutput';

export interface TestFacts {
  /** The package.json `test` script, when there is one. */
  script?: string;
  /** Test files found (relative to the package root), in path order. */
  files: string[];
  /** Set when the file bound was reached: what was not read was not judged. */
  truncated?: boolean;
  /** Set when the package is an installed one (under a `node_modules` folder): npm packages seldom publish their tests. */
  installed?: boolean;
  /** Up to three lines per failure path that speak of it. */
  signals: Record<TestSignal, Array<{ file: string; line: number; text: string }>>;
  /** The first test line that names each registered capability (quoted), by name. */
  capabilities: Record<string, { file: string; line: number }>;
}

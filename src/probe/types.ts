/**
 * Facts from opt-in probing (`check --probe`): what was called, with which arguments, and what came
 * back, bounded and masked. Collectors gather these; the probe rules judge them. Part of the
 * versioned Inventory (docs/inventory-json.md).
 */

export interface ProbeOptions {
  /** Tool names the user allow-listed (config `probe.allow`); a destructive tool is never called even when listed. */
  allow: string[];
  /** Per-call timeout in ms (config `probe.timeout`, default 10 s), never more than what is left of the target's budget. */
  callTimeoutMs: number;
  /** At most this many resources are read and prompts got. */
  maxResources: number;
  maxPrompts: number;
  /** Bytes of text kept per call (the byte count is always the real one). */
  maxTextBytes: number;
  /** Allowed roots for the containment probe (config `probe.roots`, absolute; launch-argument directories are added per target). */
  roots?: Array<{ path: string; from: RootSource }>;
}

export type CallOutcome =
  /** A result came back (it may be a tool error, `isError: true`). */
  | 'result'
  /** A JSON-RPC error came back. */
  | 'rpc-error'
  /** No answer within the timeout (recorded, never a hang). */
  | 'timeout'
  /** The connection failed or the client refused the call. */
  | 'failed';

export interface ContentItem {
  type: string;
  /** Bytes of this item as JSON. */
  bytes: number;
  mimeType?: string;
  uri?: string;
}

export interface CallRecord {
  method: 'tools/call' | 'resources/read' | 'prompts/get';
  /** The arguments (or params) sent, as JSON text. */
  sent: string;
  outcome: CallOutcome;
  latencyMs: number;
  /** Bytes of the result (or error) as JSON, counted before anything is truncated. */
  bytes: number;
  /** `isError` of a tool result. */
  isError?: boolean;
  /** The JSON-RPC error (code, message, data as JSON text), masked and bounded. */
  error?: { code?: number; message: string; data?: string };
  /** Content blocks (types, sizes); the text itself is in `text`. */
  content: ContentItem[];
  /** Model-visible text of the result (text blocks, embedded text resources, prompt messages), masked, at most `maxTextBytes`. */
  text: string;
  /** True when `text` (or `structuredContent`) was cut to the bound. */
  truncated: boolean;
  /** `structuredContent` as served (masked); absent when none or over the bound (then `structuredTruncated`). */
  structuredContent?: unknown;
  hasStructuredContent: boolean;
  structuredTruncated?: boolean;
  /** True when a text block is the serialised JSON of `structuredContent` (the spec's SHOULD). */
  structuredMirrored?: boolean;
  /**
   * Secrets found in what came back (text, error, structured content) before masking, since masked
   * text no longer shows them: their format and masked form only (at most 20).
   */
  secrets?: Array<{ kind: string; masked: string; where: 'text' | 'error' | 'structuredContent' }>;
}

export type ToolDecision =
  /** Called: marked `readOnlyHint: true` (and not destructive), or allow-listed (and not destructive). */
  'probed' | 'skipped';

export interface ToolProbe {
  name: string;
  decision: ToolDecision;
  /** Why it was (not) called, e.g. `readOnlyHint: true`, `allow-listed`, `destructiveHint: true (never called)`. */
  reason: string;
  /** The call with deliberately invalid arguments (missing required / wrong type). */
  invalid?: CallRecord;
  /** How those arguments break the schema (an unexpected property is often stripped, not rejected). */
  invalidKind?: 'missing-required' | 'wrong-type' | 'unexpected-property';
  /** Why no invalid-arguments call was made. */
  invalidSkipped?: string;
  /** The call with minimal valid arguments synthesised from the input schema. */
  valid?: CallRecord;
  /** Why no valid call was made (e.g. a required path-like string cannot be synthesised safely). */
  validSkipped?: string;
}

export interface ResourceProbe {
  uri: string;
  name: string;
  read: CallRecord;
}

export interface PromptProbe {
  name: string;
  decision: 'probed' | 'skipped';
  reason?: string;
  get?: CallRecord;
}

export interface ProbeFacts {
  options: ProbeOptions;
  tools: ToolProbe[];
  resources: ResourceProbe[];
  prompts: PromptProbe[];
  /** Allow-listed names the server does not serve. */
  unknownAllowed: string[];
  /** Names of the environment the server was started with (stdio: ours by default plus declared; never values). */
  environmentNames: string[];
  /** Requests sent while probing. */
  calls: number;
  durationMs: number;
  /** Set when the time budget ran out before everything was probed. */
  stoppedEarly?: string;
  /** The containment probe (src/probe/containment.ts): path escapes tried on read-only tools that take a path. */
  containment?: ContainmentFacts;
}

/** Where an allowed root the containment probe used came from. */
export type RootSource = 'probe.roots' | 'launch argument';

export interface ContainmentAttempt {
  /** `sibling-prefix`: `<root>-<suffix>/canary` (passes a bare `startsWith(root)`); `dot-dot`: `<root>/../<canary dir>/canary`. */
  escape: 'sibling-prefix' | 'dot-dot';
  /** The path sent: always inside the canary directory mcp-preflight made. */
  path: string;
  call: CallRecord;
  /** True when the canary file's content came back: the tool read a file outside its root. */
  canaryReturned: boolean;
}

export interface ContainmentProbe {
  tool: string;
  /** The string parameter the path went in. */
  parameter: string;
  root: string;
  rootFrom: RootSource;
  attempts: ContainmentAttempt[];
  /** Why an escape was not tried (arguments that cannot be made safely, the time budget). */
  skipped?: string;
}

export interface ContainmentFacts {
  /** Allowed roots known (existing directories): the config's `probe.roots`, then directories among the launch arguments. */
  roots: Array<{ path: string; from: RootSource }>;
  probes: ContainmentProbe[];
  /** Why nothing (or not everything) was tried: no root known, no read-only path tool, the canary could not be made, time ran out. */
  skipped?: string;
  /** `removed` when the canary directory is gone again; otherwise what failed (the path is named so it can be removed by hand). */
  cleanup?: string;
}

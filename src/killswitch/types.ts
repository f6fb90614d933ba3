/**
 * Kill switches: how an operator turns the whole server, or one capability, off without a deploy.
 * Declared in the configuration (`killSwitches`), verified live by `check --verify-kill-switches`
 * (src/killswitch/verify.ts relaunches a stdio server once per switch), and detected in source
 * (src/source: conditional registrations, `RegisteredTool.disable()`, feature lists, read-only
 * modes, start-up guards). Facts only; the killswitch rules judge them. Plain data: serialised with
 * the inventory (`inventory.killSwitches`).
 */

/** One switch, engaged: variables set for the server and/or arguments appended to its command line. */
export interface KillSwitch {
  env: Record<string, string>;
  args: string[];
}

/** The switches declared for one target (the top-level `killSwitches` merged with the target's). */
export interface DeclaredKillSwitches {
  /** Turns the whole server off: it should expose nothing, or refuse to start with a message. */
  server?: KillSwitch;
  /** Turns one capability off (keyed by its name): it should leave discovery, or answer "disabled". */
  capabilities: Record<string, KillSwitch>;
}

/** What one relaunch with a switch engaged showed. */
export type SwitchOutcome =
  | { kind: 'started'; exposed: { tools: string[]; resources: string[]; resourceTemplates: string[]; prompts: string[] } }
  /** The server exited (or closed stdio) before discovery finished; `message` is its stderr tail. */
  | { kind: 'exited'; code: number | null; signal: string | null; message?: string }
  | { kind: 'timed-out'; seconds: number }
  | { kind: 'failed'; message: string };

export interface SwitchRun {
  /** The server switch is this engagement. */
  server: boolean;
  /** Capabilities whose declared switch is this engagement (identical engagements share one relaunch). */
  capabilities: string[];
  engaged: KillSwitch;
  outcome: SwitchOutcome;
  /** With `--probe`: each capability still listed, called once (if probing allows it) to see a "disabled" answer. */
  calls?: SwitchCall[];
  durationMs: number;
}

/** One still-listed tool, with its switch engaged: called, or why not (probing's safety rule decides). */
export interface SwitchCall {
  name: string;
  called: boolean;
  /** Why it was not called (not read-only and not in probe.allow, destructive, no safe arguments...). */
  reason?: string;
  /** `result` (then `isError`), `rpc-error`, `timeout` or `failed`. */
  outcome?: string;
  isError?: boolean;
  /** The error message or result text, masked and bounded. */
  text?: string;
}

export interface KillSwitchVerification {
  /** Set when nothing could be relaunched (an HTTP target), with the reason. */
  skipped?: string;
  runs: SwitchRun[];
  /** Names listed by the normal (switch-off) discovery, the baseline each run is compared with. */
  baseline: { tools: string[]; resources: string[]; resourceTemplates: string[]; prompts: string[] };
  /**
   * How a capability still listed with its switch engaged was judged: calling a tool needs probing
   * (read-only or allow-listed tools only, never destructive ones). Without it, only removal from
   * discovery proves a capability switch.
   */
  probing: 'off' | 'on';
  durationMs: number;
}

export interface KillSwitchFacts {
  declared: DeclaredKillSwitches;
  /** Present when `--verify-kill-switches` ran. */
  verification?: KillSwitchVerification;
}

/** A switch as written in the configuration: `env` (NAME: value) and/or `arg` (one or more arguments). */
export interface KillSwitchInput {
  env?: Record<string, string>;
  arg?: string | string[];
}

export interface KillSwitchesInput {
  server?: KillSwitchInput;
  capabilities?: Record<string, KillSwitchInput>;
}

export function normaliseSwitch(input: KillSwitchInput): KillSwitch {
  return { env: { ...input.env }, args: input.arg === undefined ? [] : Array.isArray(input.arg) ? [...input.arg] : [input.arg] };
}

/** The top-level `killSwitches` with a target's own over it (the server switch replaced, capabilities by name). */
export function mergeKillSwitches(top: KillSwitchesInput | undefined, target: KillSwitchesInput | undefined): DeclaredKillSwitches | undefined {
  if (top === undefined && target === undefined) return undefined;
  const server = target?.server ?? top?.server;
  const capabilities: Record<string, KillSwitch> = {};
  for (const [name, input] of Object.entries({ ...top?.capabilities, ...target?.capabilities })) capabilities[name] = normaliseSwitch(input);
  return { ...(server !== undefined ? { server: normaliseSwitch(server) } : {}), capabilities };
}

/** `MCP_DISABLED=1 --no-email`: how a switch is engaged, in words (values are masked by the engine). */
export function describeSwitch(engaged: KillSwitch): string {
  const parts = [...Object.entries(engaged.env).map(([name, value]) => `${name}=${value}`), ...engaged.args];
  return parts.length === 0 ? '(nothing)' : parts.join(' ');
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgsStringToArgv } from 'string-argv';
import { LIMIT_CEILINGS, parseByteSize, type HttpLaunch, type LimitOverrides, type TargetSpec } from '../discovery/target.js';
import { isLoopbackHost } from '../http/loopback.js';
import { closest } from '../engine/levenshtein.js';
import { mergedRuleMessage } from '../engine/rule-aliases.js';
import type { Level, LevelSetting, RuleMeta } from '../engine/types.js';
import { mergeKillSwitches, type DeclaredKillSwitches, type KillSwitchesInput } from '../killswitch/types.js';
import { describePath, displayPath, formatProblem, parseYaml, positionOf, validateAt, validateYaml, type ParsedYaml } from '../util/yaml-schema.js';
import { optionsValidator } from '../engine/options.js';
import type { PackRule } from '../engine/packs.js';
import { expandEnv } from './env.js';
import { readOwners, readRisk } from './readiness.js';
import { readSuppressions } from '../suppress/config.js';
import type { Suppression } from '../suppress/types.js';
import type { RiskDeclarations } from '../inventory/risk.js';
import type { DeclaredOwners } from '../repo/ownership.js';
import type { SecretAllowEntry } from '../repo/secrets.js';

/**
 * mcp-preflight.yaml: targets, rule levels and options, custom packs, the gate. Validated with ajv
 * against schemas/config.schema.json; every error names the file, the line, what was expected and,
 * for an unknown key or rule id, the closest valid name.
 */

export { CONFIG_FILE_NAMES, findConfig } from './find.js';
export const SCHEMA_COMMENT_PREFIX = '# yaml-language-server: $schema=';

/** A configuration mistake: one line, `file:line:column: problem`, exit 2. */
/** How many schema problems of a config one run reports (ESLint-style: fix them in one go). */
const MAX_REPORTED_PROBLEMS = 10;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ConfigTarget {
  name: string;
  spec: TargetSpec;
  /** Absolute source root, when given (for source rules). */
  source?: string;
  timeoutMs?: number;
  /** The target's `limits:` over the top-level ones (listing bounds; flags override both). */
  limits?: ConfigLimits;
  /** Kill switches: the top-level `killSwitches` with the target's own over it. */
  killSwitches?: DeclaredKillSwitches;
  /** Line of the target's entry in the config (SARIF anchor for its live findings). */
  line: number;
  /** The file that declares it, when not the config itself (a client config, --mcp-config). */
  file?: string;
}

/** `limits:` — listing bounds per list, in the names of DiscoveryLimits; only the keys given. */
export type ConfigLimits = LimitOverrides;

export interface RuleSetting {
  level?: LevelSetting;
  options?: Record<string, unknown>;
}

export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** The path shown in messages (relative to the current directory when inside it). */
  displayFile: string;
  targets: ConfigTarget[];
  rules: Record<string, RuleSetting>;
  /** Absolute paths of custom packs. */
  packs: string[];
  gate: { failOn?: Level; maxWarnings?: number };
  timeoutMs?: number;
  /** The top-level `limits:` (every target, and a --stdio/--url target). */
  limits?: ConfigLimits;
  concurrency?: number;
  sarifRoot?: string;
  /** `secrets.allow`: committed secrets that are known and accepted (src/repo/secrets.ts); every entry has a reason. */
  secrets?: { allow: SecretAllowEntry[] };
  /** The top-level `killSwitches` (applies to every target, and to a --stdio/--url target). */
  killSwitches?: DeclaredKillSwitches;
  /** `probe:` — tools to call besides read-only ones, and the per-call timeout; used only with `check --probe`. */
  probe?: { allow: string[]; timeoutMs?: number; roots?: string[] };
  /** `owners:` — who answers for the server (read by the ownership rules), with its lines. */
  owners?: DeclaredOwners;
  /** `risk:` — asserted risk classes and approval/tenant notes per capability (risk table, `risk/class-mismatch`). */
  risk?: RiskDeclarations;
  /** `lockfile:` — the capability lockfile `check` compares with and `lock` writes (absolute). */
  lockfile?: string;
  /** `suppress:` — findings accepted with a reason, per rule and capability (src/suppress). */
  suppress?: Suppression[];
  /** `baseline:` — the baseline file `check` gates against and `baseline` writes (absolute). */
  baseline?: string;
  /** Reserved sections (baseline, lockfile), kept as written. */
  reserved: Record<string, unknown>;
  /** For did-you-mean errors about rule ids, after the packs are loaded. */
  parsed: ParsedYaml;
}

interface RawTarget {
  name: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  source?: string;
  timeout?: number;
  limits?: RawLimits;
  killSwitches?: KillSwitchesInput;
}

interface RawLimits {
  maxPages?: number;
  maxItems?: number;
  maxListBytes?: number | string;
}

interface RawConfig {
  version?: 1;
  targets?: RawTarget[];
  rules?: Record<string, LevelSetting | RuleSetting>;
  packs?: string[];
  gate?: { failOn?: Level; maxWarnings?: number };
  timeout?: number;
  limits?: RawLimits;
  concurrency?: number;
  sarifRoot?: string;
  probe?: { allow?: string[]; timeout?: number; roots?: string[] };
  [reserved: string]: unknown;
}

const RESERVED = ['baseline', 'lockfile'];
const STDIO_KEYS = ['command', 'args', 'env', 'cwd'] as const;
const HTTP_KEYS = ['url', 'headers'] as const;

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`${displayPath(absolute)}: cannot be read (${(error as Error).message})`);
  }
  return parseConfig(text, absolute, env);
}

export function parseConfig(text: string, absoluteFile: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = displayPath(absoluteFile);
  const parsed = parseYaml(text);
  if ('problem' in parsed) throw new ConfigError(formatProblem(file, parsed.problem));
  const fail = (at: Array<string | number>, message: string, key?: string): never => {
    throw new ConfigError(formatProblem(file, { ...positionOf(parsed, at, key), message }));
  };
  if (parsed.data === null || parsed.data === undefined) fail([], 'is empty; run "mcp-preflight init" to write a commented config');
  if (typeof parsed.data !== 'object' || Array.isArray(parsed.data)) fail([], 'must be a mapping (targets, rules, packs, gate, …)');

  const expanded = expandEnv(parsed.data, env);
  const unset = expanded.unset[0];
  if (unset !== undefined) {
    fail(
      unset.path,
      `\${${unset.name}} is not set in the environment (used in "${describePath(unset.path)}"); export it, or write $\${${unset.name}} for a literal`,
    );
  }
  const problems = validateYaml('config', { ...parsed, data: expanded.value });
  if (problems.length > 0) {
    // All of them at once (up to MAX_REPORTED_PROBLEMS), each on its own file:line:col line, so one
    // edit fixes them all; the CLI prefixes every line.
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).map((problem) => formatProblem(file, problem));
    const rest = problems.length - shown.length;
    throw new ConfigError([...shown, ...(rest > 0 ? [`${file}: and ${rest} more problem${rest === 1 ? '' : 's'}`] : [])].join('\n'));
  }
  const raw = expanded.value as RawConfig;
  const directory = path.dirname(absoluteFile);

  const targets: ConfigTarget[] = [];
  const names = new Set<string>();
  (raw.targets ?? []).forEach((target, index) => {
    const at = ['targets', index];
    if (names.has(target.name)) fail([...at, 'name'], `target name "${target.name}" is used twice; names must be unique`);
    names.add(target.name);
    const built = toTarget(target, directory, at, fail, positionOf(parsed, at)?.line ?? 1);
    const limits = { ...readLimits(raw.limits, ['limits'], fail), ...readLimits(target.limits, [...at, 'limits'], fail) };
    if (Object.keys(limits).length > 0) built.limits = limits;
    const killSwitches = mergeKillSwitches(raw.killSwitches as KillSwitchesInput | undefined, target.killSwitches);
    targets.push(killSwitches === undefined ? built : { ...built, killSwitches });
  });

  const rules: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(raw.rules ?? {})) {
    // `warn` is ESLint's spelling of `warning`; both are accepted, as on the command line.
    const level = (value: string | undefined) => (value === 'warn' ? 'warning' : value) as LevelSetting | undefined;
    rules[id] =
      typeof setting === 'string' ? { level: level(setting)! } : { ...setting, ...(setting.level !== undefined ? { level: level(setting.level)! } : {}) };
  }

  const reserved: Record<string, unknown> = {};
  for (const key of RESERVED) if (raw[key] !== undefined) reserved[key] = raw[key];

  return {
    file: absoluteFile,
    displayFile: file,
    targets,
    rules,
    packs: (raw.packs ?? []).map((pack) => path.resolve(directory, pack)),
    gate: { ...raw.gate },
    ...(raw.timeout !== undefined ? { timeoutMs: Math.round(raw.timeout * 1000) } : {}),
    ...(raw.limits !== undefined ? { limits: readLimits(raw.limits, ['limits'], fail) } : {}),
    ...(raw.concurrency !== undefined ? { concurrency: raw.concurrency } : {}),
    ...(raw.sarifRoot !== undefined ? { sarifRoot: path.resolve(directory, raw.sarifRoot) } : {}),
    ...(isSecretsSection(raw.secrets) ? { secrets: { allow: secretsAllow(raw.secrets, fail) } } : {}),
    ...(raw.killSwitches !== undefined ? { killSwitches: mergeKillSwitches(raw.killSwitches as KillSwitchesInput, undefined)! } : {}),
    ...(raw.probe !== undefined
      ? {
          probe: {
            allow: [...(raw.probe.allow ?? [])],
            ...(raw.probe.timeout !== undefined ? { timeoutMs: Math.round(raw.probe.timeout * 1000) } : {}),
            ...(raw.probe.roots !== undefined ? { roots: raw.probe.roots.map((root) => path.resolve(directory, root)) } : {}),
          },
        }
      : {}),
    ...(raw.owners !== undefined ? { owners: readOwners(raw.owners, parsed, absoluteFile)! } : {}),
    ...(raw.risk !== undefined ? { risk: readRisk(raw.risk, parsed, absoluteFile)! } : {}),
    ...(typeof raw.lockfile === 'string' ? { lockfile: path.resolve(directory, raw.lockfile) } : {}),
    ...(raw.suppress !== undefined ? { suppress: readSuppressions(raw.suppress, parsed, absoluteFile) } : {}),
    ...(typeof raw.baseline === 'string' ? { baseline: path.resolve(directory, raw.baseline) } : {}),
    reserved,
    parsed,
  };
}

/** Shape already checked by the schema; a size string is read here (and its range checked). */
function readLimits(raw: RawLimits | undefined, at: Array<string | number>, fail: (at: Array<string | number>, message: string) => never): ConfigLimits {
  if (raw === undefined) return {};
  const limits: ConfigLimits = {};
  if (raw.maxPages !== undefined) limits.maxPagesPerList = raw.maxPages;
  if (raw.maxItems !== undefined) limits.maxItemsPerList = raw.maxItems;
  if (raw.maxListBytes !== undefined) {
    const bytes = parseByteSize(raw.maxListBytes);
    if (bytes === undefined || bytes < 1024 || bytes > LIMIT_CEILINGS.maxListBytes)
      fail([...at, 'maxListBytes'], `"maxListBytes" must be a size from 1KiB to 4GiB (e.g. 64MiB), got "${raw.maxListBytes}"`);
    limits.maxBytesPerList = bytes;
  }
  return limits;
}

/** Shape already checked by the schema (an entry without a reason is a config error there). */
function isSecretsSection(value: unknown): value is { allow?: SecretAllowEntry[] } {
  return typeof value === 'object' && value !== null;
}

function secretsAllow(section: { allow?: SecretAllowEntry[] }, fail: (at: Array<string | number>, message: string) => never): SecretAllowEntry[] {
  return (section.allow ?? []).map((entry, index) => {
    if (entry.path === undefined && entry.value === undefined)
      fail(['secrets', 'allow', index], '"secrets.allow" entry needs "path" or "value" (or both): which secret does it allow?');
    return { ...entry };
  });
}

function toTarget(
  raw: RawTarget,
  directory: string,
  at: Array<string | number>,
  fail: (at: Array<string | number>, message: string, key?: string) => never,
  line: number,
): ConfigTarget {
  // `command` and `url` together: a launched HTTP target (mcp-preflight starts the command, scans the url, stops it).
  const launched = raw.command !== undefined && raw.url !== undefined;
  const isStdio = raw.command !== undefined && !launched;
  const isHttp = raw.url !== undefined;
  if (!isStdio && !isHttp) fail(at, `target "${raw.name}" needs "command" (stdio) or "url" (HTTP), or both (an HTTP server mcp-preflight starts)`);
  const stray = launched ? undefined : (isStdio ? HTTP_KEYS : STDIO_KEYS).find((key) => raw[key] !== undefined);
  if (stray !== undefined) fail([...at, stray], `"${stray}" applies to ${isStdio ? 'HTTP (url)' : 'stdio (command)'} targets only`, undefined);
  const base = {
    name: raw.name,
    line,
    ...(raw.source !== undefined ? { source: path.resolve(directory, raw.source) } : {}),
    ...(raw.timeout !== undefined ? { timeoutMs: Math.round(raw.timeout * 1000) } : {}),
  };
  let launch: HttpLaunch | undefined;
  if (raw.command !== undefined) {
    const argv = raw.args === undefined ? parseArgsStringToArgv(raw.command) : [raw.command, ...raw.args];
    const [command, ...args] = argv;
    if (command === undefined || command.trim() === '') fail([...at, 'command'], '"command" needs a command line, e.g. "node dist/server.js"');
    const cwd = path.resolve(directory, raw.cwd ?? '.');
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) fail([...at, 'cwd'], `"cwd" ${raw.cwd}: no such directory`);
    if (isStdio) return { ...base, spec: { kind: 'stdio', name: raw.name, command, args, env: { ...raw.env }, cwd } };
    launch = { command, args, env: { ...raw.env }, cwd };
  }
  let url: URL;
  try {
    url = new URL(raw.url!);
  } catch {
    return fail([...at, 'url'], `"url" is not a valid URL (expected e.g. http://127.0.0.1:3000/mcp)`);
  }
  if (url.username || url.password) fail([...at, 'url'], '"url" must not carry credentials; send them in "headers"');
  if (launch !== undefined && !isLoopbackHost(url.hostname))
    fail([...at, 'url'], '"url" of a target with "command" must be a loopback address (127.0.0.1, ::1, localhost): mcp-preflight starts that server itself');
  return { ...base, spec: { kind: 'http', name: raw.name, url: url.href, headers: { ...raw.headers }, ...(launch ? { launch } : {}) } };
}

/** Rejects a rule id in `rules:` that no loaded pack declares, naming the line and the closest id. */
export function checkRuleIds(config: LoadedConfig, rules: readonly RuleMeta[]): void {
  const known = rules.map((rule) => rule.id);
  for (const id of Object.keys(config.rules)) {
    if (known.includes(id)) continue;
    const position = positionOf(config.parsed, ['rules'], id);
    const merged = mergedRuleMessage(id);
    if (merged !== undefined)
      throw new ConfigError(
        formatProblem(config.displayFile, { ...position, message: `rule id "${id}" in "rules": ${merged}; use the new id (docs/rule-ids.md)` }),
      );
    const suggestion = closest(id, known);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : ' (list them with "mcp-preflight rules")';
    throw new ConfigError(formatProblem(config.displayFile, { ...position, message: `unknown rule id "${id}" in "rules"${hint}` }));
  }
}

/**
 * Validates each `rules.<id>.options` of the config, merged over the pack's defaults, against the
 * rule's `optionsSchema`: a wrong type or an unknown key (with the closest option name) is a config
 * error at its line, before any target is started. Call after checkRuleIds.
 */
export function checkRuleOptions(config: LoadedConfig, rules: readonly PackRule[]): void {
  for (const [id, setting] of Object.entries(config.rules)) {
    if (setting.options === undefined) continue;
    const rule = rules.find((candidate) => candidate.id === id);
    if (rule === undefined) continue;
    const at = ['rules', id, 'options'];
    if (rule.optionsSchema === undefined && Object.keys(setting.options).length > 0) {
      const position = positionOf(config.parsed, at);
      throw new ConfigError(
        formatProblem(config.displayFile, { ...position, message: `rule "${id}" takes no options; remove "options" (see "mcp-preflight explain ${id}")` }),
      );
    }
    const problem = validateAt(optionsValidator(rule), { ...rule.options, ...setting.options }, config.parsed, at)[0];
    if (problem !== undefined) throw new ConfigError(formatProblem(config.displayFile, problem));
  }
}

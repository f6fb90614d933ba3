import { yaml } from '../util/lazy-yaml.js';
import type { DiscoveryLimits, TargetSpec } from '../discovery/target.js';
import type { Level, LevelSetting } from '../engine/types.js';
import { maskDeep } from '../secrets/index.js';
import type { RiskDeclarations } from '../inventory/risk.js';
import type { OwnersDeclaration } from '../repo/ownership.js';
import type { RuleSetting } from './load.js';

/** What `check` will actually do after config and flags are merged; printed by --print-config. */
export interface EffectiveConfig {
  configFile?: string;
  targets: Array<{ spec: TargetSpec; source?: string; timeoutMs: number; limits?: DiscoveryLimits; line?: number }>;
  rules: Record<string, RuleSetting>;
  /** Per-rule levels after --rule overrides. */
  levels: Record<string, LevelSetting>;
  packs: string[];
  gate: { failOn: Level; maxWarnings?: number };
  concurrency: number;
  sarifRoot?: string;
  reserved: Record<string, unknown>;
  /** The config's `owners:` and `risk:` sections. */
  owners?: OwnersDeclaration;
  risk?: RiskDeclarations;
  /** The config's `probe:` section (used only with --probe). */
  probe?: { allow: string[]; timeoutMs?: number; roots?: string[] };
}

const MASK = '****';

function maskAll(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(values).map((key) => [key, MASK]));
}

/** The effective configuration as YAML, every env and header value masked whole, other secrets masked. */
export function renderEffectiveConfig(config: EffectiveConfig): string {
  const targets = config.targets.map(({ spec, source, timeoutMs, limits }) => {
    const common = {
      name: spec.name,
      ...(source ? { source } : {}),
      timeout: timeoutMs / 1000,
      ...(limits ? { limits: { maxPages: limits.maxPagesPerList, maxItems: limits.maxItemsPerList, maxListBytes: limits.maxBytesPerList } } : {}),
    };
    return spec.kind === 'stdio'
      ? { ...common, command: spec.command, args: spec.args, cwd: spec.cwd, env: maskAll(spec.env) }
      : { ...common, url: spec.url, headers: maskAll(spec.headers) };
  });
  const rules: Record<string, unknown> = {};
  for (const id of [...new Set([...Object.keys(config.rules), ...Object.keys(config.levels)])].sort()) {
    const setting = config.rules[id] ?? {};
    const level = config.levels[id] ?? setting.level;
    rules[id] = setting.options === undefined ? level : { ...(level ? { level } : {}), options: setting.options };
  }
  const document = {
    ...(config.configFile ? { config: config.configFile } : {}),
    targets,
    rules,
    packs: config.packs,
    gate: config.gate,
    concurrency: config.concurrency,
    ...(config.sarifRoot ? { sarifRoot: config.sarifRoot } : {}),
    ...(config.probe
      ? {
          probe: {
            allow: config.probe.allow,
            ...(config.probe.timeoutMs !== undefined ? { timeout: config.probe.timeoutMs / 1000 } : {}),
            ...(config.probe.roots ? { roots: config.probe.roots } : {}),
          },
        }
      : {}),
    ...(config.owners ? { owners: config.owners } : {}),
    ...(config.risk ? { risk: withoutPositions(config.risk) } : {}),
    ...config.reserved,
  };
  return `# mcp-preflight effective configuration (secrets masked)\n${yaml().stringify(maskDeep(document), { lineWidth: 0 })}`;
}

/** `risk:` as written: the declarations without the line each was read from. */
function withoutPositions(risk: RiskDeclarations): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(risk).map(([kind, byName]) => [
      kind,
      Object.fromEntries(Object.entries(byName ?? {}).map(([name, { at: _at, ...declaration }]) => [name, declaration])),
    ]),
  );
}

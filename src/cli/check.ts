import { Command, Option } from 'commander';
import { DEFAULT_LIMITS } from '../discovery/target.js';
import { loadBuiltinRules } from '../engine/packs.js';
import { runRules, suggestRuleId } from '../engine/run.js';
import type { Level, LevelSetting, RuleMeta } from '../engine/types.js';
import { decideGate } from '../gate/gate.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import type { CheckReport, TargetResult } from '../report/types.js';
import { collectTarget } from '../collect/collect-target.js';
import { TOOL_VERSION } from '../version.js';
import { UsageError } from './errors.js';
import { printFailure } from './failure.js';
import { planOutputs, useColor, writeOutput } from './output.js';
import { resolveSarifRoot } from './sarif-root.js';
import { addTargetOptions, parseTimeoutMs, targetFromFlags, type TargetFlags } from './target-options.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type CheckFormat = (typeof FORMATS)[number];

interface CheckFlags extends TargetFlags {
  format: string[];
  output: string[];
  failOn: Level;
  maxWarnings?: string;
  rule: string[];
  sarifRoot?: string;
  color?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const CHECK_HELP_FOOTER = `
Exit codes:
  0  passed: no finding at or above --fail-on, and warnings within --max-warnings
  1  gate failed
  2  usage or configuration error (bad flag, unknown rule id, unwritable output)
  3  the target could not be reached or discovered (reason on stderr)

Examples:
  $ mcp-preflight check --stdio "node dist/server.js"
  $ mcp-preflight check --stdio "node dist/server.js" --env API_KEY --format sarif --output mcp.sarif
  $ mcp-preflight check --url http://127.0.0.1:3000/mcp --header "Authorization: Bearer $TOKEN"
  $ mcp-preflight check --stdio "npx -y my-mcp-server" --fail-on warning --rule schema/open-input-schema=off`;

export function checkCommand(): Command {
  const command = new Command('check').description('discover a server, run every rule, report, and pass or fail the gate');
  addTargetOptions(command);
  command
    .option('-f, --format <formats>', `output formats, comma-separated or repeated: ${FORMATS.join(', ')} (default: text)`, collect, [])
    .option('-o, --output <files>', 'write the formats to these files, in order (the text report still goes to stdout)', collect, [])
    .addOption(new Option('--fail-on <level>', 'lowest finding level that fails the gate').choices(['error', 'warning', 'note']).default('error'))
    .option('--max-warnings <n>', 'fail the gate when there are more than n warnings')
    .option('--rule <id=level>', 'set a rule to off, note, warning or error (repeatable)', collect, [])
    .option('--sarif-root <dir>', 'directory SARIF paths are relative to (default: the git repository root, else the current directory)')
    .option('--no-color', 'no colours in the text report (also NO_COLOR, or when stdout is not a terminal)')
    .addHelpText('after', CHECK_HELP_FOOTER);
  return command;
}

export function parseRuleLevels(entries: string[], rules: readonly RuleMeta[]): Record<string, LevelSetting> {
  const levels: Record<string, LevelSetting> = {};
  for (const entry of entries) {
    const [id, level] = entry.split('=');
    if (!id || !level || !['off', 'note', 'warning', 'error'].includes(level)) {
      throw new UsageError(`--rule ${entry}: expected <rule-id>=<off|note|warning|error>`);
    }
    if (!rules.some((rule) => rule.id === id)) {
      const suggestion = suggestRuleId(rules, id);
      throw new UsageError(`--rule ${entry}: unknown rule id "${id}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (list them with "mcp-preflight rules")`);
    }
    levels[id] = level as LevelSetting;
  }
  return levels;
}

function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new UsageError(`--max-warnings must be a whole number of 0 or more, got "${value}"`);
  return count;
}

export async function runCheck(flags: CheckFlags): Promise<number> {
  const spec = targetFromFlags(flags);
  const limits = { ...DEFAULT_LIMITS, timeoutMs: parseTimeoutMs(flags.timeout) };
  const outputs = planOutputs<CheckFormat>(flags.format, flags.output, FORMATS, 'text');
  const maxWarnings = parseMaxWarnings(flags.maxWarnings);
  const allRules = loadBuiltinRules();
  const levels = parseRuleLevels(flags.rule, allRules);
  const enabledRules = allRules.filter((rule) => levels[rule.id] !== 'off');
  const workingDirectory = process.cwd();

  const collected = await collectTarget(spec, { limits, workingDirectory });
  const { inventory, failure } = collected;
  const run = inventory ? runRules(inventory, allRules, { levels, targetId: spec.name }) : { findings: [], outcomes: [] };
  const target: TargetResult = { ...collected, findings: run.findings, outcomes: run.outcomes };
  const gate = decideGate(run.findings, failure ? 1 : 0, { failOn: flags.failOn, ...(maxWarnings !== undefined ? { maxWarnings } : {}) });
  const report: CheckReport = {
    toolVersion: TOOL_VERSION,
    rules: enabledRules,
    targets: [target],
    gate,
    sarifRoot: resolveSarifRoot(flags.sarifRoot, workingDirectory),
  };

  if (failure) printFailure(failure);
  const color = useColor(flags.color);
  for (const output of outputs) {
    const content =
      output.format === 'sarif' ? renderSarif(report) : output.format === 'json' ? renderJson(report) : renderText(report, { color: color && output.file === undefined });
    writeOutput(output.file, content);
  }
  return gate.exitCode;
}

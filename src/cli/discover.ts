import path from 'node:path';
import { Chalk } from 'chalk';
import { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { riskInventory } from '../inventory/risk.js';
import type { Inventory } from '../inventory/model.js';
import { riskTextLines } from '../report/risk-table.js';
import { clean } from '../report/text.js';
import { discover } from '../discovery/discover.js';
import { DiscoveryError } from '../discovery/errors.js';
import { DEFAULT_LIMITS } from '../discovery/target.js';
import { renderInventoryText } from '../report/inventory-text.js';
import { EXIT } from './errors.js';
import { failureOf } from '../collect/collect-target.js';
import { printFailure } from './failure.js';
import { checkOutputs, planOutputs, useColor, writeOutput } from './output.js';
import { addTargetOptions, limitsFromFlags, parseTimeoutMs, targetFromFlags, type TargetFlags } from './target-options.js';
import { isIncompletelyDiscovered } from '../discovery/completeness.js';
import { incompleteLine } from '../report/incomplete.js';
import { maskedJson, maskSecrets } from '../secrets/index.js';

const FORMATS = ['text', 'json'] as const;

interface DiscoverFlags extends TargetFlags {
  format: string;
  output?: string;
  color?: boolean;
  risk?: boolean;
  config?: string;
}

export function discoverCommand(): Command {
  const command = new Command('discover').description('connect to a server and list everything it exposes (no rules, no gate)');
  addTargetOptions(command);
  command
    .option('-f, --format <format>', 'text or json (the versioned Inventory document, see docs/inventory-json.md)', 'text')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option(
      '--risk',
      'also print every capability ranked by risk class (exec, destructive, write, open-world, read-only) with the reasons; the JSON always has it ("risk")',
    )
    .option('-c, --config <file>', "read the config's risk declarations (risk: asserted classes, approval and tenant notes) for the risk table, and its limits")
    .option('--allow-incomplete', 'exit 0 even when a list was cut short (the line on stderr and "complete": false stay)')
    .option('--no-color', 'no colours (also NO_COLOR, or when stdout is not a terminal)')
    .addHelpText(
      'after',
      `
Exit codes:
  0  discovered
  2  usage error
  3  the target could not be reached or discovered, or a list was cut short at a bound or failed
     (the inventory is still written, with "complete": false on that list; reason on stderr)

Examples:
  $ mcp-preflight discover --stdio "node dist/server.js"
  $ mcp-preflight discover --url http://127.0.0.1:3000/mcp --format json --output inventory.json
  $ mcp-preflight discover --stdio "node dist/server.js" --risk --config mcp-preflight.yaml`,
    );
  return command;
}

export async function runDiscover(flags: DiscoverFlags): Promise<number> {
  const spec = targetFromFlags(flags);
  const riskConfig = flags.config === undefined ? undefined : loadConfig(path.resolve(flags.config));
  const limits = { ...DEFAULT_LIMITS, ...riskConfig?.limits, ...limitsFromFlags(flags), timeoutMs: parseTimeoutMs(flags.timeout) };
  const [output] = planOutputs(flags.format ? [flags.format] : [], flags.output ? [flags.output] : [], FORMATS, 'text');
  checkOutputs([output!]);
  try {
    const inventory = await discover(spec, limits);
    inventory.risk = riskInventory(inventory, riskConfig?.risk);
    const color = useColor(flags.color) && output!.file === undefined;
    const content =
      output!.format === 'json' ? maskedJson(inventory, 2) : renderInventoryText(inventory, { color }) + (flags.risk ? riskSection(inventory, color) : '');
    writeOutput(output!.file, content);
    if (!isIncompletelyDiscovered(inventory)) return EXIT.passed;
    const line = incompleteLine(
      spec.name,
      inventory,
      flags.allowIncomplete ? { note: '--allow-incomplete: exit 0' } : { alternative: 'or pass --allow-incomplete to exit 0 anyway' },
    );
    process.stderr.write(`mcp-preflight: ${maskSecrets(line!)}\n`);
    return flags.allowIncomplete ? EXIT.passed : EXIT.unreachable;
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    printFailure(failureOf(error, spec.name));
    return EXIT.unreachable;
  }
}

/** `discover --risk`: the whole ranked risk table after the inventory. */
function riskSection(inventory: Inventory, color: boolean): string {
  const lines = riskTextLines(inventory.risk, { c: new Chalk({ level: color ? 1 : 0 }), escape: clean, indent: '', rowIndent: '  ' });
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

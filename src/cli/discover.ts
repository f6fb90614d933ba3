import { Command } from 'commander';
import { discover } from '../discovery/discover.js';
import { DiscoveryError } from '../discovery/errors.js';
import { DEFAULT_LIMITS } from '../discovery/target.js';
import { renderInventoryText } from '../report/inventory-text.js';
import { maskDeep } from '../secrets/index.js';
import { EXIT } from './errors.js';
import { failureOf } from '../collect/collect-target.js';
import { printFailure } from './failure.js';
import { planOutputs, useColor, writeOutput } from './output.js';
import { addTargetOptions, parseTimeoutMs, targetFromFlags, type TargetFlags } from './target-options.js';

const FORMATS = ['text', 'json'] as const;

interface DiscoverFlags extends TargetFlags {
  format: string;
  output?: string;
  color?: boolean;
}

export function discoverCommand(): Command {
  const command = new Command('discover').description('connect to a server and list everything it exposes (no rules, no gate)');
  addTargetOptions(command);
  command
    .option('-f, --format <format>', 'text or json (the versioned Inventory document, see docs/inventory-json.md)', 'text')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--no-color', 'no colours (also NO_COLOR, or when stdout is not a terminal)')
    .addHelpText(
      'after',
      `
Exit codes:
  0  discovered
  2  usage error
  3  the target could not be reached or discovered (reason on stderr)

Examples:
  $ mcp-preflight discover --stdio "node dist/server.js"
  $ mcp-preflight discover --url http://127.0.0.1:3000/mcp --format json --output inventory.json`,
    );
  return command;
}

export async function runDiscover(flags: DiscoverFlags): Promise<number> {
  const spec = targetFromFlags(flags);
  const limits = { ...DEFAULT_LIMITS, timeoutMs: parseTimeoutMs(flags.timeout) };
  const [output] = planOutputs(flags.format ? [flags.format] : [], flags.output ? [flags.output] : [], FORMATS, 'text');
  try {
    const inventory = await discover(spec, limits);
    const content =
      output!.format === 'json'
        ? JSON.stringify(maskDeep(inventory), null, 2)
        : renderInventoryText(inventory, { color: useColor(flags.color) && output!.file === undefined });
    writeOutput(output!.file, content);
    return EXIT.passed;
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    printFailure(failureOf(error, spec.name));
    return EXIT.unreachable;
  }
}

import { Command, Option } from 'commander';
import type { LoadedConfig } from '../config/load.js';
import { maskSecrets } from '../secrets/index.js';
import { resolveConfig } from './check.js';
import { UsageError } from './errors.js';
import { writeOutput } from './output.js';

const TARGET_FORMATS = ['text', 'json', 'github-matrix'] as const;

interface TargetsFlags {
  config?: string;
  format: (typeof TARGET_FORMATS)[number];
}

export function targetsCommand(): Command {
  return new Command('targets')
    .description("print the config's targets, for a CI matrix (one job per target: check --target NAME)")
    .option('-c, --config <file>', 'configuration file (default: mcp-preflight.yaml or .mcp-preflight.yaml in the current directory)')
    .addOption(
      new Option('-f, --format <format>', 'text (a name per line), json, or github-matrix (a strategy.matrix value)')
        .choices([...TARGET_FORMATS])
        .default('text'),
    )
    .addHelpText(
      'after',
      `
Only names and kinds are printed, never commands, URLs, headers or env values. Variables the config
references (\${NAME}) need not be set: listing targets needs no secrets.

Exit codes: 0 listed, 2 no config, no targets, or an invalid config.

Examples:
  $ mcp-preflight targets
  $ echo "matrix=$(mcp-preflight targets --format github-matrix)" >> "$GITHUB_OUTPUT"`,
    );
}

/**
 * Listing the targets must work in a job that holds no secrets, so unset `${NAME}` references are
 * filled with a harmless loopback URL that is valid wherever the config allows a reference; the
 * values never leave this command (only names and kinds are printed).
 */
const PLACEHOLDER = 'http://127.0.0.1/';
const envForListing = new Proxy(process.env, {
  get: (env, name) => (typeof name === 'string' ? (env[name] ?? PLACEHOLDER) : undefined),
});

export function runTargets(flags: TargetsFlags): number {
  const config: LoadedConfig | undefined = resolveConfig(flags.config, process.cwd(), envForListing);
  if (config === undefined) throw new UsageError('no config: give --config FILE, or write mcp-preflight.yaml with "mcp-preflight init"');
  if (config.targets.length === 0) throw new UsageError(`${config.displayFile}: no targets; add some under "targets"`);
  const targets = config.targets.map((target) => ({ name: target.name, kind: target.spec.kind }));
  const text =
    flags.format === 'json'
      ? JSON.stringify(targets, null, 2)
      : flags.format === 'github-matrix'
        ? JSON.stringify({ include: targets.map((target) => ({ target: target.name, kind: target.kind })) })
        : targets.map((target) => target.name).join('\n');
  writeOutput(undefined, maskSecrets(text));
  return 0;
}

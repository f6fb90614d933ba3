import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { CONFIG_FILE_NAMES } from '../config/load.js';
import { UsageError } from './errors.js';
import { writeOutput } from './output.js';
import { REPOSITORY_URL } from '../version.js';

export const SCHEMA_URL = `${REPOSITORY_URL.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/schemas/config.schema.json`;
const LOCAL_SCHEMA = 'node_modules/mcp-preflight/schemas/config.schema.json';

interface InitFlags {
  output?: string;
  force?: boolean;
}

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented mcp-preflight.yaml, with the stdio command taken from package.json')
    .option('-o, --output <file>', `where to write it (default: ${CONFIG_FILE_NAMES[0]})`)
    .option('--force', 'overwrite an existing file')
    .addHelpText(
      'after',
      `
The command comes from package.json: its "bin" (node <bin>), else its "start" script. The file starts
with a yaml-language-server $schema line, so editors complete and check it.

Exit codes:
  0  written
  2  the file exists (use --force) or cannot be written

Examples:
  $ mcp-preflight init
  $ mcp-preflight init --output ci/mcp-preflight.yaml --force`,
    );
}

export interface CommandSuggestion {
  command: string;
  /** Where it came from, for the comment above it. */
  from: string;
}

/** The stdio command line a config should start with, from package.json's bin or start script. */
export function suggestCommand(directory: string): CommandSuggestion | undefined {
  let manifest: { bin?: unknown; scripts?: Record<string, unknown>; name?: unknown };
  try {
    manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    return undefined;
  }
  const bin =
    typeof manifest.bin === 'string'
      ? manifest.bin
      : typeof manifest.bin === 'object' && manifest.bin !== null
        ? (Object.values(manifest.bin) as unknown[])[0]
        : undefined;
  if (typeof bin === 'string' && bin.trim() !== '') return { command: `node ${bin.replace(/^\.\//, '')}`, from: 'package.json "bin"' };
  const start = manifest.scripts?.start;
  if (typeof start === 'string' && start.trim() !== '') {
    // npm prints banners on stdout, which would corrupt the stdio protocol: run the script's own command.
    return { command: start.trim(), from: 'package.json "start" script' };
  }
  return undefined;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

export function renderInitConfig(directory: string): string {
  const suggestion = suggestCommand(directory);
  const schema = existsSync(path.join(directory, LOCAL_SCHEMA)) ? `./${LOCAL_SCHEMA}` : SCHEMA_URL;
  const name =
    path
      .basename(directory)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-') || 'server';
  return `# yaml-language-server: $schema=${schema}
# mcp-preflight configuration: run "mcp-preflight check" in this directory.
# Reference: ${REPOSITORY_URL}/blob/main/docs/config.md
version: 1

# The servers to scan. Each is a stdio command or an HTTP URL; "check" scans them all
# (pick some with --target NAME). Write secrets as \${NAME}: they are read from the
# environment at run time and never written back or printed.
targets:
  - name: ${quote(name)}
    # ${suggestion ? `From ${suggestion.from}.` : 'TODO: the command that starts your server over stdio.'}
    command: ${quote(suggestion?.command ?? 'node dist/server.js')}
    # env:
    #   API_TOKEN: \${API_TOKEN}
    # source: ./src
  # - name: staging
  #   url: https://staging.example.com/mcp
  #   headers:
  #     Authorization: Bearer \${STAGING_TOKEN}

# Rule levels: off, note, warning, error ("mcp-preflight rules" lists them), or
# { level, options } to change a rule's token lists and thresholds.
rules: {}
#   schema/open-input-schema: warning
#   design/shell-like-tool: off

# Your own rules, written in YAML (see docs/custom-packs.md).
packs: []
#   - ./security/our-pack.yaml

# When "check" fails: findings at or above failOn, or more warnings than maxWarnings.
gate:
  failOn: error
  # maxWarnings: 10

# How many targets are scanned at once, and the time budget per target in seconds.
# concurrency: 4
# timeout: 30

# How much of each list is read. A list that reaches a bound before its last page was not
# seen whole: exit 3 (check --allow-incomplete: an error finding that fails the gate).
# limits:
#   maxPages: 500
#   maxItems: 50000
#   maxListBytes: 64MiB

# How an operator turns the server, or one tool, off without a deploy ("check
# --verify-kill-switches" relaunches a stdio server with each switch to prove it).
# killSwitches:
#   server: { env: { MCP_DISABLED: "1" } }
#   capabilities:
#     delete_file: { env: { DISABLE_WRITES: "1" } }
`;
}

export function runInit(flags: InitFlags): number {
  const directory = process.cwd();
  const file = path.resolve(directory, flags.output ?? CONFIG_FILE_NAMES[0]);
  if (existsSync(file) && !flags.force) throw new UsageError(`${path.relative(directory, file) || file} already exists; use --force to overwrite it`);
  writeOutput(file, renderInitConfig(directory));
  process.stdout.write(`wrote ${path.relative(directory, file) || file}; run "mcp-preflight check" to scan\n`);
  return 0;
}

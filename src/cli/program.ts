import { Command } from 'commander';
import { maskSecrets } from '../secrets/index.js';
import { TOOL_VERSION } from '../version.js';

/**
 * The command line. Each command's module (and what it imports: the MCP client, the rules, the
 * reporters, ts-morph) is loaded only when that command runs, so `--version`, `--help` and `rules`
 * start fast. The root help lists every command from a light stub with the same term and
 * description as the real one (test/e2e/startup.test.ts keeps them equal).
 */

type Flags = Record<string, unknown>;

interface CommandEntry {
  name: string;
  /** What the root help shows after the name: the real command's options and arguments. */
  args: string;
  description: string;
  load: () => Promise<Command>;
}

const withAction = (command: Command, run: (...args: never[]) => number | Promise<number>) =>
  command.action(async (...args: unknown[]) => {
    process.exitCode = await run(...(args as never[]));
  });

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    args: '',
    description: 'discover the targets, run every rule, report, and pass or fail the gate',
    load: async () => {
      const { checkCommand, runCheck } = await import('./check.js');
      return withAction(checkCommand(), (flags: Flags) => runCheck(flags as never));
    },
  },
  {
    name: 'discover',
    args: '',
    description: 'connect to a server and list everything it exposes (no rules, no gate)',
    load: async () => {
      const { discoverCommand, runDiscover } = await import('./discover.js');
      return withAction(discoverCommand(), (flags: Flags) => runDiscover(flags as never));
    },
  },
  {
    name: 'rules',
    args: '',
    description: 'list every rule: id, level, pack, facts needed, title',
    load: async () => {
      const { rulesCommand, runRulesCommand } = await import('./rules.js');
      return withAction(rulesCommand(), (flags: Flags) => runRulesCommand(flags as never));
    },
  },
  {
    name: 'explain',
    args: '<rule-id>',
    description: 'why a rule matters, how to fix it, a bad and a good example, references',
    load: async () => {
      const { explainCommand, runExplain } = await import('./rules.js');
      return withAction(explainCommand(), (id: string, flags: Flags) => runExplain(id, flags as never));
    },
  },
  {
    name: 'init',
    args: '',
    description: 'write a commented mcp-preflight.yaml, with the stdio command taken from package.json',
    load: async () => {
      const { initCommand, runInit } = await import('./init.js');
      return withAction(initCommand(), (flags: Flags) => runInit(flags));
    },
  },
  {
    name: 'targets',
    args: '',
    description: "print the config's targets, for a CI matrix (one job per target: check --target NAME)",
    load: async () => {
      const { runTargets, targetsCommand } = await import('./targets.js');
      return withAction(targetsCommand(), (flags: Flags) => runTargets(flags as never));
    },
  },
  {
    name: 'merge',
    args: '<files...>',
    description: 'combine per-target SARIF files (one run per target) into one upload, and with --gate decide the gate over all of them',
    load: async () => {
      const { mergeCommand, runMerge } = await import('./merge.js');
      return withAction(mergeCommand(), (files: string[], flags: Flags) => runMerge(files, flags));
    },
  },
  {
    name: 'lock',
    args: '',
    description: 'write the capability lockfile: the AI-facing surface of each target, for check --lockfile to compare with',
    load: async () => {
      const { lockCommand, runLock } = await import('./lock.js');
      return withAction(lockCommand(), (flags: Flags) => runLock(flags as never));
    },
  },
  {
    name: 'baseline',
    args: '',
    description: 'accept the current findings: write the baseline that check --baseline gates against',
    load: async () => {
      const { baselineCommand, runBaseline } = await import('./baseline.js');
      return withAction(baselineCommand(), (flags: Flags) => runBaseline(flags as never));
    },
  },
];

/** A command as the root help lists it; running it is never reached (the real one replaces it first). */
function stub(entry: CommandEntry): Command {
  const command = new Command(entry.name).description(entry.description).option('--options', 'see the command help');
  if (entry.args !== '') command.argument(entry.args);
  return command;
}

/** The command named on the command line (`check`, or `help check`), if any: the only one loaded. */
export function invokedCommand(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

export async function program(argv: readonly string[], load: (name: string) => boolean = (name) => name === invokedCommand(argv)): Promise<Command> {
  const root = new Command('mcp-preflight')
    .description('Decide whether an MCP server is ready for production: discover it, run the rule packs, report, gate.')
    .version(TOOL_VERSION, '-v, --version')
    .option('--debug', 'print stack traces for internal errors and a masked, bounded trace of the protocol traffic on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 passed, 1 gate failed, 2 usage or configuration error, 3 target unreachable.

Examples:
  $ mcp-preflight init                                   # write a commented mcp-preflight.yaml
  $ mcp-preflight check                                  # scan every target of the config
  $ mcp-preflight check --stdio "node dist/server.js" --format sarif --output mcp.sarif
  $ mcp-preflight baseline                               # accept today's findings: .mcp-preflight-baseline.json
  $ mcp-preflight lock                                   # pin the AI-facing surface: mcp-capabilities.lock.json
  $ mcp-preflight rules
  $ mcp-preflight explain design/shell-like-tool`,
    );
  // Commander echoes bad arguments ("argument 'ghp_…' is invalid"): its errors are masked too.
  root.configureOutput({ writeErr: (text) => process.stderr.write(maskSecrets(text)) });
  for (const entry of COMMANDS) {
    const command = load(entry.name) ? await entry.load() : stub(entry);
    command.exitOverride().showHelpAfterError(`(run "mcp-preflight ${entry.name} --help" for usage)`);
    command.configureOutput({ writeErr: (text) => process.stderr.write(maskSecrets(text)) });
    root.addCommand(command);
  }
  return root;
}

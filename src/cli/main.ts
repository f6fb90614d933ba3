import { Command, CommanderError } from 'commander';
import { maskSecrets } from '../secrets/index.js';
import { TOOL_VERSION } from '../version.js';
import { checkCommand, runCheck } from './check.js';
import { discoverCommand, runDiscover } from './discover.js';
import { initCommand, runInit } from './init.js';
import { lockCommand, runLock } from './lock.js';
import { baselineCommand, runBaseline } from './baseline.js';
import { explainCommand, rulesCommand, runExplain, runRulesCommand } from './rules.js';
import { ConfigError } from '../config/load.js';
import { PackError } from '../engine/packs.js';
import { EXIT, UsageError } from './errors.js';
import { setProtocolTrace } from '../discovery/trace.js';
import { mergeCommand, runMerge } from './merge.js';
import { runTargets, targetsCommand } from './targets.js';

const debug = process.argv.includes('--debug');
// --debug: a masked, bounded trace of the protocol traffic on stderr (src/discovery/trace.ts).
if (debug) setProtocolTrace((line) => process.stderr.write(`${line}\n`));

function program(): Command {
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
  const check = checkCommand().exitOverride().showHelpAfterError('(run "mcp-preflight check --help" for usage)');
  check.action(async (flags) => {
    process.exitCode = await runCheck(flags);
  });
  const discover = discoverCommand().exitOverride().showHelpAfterError('(run "mcp-preflight discover --help" for usage)');
  discover.action(async (flags) => {
    process.exitCode = await runDiscover(flags);
  });
  const rules = rulesCommand().exitOverride().showHelpAfterError('(run "mcp-preflight rules --help" for usage)');
  rules.action((flags) => {
    process.exitCode = runRulesCommand(flags);
  });
  const explain = explainCommand().exitOverride().showHelpAfterError('(run "mcp-preflight explain --help" for usage)');
  explain.action((id: string, flags) => {
    process.exitCode = runExplain(id, flags);
  });
  const init = initCommand().exitOverride().showHelpAfterError('(run "mcp-preflight init --help" for usage)');
  init.action((flags) => {
    process.exitCode = runInit(flags);
  });
  const targets = targetsCommand().exitOverride().showHelpAfterError('(run "mcp-preflight targets --help" for usage)');
  targets.action((flags) => {
    process.exitCode = runTargets(flags);
  });
  const merge = mergeCommand().exitOverride().showHelpAfterError('(run "mcp-preflight merge --help" for usage)');
  merge.action((files: string[], flags) => {
    process.exitCode = runMerge(files, flags);
  });
  const lock = lockCommand().exitOverride().showHelpAfterError('(run "mcp-preflight lock --help" for usage)');
  lock.action(async (flags) => {
    process.exitCode = await runLock(flags);
  });
  const baseline = baselineCommand().exitOverride().showHelpAfterError('(run "mcp-preflight baseline --help" for usage)');
  baseline.action(async (flags) => {
    process.exitCode = await runBaseline(flags);
  });
  // Commander echoes bad arguments ("argument 'ghp_…' is invalid"): its errors are masked too.
  for (const command of [root, check, discover, rules, explain, init, targets, merge, lock, baseline]) command.configureOutput({ writeErr: (text) => process.stderr.write(maskSecrets(text)) });
  root.addCommand(check);
  root.addCommand(discover);
  root.addCommand(rules);
  root.addCommand(explain);
  root.addCommand(init);
  root.addCommand(targets);
  root.addCommand(merge);
  root.addCommand(lock);
  root.addCommand(baseline);
  return root;
}

/** A server left behind by an interrupted scan would outlive us: exit through the 'exit' hooks. */
function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`mcp-preflight: interrupted (${signal})\n`);
      process.exit(130);
    });
  }
}

async function main(argv: string[]): Promise<void> {
  exitOnSignals();
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; commander already printed what it had to say.
      process.exitCode = error.exitCode === 0 ? EXIT.passed : EXIT.usage;
      return;
    }
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof PackError) {
      process.stderr.write(`mcp-preflight: ${maskSecrets(error.message)}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mcp-preflight: internal error: ${maskSecrets(message)} (run with --debug for details, and please report it)\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${maskSecrets(error.stack)}\n`);
    process.exitCode = EXIT.usage;
  }
  // Anything still holding the event loop (a stuck socket, a server that ignored every signal)
  // must not hang CI: the watchdog only fires if we would otherwise never exit.
  setTimeout(() => process.exit(), 3_000).unref();
}

await main(process.argv);

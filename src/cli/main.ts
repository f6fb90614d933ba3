import { EXIT, UsageError } from './errors.js';
import { fastPath } from './fast-path.js';

const debug = process.argv.includes('--debug');
// --debug: a masked, bounded trace of the protocol traffic on stderr (src/discovery/trace.ts).
if (debug) {
  const { setProtocolTrace } = await import('../discovery/trace.js');
  setProtocolTrace((line) => process.stderr.write(`${line}\n`));
}

/** A configuration or pack error: one line, exit 2. Their modules are loaded only if a command used them. */
function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || (error instanceof Error && (error.name === 'ConfigError' || error.name === 'PackError'));
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

/**
 * `mcp-preflight check … | head`: the reader went away before the report was written. Nothing more
 * can be written to it; the scan's exit code stands and no stack trace is printed (any other stdout
 * error is still thrown).
 */
function quietOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      process.stdout.destroy();
      return;
    }
    throw error;
  });
}

async function main(argv: string[]): Promise<void> {
  exitOnSignals();
  quietOnClosedStdout();
  try {
    // `--version` and a plain `rules` skip commander (fast-path.ts); commander and the secret masker
    // are loaded only for every other command line, or to report an error.
    const fast = fastPath(argv.slice(2));
    if (fast !== undefined) process.exitCode = await fast();
    else await (await (await import('./program.js')).program(argv)).parseAsync(argv);
  } catch (error) {
    const [{ CommanderError }, { maskSecrets }] = await Promise.all([import('commander'), import('../secrets/index.js')]);
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; commander already printed what it had to say.
      process.exitCode = error.exitCode === 0 ? EXIT.passed : EXIT.usage;
      return;
    }
    if (isUserError(error)) {
      // A config may have several problems, one per line: each line gets the prefix.
      for (const line of error.message.split('\n')) process.stderr.write(`mcp-preflight: ${maskSecrets(line)}\n`);
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

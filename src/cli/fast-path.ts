import { TOOL_VERSION } from '../version.js';

/**
 * The two command lines run most often for a quick answer, handled without commander: loading it
 * costs about as much CPU as Node's own start-up (issue 18). Only these exact shapes qualify:
 *   `--version` | `-v`
 *   `rules` [`--format` text|json | `-f` text|json | `--format=`text|json]
 * Anything else (help, other options, a bad value, `--debug`) goes through commander as before, which
 * reaches the same code; the output is byte for byte the same (test/e2e/startup.test.ts compares).
 */
export function fastPath(args: readonly string[]): (() => Promise<number>) | undefined {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    return () => {
      // What commander's `.version()` writes.
      process.stdout.write(`${TOOL_VERSION}\n`);
      return Promise.resolve(0);
    };
  }
  if (args[0] !== 'rules') return undefined;
  const format = rulesFormat(args.slice(1));
  if (format === undefined) return undefined;
  return async () => {
    const { runRulesCommand } = await import('./rules-list.js');
    return runRulesCommand({ pack: [], format });
  };
}

function rulesFormat(rest: readonly string[]): string | undefined {
  const valid = (value: string | undefined) => (value === 'text' || value === 'json' ? value : undefined);
  if (rest.length === 0) return 'text';
  if (rest.length === 1) return rest[0]!.startsWith('--format=') ? valid(rest[0]!.slice('--format='.length)) : undefined;
  if (rest.length === 2 && (rest[0] === '--format' || rest[0] === '-f')) return valid(rest[1]);
  return undefined;
}

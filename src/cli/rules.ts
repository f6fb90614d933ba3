import { Command } from 'commander';

/** The `rules` and `explain` commands as commander declares them; what they do is in rules-list.ts. */
export { explainRule, runExplain, runRulesCommand } from './rules-list.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function addPackOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'configuration file (default: mcp-preflight.yaml or .mcp-preflight.yaml here): its packs and levels')
    .option('--pack <file>', 'also load this custom rule pack (repeatable)', collect, []);
}

export function rulesCommand(): Command {
  const command = new Command('rules').description('list every rule: id, level, pack, facts needed, title');
  addPackOptions(command)
    .option('-f, --format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Exit codes:
  0  listed
  2  usage or configuration error (invalid config or pack)

Examples:
  $ mcp-preflight rules
  $ mcp-preflight rules --pack ./security/our-pack.yaml --format json`,
    );
  return command;
}

export function explainCommand(): Command {
  const command = new Command('explain')
    .description('why a rule matters, how to fix it, a bad and a good example, references')
    .argument('<rule-id>', 'rule id, e.g. design/shell-like-tool');
  addPackOptions(command).addHelpText(
    'after',
    `
Exit codes:
  0  explained
  2  unknown rule id (with the closest one), or an invalid config or pack

Examples:
  $ mcp-preflight explain design/shell-like-tool
  $ mcp-preflight explain our/no-password-parameter --pack ./security/our-pack.yaml`,
  );
  return command;
}

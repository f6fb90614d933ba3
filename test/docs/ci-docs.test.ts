import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

const ciDir = join(repoRoot, 'docs', 'ci');
const files = readdirSync(ciDir);
const read = (file: string) => readFileSync(join(ciDir, file), 'utf8');
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8'));

/** The ready pipelines in docs/ci must match the action and the CLI they call. */
describe('docs/ci pipelines', () => {
  it('are valid YAML, and every input they give the action is one action.yml declares', () => {
    const workflows = files.filter((file) => file.endsWith('.yml'));
    expect(workflows.sort()).toEqual(['github-actions.yml', 'github-matrix.yml', 'gitlab-ci.yml']);
    const given: string[] = [];
    for (const file of workflows) {
      const document = parse(read(file));
      for (const job of Object.values<{ steps?: Array<{ uses?: string; with?: Record<string, unknown> }> }>(document.jobs ?? {})) {
        for (const step of job.steps ?? []) if (step.uses?.startsWith('mcp-preflight/mcp-preflight@')) given.push(...Object.keys(step.with ?? {}));
      }
    }
    expect(given.length).toBeGreaterThan(0);
    expect(given.filter((input) => !(input in action.inputs))).toEqual([]);
  });

  it('call the CLI only with commands and flags it has', async () => {
    const calls = files.flatMap((file) =>
      [
        ...read(file)
          .replace(/\\\n\s*/g, ' ')
          .replace(/\n\s{8,}--/g, ' --')
          .matchAll(/mcp-preflight (check|targets|merge)\b([^\n)"]*)/g),
      ].map((match) => ({ file, command: match[1]!, flags: [...match[2]!.matchAll(/(?<=\s)--[a-z-]+/g)].map((flag) => flag[0]) })),
    );
    expect(new Set(calls.map((call) => call.command))).toEqual(new Set(['check', 'targets', 'merge']));
    const help = new Map<string, string>();
    for (const command of ['check', 'targets', 'merge']) help.set(command, (await runCli([command, '--help'])).stdout);
    const unknown = calls.flatMap((call) =>
      call.flags
        .filter((flag) => !help.get(call.command)!.includes(`${flag} `) && !help.get(call.command)!.includes(`${flag}\n`))
        .map((flag) => `${call.file}: ${call.command} ${flag}`),
    );
    expect(unknown).toEqual([]);
  });
});

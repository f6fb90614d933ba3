import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fastPath } from '../../src/cli/fast-path.js';
import { COMMANDS, invokedCommand, program } from '../../src/cli/program.js';
import { runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

/**
 * Start-up: a command loads only what it needs (issue 18). Proven with the module recorder
 * (test/helpers/record-modules.mjs), which sees ES modules as they resolve and CommonJS ones (the
 * TypeScript compiler) through the require cache; the `check` case shows it sees the heavy ones.
 */

const hook = pathToFileURL(resolve(repoRoot, 'test/helpers/record-modules.mjs')).href;
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function loadedModules(args: string[]): Promise<{ exitCode: number | null; modules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-preflight-startup-'));
  temps.push(dir);
  const record = join(dir, 'modules.txt');
  // An empty directory: no config file to load.
  const result = await runCli(args, { cwd: dir, env: { NODE_OPTIONS: `--import=${hook}`, MCP_PREFLIGHT_RECORD_MODULES: record } });
  return { exitCode: result.code, modules: readFileSync(record, 'utf8').split('\n').filter(Boolean) };
}

const HEAVY: Record<string, RegExp> = {
  'the MCP client': /[\\/]@modelcontextprotocol[\\/]/,
  'ts-morph or the TypeScript compiler': /ts-morph|[\\/]typescript[\\/]|[\\/]dist[\\/]source[\\/]/,
  'the reporters': /[\\/]dist[\\/]report[\\/](?:text|json|sarif|markdown|github|junit)\.js$|node-sarif-builder/,
  // The rules' implementations (dist/checks/<pack>/); the shared helpers beside them serve the match engine.
  'the checks': /[\\/]dist[\\/]checks[\\/][a-z-]+[\\/]/,
  'the schema compiler': /[\\/]node_modules[\\/]ajv[\\/]/,
  'the YAML parser': /[\\/]node_modules[\\/]yaml[\\/]/,
};

function heavyLoaded(modules: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(Object.entries(HEAVY).map(([what, pattern]) => [what, modules.filter((module) => pattern.test(module))]));
}

const NONE = Object.fromEntries(Object.keys(HEAVY).map((what) => [what, []]));

describe('start-up', () => {
  it('--version loads neither the MCP client, ts-morph, the reporters, the checks, ajv nor the YAML parser', async () => {
    const { exitCode, modules } = await loadedModules(['--version']);
    expect(exitCode).toBe(0);
    expect(modules.some((module) => module.includes('/dist/cli/main.js'))).toBe(true);
    expect(heavyLoaded(modules)).toEqual(NONE);
  });

  it('rules loads neither the MCP client, ts-morph, the reporters, the checks, ajv nor the YAML parser', async () => {
    const { exitCode, modules } = await loadedModules(['rules', '--format', 'json']);
    expect(exitCode).toBe(0);
    expect(modules.some((module) => module.includes('/dist/engine/generated/packs.js'))).toBe(true);
    expect(heavyLoaded(modules)).toEqual(NONE);
  });

  it('rules in its default text format and --help load none of them either', async () => {
    for (const args of [['rules'], ['--help']]) {
      const { exitCode, modules } = await loadedModules(args);
      expect(exitCode).toBe(0);
      expect(modules.some((module) => module.includes('/dist/cli/main.js'))).toBe(true);
      expect(heavyLoaded(modules)).toEqual(NONE);
    }
  });

  it('check does load the client, the checks, ajv and the reporter it writes with (the recorder sees them)', async () => {
    const { exitCode, modules } = await loadedModules(['check', '--stdio', `${process.execPath} ${fixturePath('clean-stdio.mjs')}`, '--format', 'sarif']);
    expect(exitCode).toBe(0);
    const loaded = heavyLoaded(modules);
    expect(loaded['the MCP client']!.length).toBeGreaterThan(0);
    expect(loaded['the checks']!.length).toBeGreaterThan(0);
    // CommonJS, required by schema/invalid-json-schema: the recorder sees the require cache too.
    expect(loaded['the schema compiler']!.length).toBeGreaterThan(0);
    expect(loaded['the reporters']!.some((module) => /sarif/.test(module))).toBe(true);
  });

  it('check loads only the reporters it writes, and no YAML parser without a config', async () => {
    const { exitCode, modules } = await loadedModules(['check', '--stdio', `${process.execPath} ${fixturePath('clean-stdio.mjs')}`, '--format', 'json']);
    expect(exitCode).toBe(0);
    const loaded = heavyLoaded(modules);
    expect(loaded['the YAML parser']).toEqual([]);
    // JSON to stdout: the text report is not written, nor is SARIF.
    expect(loaded['the reporters']!.map((module) => module.replace(/.*[\\/]/, ''))).toEqual(['json.js']);
  });

  it('the root help lists each command as its real definition would', async () => {
    const argv = ['node', 'mcp-preflight', '--help'];
    const light = await program(argv);
    const full = await program(argv, () => true);
    expect(light.helpInformation()).toBe(full.helpInformation());
    expect(full.commands.map((command) => command.name())).toEqual(COMMANDS.map((entry) => entry.name));
  });

  it('loads the command named on the command line, also after "help"', () => {
    expect(invokedCommand(['node', 'x', '--debug', 'check', '--stdio', 'node s.mjs'])).toBe('check');
    expect(invokedCommand(['node', 'x', 'help', 'rules'])).toBe('rules');
    expect(invokedCommand(['node', 'x', '--version'])).toBeUndefined();
  });

  it('--version and a plain rules skip commander, and write what commander would', async () => {
    const { modules } = await loadedModules(['rules']);
    expect(modules.filter((module) => /[\\/]commander[\\/]/.test(module))).toEqual([]);
    // A leading --debug is not a fast-path shape: commander parses that command line.
    for (const args of [['--version'], ['-v'], ['rules'], ['rules', '--format', 'json'], ['rules', '-f', 'text'], ['rules', '--format=json']]) {
      const fast = await runCli(args);
      const slow = await runCli(['--debug', ...args]);
      expect(fast.code).toBe(0);
      expect({ code: fast.code, stdout: fast.stdout }).toEqual({ code: slow.code, stdout: slow.stdout });
    }
  });

  it('takes the fast path only for the exact shapes it knows', () => {
    for (const args of [['--version'], ['-v'], ['rules'], ['rules', '--format', 'text'], ['rules', '-f', 'json'], ['rules', '--format=json']]) {
      expect(fastPath(args), args.join(' ')).toBeDefined();
    }
    for (const args of [
      [],
      ['--help'],
      ['--version', 'x'],
      ['rules', '--help'],
      ['rules', '--format', 'xml'],
      ['rules', '--pack', 'p.yaml'],
      ['rules', '-c', 'x.yaml'],
      ['explain', 'a/b'],
      ['check'],
    ]) {
      expect(fastPath(args), args.join(' ')).toBeUndefined();
    }
  });
});

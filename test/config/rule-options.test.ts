import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRuleOptions, ConfigError, parseConfig } from '../../src/config/load.js';
import { loadAllRules, loadBuiltinRules } from '../../src/engine/packs.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

/** Rule options in the config are validated against each rule's optionsSchema at load (issue 12, Build 8). */

const FILE = resolve(repoRoot, 'fixtures/configs/inline.yaml');
const rules = loadBuiltinRules();
const check = (text: string, against = rules) => checkRuleOptions(parseConfig(text, FILE, {}), against);

describe('rule options in the config', () => {
  it('accepts options of the right types, merged over the defaults', () => {
    expect(() =>
      check(
        'rules:\n  design/too-many-tools: { level: note, options: { maxTools: 60 } }\n  design/shell-like-tool:\n    options:\n      shellWords: [shell, bash]\n',
      ),
    ).not.toThrow();
  });

  it('rejects a wrong type with file:line:column', () => {
    expect(() => check('rules:\n  design/too-many-tools:\n    options:\n      maxTools: "60"\n')).toThrow(
      /^fixtures\/configs\/inline\.yaml:4:17: "rules\["design\/too-many-tools"\]\.options\.maxTools" must be integer \(got "60"\)$/,
    );
    expect(() => check('rules:\n  design/shell-like-tool:\n    options:\n      shellWords: [shell, 3]\n')).toThrow(
      /^fixtures\/configs\/inline\.yaml:4:27: .*options\.shellWords\[1\]" must be string \(got 3\)$/,
    );
    expect(() => check('rules:\n  design/too-many-tools: { options: { maxTools: 0 } }\n')).toThrow(
      /^fixtures\/configs\/inline\.yaml:2:49: .*options\.maxTools" must be >= 1 \(got 0\)$/,
    );
  });

  it('rejects an unknown option key with its line and the closest valid key', () => {
    expect(() => check('rules:\n  injection/instruction-in-description:\n    options:\n      treshold: 5\n')).toThrow(
      /^fixtures\/configs\/inline\.yaml:4:7: unknown key "treshold" in "rules\["injection\/instruction-in-description"\]\.options"; did you mean "threshold"\?$/,
    );
  });

  it('checks the items of a list of mappings too (a phrase without its weight, a bad regular expression)', () => {
    expect(() => check('rules:\n  injection/instruction-in-description:\n    options:\n      phrases: [{ id: mine, pattern: "x" }]\n')).toThrow(
      /^fixtures\/configs\/inline\.yaml:4:17: missing field "weight" in "rules\[.*\]\.options\.phrases\[0\]"$/,
    );
    expect(() => check('rules:\n  injection/instruction-in-description:\n    options:\n      phrases: [{ id: mine, pattern: "(", weight: 10 }]\n')).toThrow(
      /options\.phrases\[0\]\.pattern" must match format "regex"/,
    );
  });

  it('rejects options for a rule that takes none', () => {
    expect(() => check('rules:\n  schema/open-input-schema: { options: { x: 1 } }\n')).toThrow(
      /^fixtures\/configs\/inline\.yaml:2:40: rule "schema\/open-input-schema" takes no options; remove "options"/,
    );
    expect(() => check('rules:\n  schema/open-input-schema: { level: note, options: {} }\n')).not.toThrow();
  });

  it("validates a custom pack's options against the schema the pack declares", () => {
    const withPack = loadAllRules([resolve(repoRoot, 'fixtures/packs/our-pack.yaml')]);
    expect(() => check('rules:\n  our/no-password-parameter: { options: { passwordWords: [pin] } }\n', withPack)).not.toThrow();
    expect(() => check('rules:\n  our/no-password-parameter: { options: { passwordWord: [pin] } }\n', withPack)).toThrow(/did you mean "passwordWords"\?/);
    expect(() => check('rules:\n  our/no-password-parameter: { options: { passwordWords: pin } }\n', withPack)).toThrow(ConfigError);
  });
});

describe('check with a bad rule option', () => {
  it('exits 2 with one file:line:column line before the target is started', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'preflight-options-'));
    const marker = join(directory, 'spawned');
    writeFileSync(join(directory, 'server.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'started');\n`);
    const config = join(directory, 'mcp-preflight.yaml');
    const write = (maxTools: string) =>
      writeFileSync(
        config,
        `targets:\n  - name: marker\n    command: ${process.execPath} server.mjs\nrules:\n  design/too-many-tools:\n    options:\n      maxTools: ${maxTools}\n`,
      );

    write('"many"');
    const result = await runCli(['check', '--config', config, '--timeout', '5']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^mcp-preflight: .*mcp-preflight\.yaml:7:17: ".*options\.maxTools" must be integer \(got "many"\)$/),
    ]);
    expect(existsSync(marker)).toBe(false);

    // The control: with a valid option the same target is started (and writes its marker).
    write('60');
    await runCli(['check', '--config', config, '--timeout', '5']);
    expect(existsSync(marker)).toBe(true);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot, startHttpFixture } from '../helpers/fixtures.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';

const node = process.execPath;
const OUR_PACK = 'fixtures/packs/our-pack.yaml';
const TOKEN = 'tok_live_9f8e7d6c5b4a39281706';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'preflight-config-'));
}

interface SarifRun {
  automationDetails: { id: string };
  invocations: Array<{ executionSuccessful: boolean }>;
  tool: { driver: { rules: Array<{ id: string; helpUri: string; help: { text: string; markdown: string } }> } };
  results: Array<{
    ruleId: string;
    level: string;
    properties: { capability: { name?: string } };
    locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
  }>;
}

function readSarif(file: string): { runs: SarifRun[] } {
  const sarif = JSON.parse(readFileSync(file, 'utf8'));
  expect(validateSarifSchema(sarif)).toEqual([]);
  assertGithubContract(sarif);
  return sarif;
}

describe('check with a config of many targets', () => {
  it('three targets (two stdio, one HTTP) give three SARIF runs and one gate', async () => {
    const fixture = await startHttpFixture('http-server.mjs');
    try {
      const out = join(tempDir(), 'three.sarif');
      const result = await runCli(['check', '--config', 'fixtures/configs/three-targets.yaml', '--format', 'sarif', '--output', out], {
        env: { FIXTURE_HTTP_URL: fixture.url, FIXTURE_TOKEN: TOKEN },
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      const sarif = readSarif(out);
      expect(sarif.runs.map((run) => run.automationDetails.id)).toEqual(['mcp-preflight/clean/', 'mcp-preflight/internal-admin/', 'mcp-preflight/remote/']);
      expect(sarif.runs.every((run) => run.invocations[0]!.executionSuccessful)).toBe(true);
      const [clean, admin, remote] = sarif.runs;
      // The clean stdio server: no error (other packs may add notes). The HTTP one is judged by the
      // HTTP packs too; neither shows anything from the custom pack.
      expect(clean!.results.filter((r) => r.level === 'error')).toEqual([]);
      for (const run of [clean!, remote!]) expect(run.results.filter((r) => r.ruleId.startsWith('our/'))).toEqual([]);
      // The custom pack, in YAML alone, catches each planted problem; our/no-internal-hostnames is raised to error by the config.
      const ours = admin!.results.filter((r) => r.ruleId.startsWith('our/'));
      expect(ours.map((r) => `${r.ruleId} ${r.level} ${r.properties.capability.name}`).sort()).toEqual([
        'our/admin-tools-declare-destructive error admin_delete_user',
        'our/no-internal-hostnames error fetch_report',
        'our/no-password-parameter error login',
      ]);
      // Live findings are anchored at the target's line in the config.
      for (const r of ours) {
        expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe('fixtures/configs/three-targets.yaml');
        expect(r.locations[0]!.physicalLocation.region.startLine).toBe(8);
      }
      // Custom rules carry their own help text and link.
      const adminRule = admin!.tool.driver.rules.find((rule) => rule.id === 'our/admin-tools-declare-destructive')!;
      expect(adminRule.helpUri).toBe('https://wiki.example.com/mcp/admin-tools');
      expect(adminRule.help.text).toContain('Every `admin_*` tool must state `destructiveHint`.');
      expect(adminRule.help.markdown).toContain('Add `annotations.destructiveHint`');
      // One gate over all targets, and one summary line per target in the text report.
      expect(result.stdout).toMatch(/^● clean: 0 errors, \d+ warnings?, \d+ notes?$/m);
      expect(result.stdout).toMatch(/^● internal-admin: [3-9] errors, \d+ warnings?, \d+ notes?$/m);
      expect(result.stdout).toMatch(/^● remote: \d+ errors?, /m);
      expect(result.stdout.match(/gate failed/g)).toHaveLength(1);
      expect(`${result.stdout}${readFileSync(out, 'utf8')}`).not.toContain(TOKEN);
    } finally {
      await fixture.stop();
    }
  });

  it('--target picks targets; an unknown one gets the closest name', async () => {
    const env = { FIXTURE_HTTP_URL: 'http://127.0.0.1:9/mcp', FIXTURE_TOKEN: TOKEN };
    const picked = await runCli(['check', '--config', 'fixtures/configs/three-targets.yaml', '--target', 'clean', '--format', 'json'], { env });
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.stdout).targets.map((t: { target: { name: string } }) => t.target.name)).toEqual(['clean']);
    const typo = await runCli(['check', '--config', 'fixtures/configs/three-targets.yaml', '--target', 'remot'], { env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--target remot: no such target in fixtures\/configs\/three-targets\.yaml; did you mean "remote"\?/);
  });

  it('exits 3 when one target of many cannot be reached, still reporting the others', async () => {
    const result = await runCli(['check', '--config', 'fixtures/configs/three-targets.yaml', '--format', 'json', '--timeout', '5'], {
      env: { FIXTURE_HTTP_URL: 'http://127.0.0.1:9/mcp', FIXTURE_TOKEN: TOKEN },
    });
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.targets).toHaveLength(3);
    expect(result.stderr).toMatch(/target remote:/);
  });

  it('--print-config shows the effective config with every secret masked', async () => {
    const result = await runCli(
      ['check', '--config', 'fixtures/configs/three-targets.yaml', '--print-config', '--fail-on', 'warning', '--rule', 'design/shell-like-tool=off'],
      {
        env: { FIXTURE_HTTP_URL: 'http://127.0.0.1:9/mcp', FIXTURE_TOKEN: TOKEN },
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(TOKEN);
    expect(result.stdout).toMatch(/API_TOKEN: "\*\*\*\*"/);
    expect(result.stdout).toMatch(/failOn: warning/);
    expect(result.stdout).toMatch(/design\/shell-like-tool: off/);
  });
});

describe('config and pack errors exit 2 with file, line and the closest name', () => {
  it.each([
    ['misspelled-key.yaml', /fixtures\/configs\/misspelled-key\.yaml:7:3: unknown key "maxWarning" in "gate"; did you mean "maxWarnings"\?/],
    [
      'misspelled-rule.yaml',
      /fixtures\/configs\/misspelled-rule\.yaml:7:3: unknown rule id "design\/shell-like-tol" in "rules"; did you mean "design\/shell-like-tool"\?/,
    ],
  ])('%s', async (file, message) => {
    const result = await runCli(['check', '--config', `fixtures/configs/${file}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('a broken custom pack', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.yaml'), 'pack: p\nversion: 1\nrules:\n  - id: p/x\n    levle: error\n');
    const result = await runCli(['check', '--stdio', `${node} ${fixturePath('clean-stdio.mjs')}`, '--pack', join(dir, 'p.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/p\.yaml:5:5: rule "p\/x": unknown key "levle"; did you mean "level"\?/);
  });

  it('finds mcp-preflight.yaml in the current directory', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'mcp-preflight.yaml'),
      `targets:\n  - name: clean\n    command: ${JSON.stringify(node)}\n    args: [${JSON.stringify(fixturePath('clean-stdio.mjs'))}]\n`,
    );
    const result = await runCli(['check', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).targets[0].target.name).toBe('clean');
  });
});

describe('a custom pack via --pack on an ad-hoc target', () => {
  it('catches the planted problems and keeps built-in rules', async () => {
    const out = join(tempDir(), 'custom.sarif');
    const result = await runCli([
      'check',
      '--stdio',
      `${node} ${fixturePath('internal-admin-stdio.mjs')}`,
      '--pack',
      OUR_PACK,
      '--format',
      'sarif',
      '--output',
      out,
    ]);
    expect(result.code).toBe(1);
    const sarif = readSarif(out);
    const ours = sarif.runs[0]!.results.filter((r) => r.ruleId.startsWith('our/'));
    expect(ours.map((r) => r.ruleId).sort()).toEqual(['our/admin-tools-declare-destructive', 'our/no-internal-hostnames', 'our/no-password-parameter']);
    expect(sarif.runs[0]!.tool.driver.rules.map((rule) => rule.id)).toContain('design/shell-like-tool');
  });
});

describe('rules, explain, init', () => {
  it('rules lists id, level, pack, facts and title, custom packs included', async () => {
    const text = await runCli(['rules', '--pack', OUR_PACK]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^id\s+level\s+pack\s+facts\s+title$/m);
    expect(text.stdout).toMatch(/^design\/shell-like-tool\s+error\s+design\s+live,source\s+Tool or prompt runs shell commands$/m);
    expect(text.stdout).toMatch(/^our\/no-password-parameter\s+error\s+our\s+live\s+No tool may take a password parameter$/m);
    const json = JSON.parse((await runCli(['rules', '--format', 'json'])).stdout);
    expect(json).toContainEqual({ id: 'schema/open-input-schema', level: 'warning', pack: 'schema', facts: ['live'], title: expect.any(String) });
  });

  it('explain shows rationale, fix, examples, references and the docs link', async () => {
    const result = await runCli(['explain', 'design/shell-like-tool']);
    expect(result.code).toBe(0);
    for (const heading of ['Why it matters:', 'How to fix:', 'Bad (caught):', 'Good (passes):', 'References:']) expect(result.stdout).toContain(heading);
    expect(result.stdout).toContain('docs/rules/design/shell-like-tool.md');
    const typo = await runCli(['explain', 'shell-like-tol']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean "design\/shell-like-tool"\?/);
  });

  it('init writes a valid, commented config with the command from package.json', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'srv', scripts: { start: 'node build/index.js' } }));
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).toBe(0);
    const written = readFileSync(join(dir, 'mcp-preflight.yaml'), 'utf8');
    expect(written.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=https:\/\/.*config\.schema\.json$/);
    expect(written).toContain('command: "node build/index.js"');
    const config = loadConfig(join(dir, 'mcp-preflight.yaml'));
    expect(config.targets[0]!.spec).toMatchObject({ command: 'node', args: ['build/index.js'] });
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; use --force/);
  });

  it('every command documents its flags, exit codes and an example in --help', async () => {
    for (const command of ['check', 'discover', 'rules', 'explain', 'init']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Exit codes:/);
      expect(help.stdout).toMatch(/\$ mcp-preflight /);
    }
  });
});

void repoRoot;

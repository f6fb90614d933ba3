import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

/**
 * The ownership rules end to end: the built CLI checks a real fixture server with the repository
 * facts of a copy of fixtures/repos/owned/ (CODEOWNERS covering the server, SECURITY.md,
 * Dependabot), then of copies with one file removed or changed. The copies are all made first and
 * checked in one run: a config with one target per copy, each target's `source:` its copy (the
 * repository a target's facts come from, without --repo). The config-owners and handshake cases
 * run on their own (config-wide owners; --repo for every target, as `source:` would also analyse
 * the code).
 */

const OWNED = path.join(repoRoot, 'fixtures', 'repos', 'owned');
const RULES = ['ownership/missing-owner', 'ownership/missing-security-contact', 'ownership/missing-dependency-update-plan'] as const;

interface JsonFinding {
  ruleId: string;
  messageId: string;
  message: string;
  location?: { file: string; line: number };
}
interface JsonTarget {
  target: { name: string };
  findings: JsonFinding[];
  outcomes: { ruleId: string; status: string; findings?: number }[];
}
interface JsonReport {
  targets: JsonTarget[];
}

const temporary: string[] = [];
afterAll(() => {
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function copyOwned(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-owned-'));
  temporary.push(directory);
  cpSync(OWNED, directory, { recursive: true });
  return directory;
}

async function check(args: string[], cwd?: string): Promise<JsonReport> {
  const result = await runCli(['check', ...args, '--format', 'json'], cwd ? { cwd } : {});
  expect(result.stderr).toBe('');
  expect([0, 1]).toContain(result.code);
  return JSON.parse(result.stdout) as JsonReport;
}

function ownershipFindings(target: JsonTarget): JsonFinding[] {
  return target.findings.filter((finding) => finding.ruleId.startsWith('ownership/'));
}

/** A config naming one clean-stdio target per repository, in order (`name: <key>`, `source: <dir>`). */
function configOf(directory: string, repos: Record<string, string>): string {
  const lines = ['targets:'];
  for (const [name, repo] of Object.entries(repos))
    lines.push(
      `  - name: ${name}`,
      '    command: node',
      `    args: [${JSON.stringify(fixturePath('clean-stdio.mjs'))}]`,
      `    source: ${JSON.stringify(repo)}`,
    );
  const config = path.join(directory, 'mcp-preflight.yaml');
  writeFileSync(config, `${lines.join('\n')}\n`);
  return config;
}

/** A monorepo checkout with the owned server under packages/server/ and `codeowners` at .github/CODEOWNERS. */
function monorepo(codeowners: string): string {
  const checkout = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-mono-'));
  temporary.push(checkout);
  const serverDir = path.join(checkout, 'packages', 'server');
  mkdirSync(path.join(checkout, 'packages'), { recursive: true });
  cpSync(OWNED, serverDir, { recursive: true });
  // GitHub reads .github/ at the repository root only.
  cpSync(path.join(serverDir, '.github'), path.join(checkout, '.github'), { recursive: true });
  rmSync(path.join(serverDir, '.github'), { recursive: true });
  writeFileSync(path.join(checkout, '.github', 'CODEOWNERS'), codeowners);
  mkdirSync(path.join(checkout, 'packages', 'web'));
  writeFileSync(path.join(checkout, 'packages', 'web', 'index.js'), 'export {};\n');
  execFileSync('git', ['init', '-q'], { cwd: checkout });
  return serverDir;
}

// Every repository state, made before the one shared run; each case reads its targets from it.
const repos: Record<string, string> = {};
const targets = new Map<string, JsonTarget>();
const target = (name: string) => targets.get(name)!;
const BAD_SERVER_JSON =
  '{\n  "name": "weather",\n  "description": "Weather forecasts",\n  "version": "^1.2.0",\n  "repository": { "url": "https://github.com/acme/weather", "source": "github" }\n}\n';

beforeAll(async () => {
  repos.full = copyOwned();

  repos.noCodeowners = copyOwned();
  rmSync(path.join(repos.noCodeowners, '.github', 'CODEOWNERS'));
  // The root CODEOWNERS counts too, but this one owns only the docs (the last matching rule wins).
  repos.docsOnlyCodeowners = copyOwned();
  rmSync(path.join(repos.docsOnlyCodeowners, '.github', 'CODEOWNERS'));
  writeFileSync(path.join(repos.docsOnlyCodeowners, 'CODEOWNERS'), '* @acme/mcp-team\n/src/\n*.md @acme/docs-team\n');

  repos.noSecurity = copyOwned();
  rmSync(path.join(repos.noSecurity, 'SECURITY.md'));
  // .github/SECURITY.md is where GitHub also looks.
  repos.githubSecurity = copyOwned();
  rmSync(path.join(repos.githubSecurity, 'SECURITY.md'));
  writeFileSync(path.join(repos.githubSecurity, '.github', 'security.md'), 'Report to security@acme.example.\n');

  repos.noDependabot = copyOwned();
  rmSync(path.join(repos.noDependabot, '.github', 'dependabot.yml'));
  repos.dependabotNoNpm = copyOwned();
  writeFileSync(
    path.join(repos.dependabotNoNpm, '.github', 'dependabot.yml'),
    'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: { interval: weekly }\n',
  );
  // A `renovate` key in package.json is a Renovate config.
  repos.renovate = copyOwned();
  rmSync(path.join(repos.renovate, '.github', 'dependabot.yml'));
  const manifest = JSON.parse(readFileSync(path.join(repos.renovate, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(repos.renovate, 'package.json'), JSON.stringify({ ...manifest, renovate: { extends: ['config:recommended'] } }, null, 2));

  repos.monorepoWebOnly = monorepo('/packages/web/ @acme/web-team\n');
  repos.monorepoCovered = monorepo('/packages/web/ @acme/web-team\npackages/server @acme/mcp-team\n');

  repos.badServerJson = copyOwned();
  writeFileSync(path.join(repos.badServerJson, 'server.json'), BAD_SERVER_JSON);
  repos.goodServerJson = copyOwned();
  writeFileSync(
    path.join(repos.goodServerJson, 'server.json'),
    '{ "name": "io.github.acme/weather", "description": "Weather forecasts", "version": "1.2.0", "repository": { "url": "https://github.com/acme/weather", "source": "github" } }\n',
  );

  const configDir = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-owned-config-'));
  temporary.push(configDir);
  const report = await check(['--config', configOf(configDir, repos)]);
  for (const entry of report.targets) targets.set(entry.target.name, entry);
}, 120_000);

describe('ownership rules', () => {
  it('the shared run checked one target per repository', () => {
    expect([...targets.keys()]).toEqual(Object.keys(repos));
  });

  it('pass a repository with CODEOWNERS covering the server, SECURITY.md and Dependabot', () => {
    expect(ownershipFindings(target('full'))).toEqual([]);
    for (const rule of RULES) expect(target('full').outcomes).toContainEqual({ ruleId: rule, status: 'ran', findings: 0 });
  });

  it('ownership/missing-owner: no CODEOWNERS, or one that leaves the server unowned', () => {
    const [missing] = ownershipFindings(target('noCodeowners'));
    expect(missing).toMatchObject({
      ruleId: 'ownership/missing-owner',
      messageId: 'noCodeowners',
      location: { file: path.join(repos.noCodeowners!, 'package.json'), line: 1 },
    });

    const [uncovered] = ownershipFindings(target('docsOnlyCodeowners'));
    expect(uncovered).toMatchObject({
      ruleId: 'ownership/missing-owner',
      messageId: 'uncovered',
      location: { file: path.join(repos.docsOnlyCodeowners!, 'CODEOWNERS'), line: 1 },
    });
    expect(uncovered!.message).toContain('CODEOWNERS gives no owner to 1 of the 1 files checked in the repository (e.g. src/server.mjs)');
  });

  it('ownership/missing-security-contact: no SECURITY.md (and package.json "bugs" is not one)', () => {
    const findings = ownershipFindings(target('noSecurity'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'ownership/missing-security-contact',
      messageId: 'onlyBugs',
      location: { file: path.join(repos.noSecurity!, 'package.json') },
    });
    expect(findings[0]!.message).toContain('package.json "bugs" (https://github.com/acme/owned-mcp-server/issues) is a public tracker');

    expect(ownershipFindings(target('githubSecurity'))).toEqual([]);
  });

  it('ownership/missing-dependency-update-plan: no Dependabot or Renovate, or Dependabot without npm', () => {
    expect(ownershipFindings(target('noDependabot'))).toMatchObject([
      { ruleId: 'ownership/missing-dependency-update-plan', messageId: 'noPlan', location: { file: path.join(repos.noDependabot!, 'package.json') } },
    ]);

    const dependabot = path.join(repos.dependabotNoNpm!, '.github', 'dependabot.yml');
    const [noNpm] = ownershipFindings(target('dependabotNoNpm'));
    expect(noNpm).toMatchObject({ messageId: 'noNpm', location: { file: dependabot, line: 1 } });
    expect(noNpm!.message).toBe(
      ".github/dependabot.yml updates github-actions but not npm, the ecosystem of the server's package.json, and the config declares no owners.dependencyUpdates.",
    );

    expect(ownershipFindings(target('renovate'))).toEqual([]);
  });

  it('config owners stand in for the files, and findings point at the owners section', async () => {
    const repo = copyOwned();
    for (const file of ['.github/CODEOWNERS', 'SECURITY.md', '.github/dependabot.yml']) rmSync(path.join(repo, file));
    const config = path.join(repo, 'mcp-preflight.yaml');
    const targets = `targets:\n  - name: owned\n    command: node\n    args: [${JSON.stringify(fixturePath('clean-stdio.mjs'))}]\n`;
    writeFileSync(config, `${targets}owners:\n  operational: "#mcp-oncall"\n`);
    const partial = ownershipFindings((await check(['--config', config])).targets[0]!);
    expect(partial.map((finding) => finding.ruleId).sort()).toEqual(['ownership/missing-dependency-update-plan', 'ownership/missing-security-contact']);
    for (const finding of partial) expect(finding.location).toMatchObject({ file: config, line: 5 });

    writeFileSync(
      config,
      `${targets}owners:\n  code: [ "@acme/mcp-team" ]\n  securityReview: security@acme.example\n  dependencyUpdates: monthly npm update by @acme/mcp-team\n`,
    );
    expect(ownershipFindings((await check(['--config', config])).targets[0]!)).toEqual([]);
  });

  it('in a monorepo checkout, CODEOWNERS must cover the server package, not just some other one', () => {
    const [uncovered] = ownershipFindings(target('monorepoWebOnly'));
    expect(uncovered).toMatchObject({ ruleId: 'ownership/missing-owner', messageId: 'uncovered' });
    expect(uncovered!.message).toContain('in packages/server/ (e.g. packages/server/src/server.mjs)');

    expect(ownershipFindings(target('monorepoCovered'))).toEqual([]);
  });
  it('ownership/invalid-server-json: a manifest without its documented fields, at the line at fault; a complete one passes', () => {
    const manifest = path.join(repos.badServerJson!, 'server.json');
    const findings = ownershipFindings(target('badServerJson')).filter((finding) => finding.ruleId === 'ownership/invalid-server-json');
    expect(findings.map((finding) => [finding.location?.file, finding.location?.line])).toEqual([
      [manifest, 2],
      [manifest, 4],
    ]);
    expect(findings[1]!.message).toContain('is a range or "latest"');

    expect(ownershipFindings(target('goodServerJson'))).toEqual([]);
    expect(target('goodServerJson').outcomes).toContainEqual({ ruleId: 'ownership/invalid-server-json', status: 'ran', findings: 0 });
  });
  it('a server that names its owner and security contact in its handshake _meta stands in for CODEOWNERS and SECURITY.md', async () => {
    const repo = copyOwned();
    rmSync(path.join(repo, '.github', 'CODEOWNERS'));
    rmSync(path.join(repo, 'SECURITY.md'));
    // Both servers in one run, with --repo (not `source:`, which also analyses the code): every
    // target gets this repository's facts.
    const configDir = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-owned-config-'));
    temporary.push(configDir);
    const config = path.join(configDir, 'mcp-preflight.yaml');
    writeFileSync(
      config,
      [
        'targets:',
        '  - name: declared',
        '    command: node',
        `    args: [${JSON.stringify(fixturePath('owner-meta-stdio.mjs'))}]`,
        '  - name: silent',
        '    command: node',
        `    args: [${JSON.stringify(fixturePath('clean-stdio.mjs'))}]`,
        '',
      ].join('\n'),
    );
    const report = await check(['--config', config, '--repo', repo]);
    expect(report.targets.map((entry) => entry.target.name)).toEqual(['declared', 'silent']);
    expect(ownershipFindings(report.targets[0]!)).toEqual([]);
    // The same repository with a server that declares nothing: both rules fire.
    const silent = ownershipFindings(report.targets[1]!).map((finding) => finding.ruleId);
    expect(silent).toEqual(['ownership/missing-owner', 'ownership/missing-security-contact']);
  });
});

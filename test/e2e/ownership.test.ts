import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

/**
 * The ownership rules end to end: the built CLI checks a real fixture server with the repository
 * facts of a copy of fixtures/repos/owned/ (CODEOWNERS covering the server, SECURITY.md,
 * Dependabot), then of copies with one file removed or changed.
 */

const OWNED = path.join(repoRoot, 'fixtures', 'repos', 'owned');
const SERVER = `node ${fixturePath('clean-stdio.mjs')}`;
const RULES = ['ownership/missing-owner', 'ownership/missing-security-contact', 'ownership/missing-dependency-update-plan'] as const;

interface JsonFinding {
  ruleId: string;
  messageId: string;
  message: string;
  location?: { file: string; line: number };
}
interface JsonReport {
  targets: { findings: JsonFinding[]; outcomes: { ruleId: string; status: string; findings?: number }[] }[];
}

const temporary: string[] = [];
afterEach(() => {
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

function ownershipFindings(report: JsonReport): JsonFinding[] {
  return report.targets[0]!.findings.filter((finding) => finding.ruleId.startsWith('ownership/'));
}

describe('ownership rules', () => {
  it('pass a repository with CODEOWNERS covering the server, SECURITY.md and Dependabot', async () => {
    const repo = copyOwned();
    const report = await check(['--stdio', SERVER, '--repo', repo]);
    expect(ownershipFindings(report)).toEqual([]);
    for (const rule of RULES) expect(report.targets[0]!.outcomes).toContainEqual({ ruleId: rule, status: 'ran', findings: 0 });
  });

  it('ownership/missing-owner: no CODEOWNERS, or one that leaves the server unowned', async () => {
    const repo = copyOwned();
    rmSync(path.join(repo, '.github', 'CODEOWNERS'));
    const [missing] = ownershipFindings(await check(['--stdio', SERVER, '--repo', repo]));
    expect(missing).toMatchObject({
      ruleId: 'ownership/missing-owner',
      messageId: 'noCodeowners',
      location: { file: path.join(repo, 'package.json'), line: 1 },
    });

    // The root CODEOWNERS counts too, but this one owns only the docs (the last matching rule wins).
    writeFileSync(path.join(repo, 'CODEOWNERS'), '* @acme/mcp-team\n/src/\n*.md @acme/docs-team\n');
    const [uncovered] = ownershipFindings(await check(['--stdio', SERVER, '--repo', repo]));
    expect(uncovered).toMatchObject({ ruleId: 'ownership/missing-owner', messageId: 'uncovered', location: { file: path.join(repo, 'CODEOWNERS'), line: 1 } });
    expect(uncovered!.message).toContain('CODEOWNERS gives no owner to 1 of the 1 files checked in the repository (e.g. src/server.mjs)');
  });

  it('ownership/missing-security-contact: no SECURITY.md (and package.json "bugs" is not one)', async () => {
    const repo = copyOwned();
    rmSync(path.join(repo, 'SECURITY.md'));
    const findings = ownershipFindings(await check(['--stdio', SERVER, '--repo', repo]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'ownership/missing-security-contact',
      messageId: 'onlyBugs',
      location: { file: path.join(repo, 'package.json') },
    });
    expect(findings[0]!.message).toContain('package.json "bugs" (https://github.com/acme/owned-mcp-server/issues) is a public tracker');

    // .github/SECURITY.md is where GitHub also looks.
    writeFileSync(path.join(repo, '.github', 'security.md'), 'Report to security@acme.example.\n');
    expect(ownershipFindings(await check(['--stdio', SERVER, '--repo', repo]))).toEqual([]);
  });

  it('ownership/missing-dependency-update-plan: no Dependabot or Renovate, or Dependabot without npm', async () => {
    const repo = copyOwned();
    const dependabot = path.join(repo, '.github', 'dependabot.yml');
    rmSync(dependabot);
    expect(ownershipFindings(await check(['--stdio', SERVER, '--repo', repo]))).toMatchObject([
      { ruleId: 'ownership/missing-dependency-update-plan', messageId: 'noPlan', location: { file: path.join(repo, 'package.json') } },
    ]);

    writeFileSync(dependabot, 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: { interval: weekly }\n');
    const [noNpm] = ownershipFindings(await check(['--stdio', SERVER, '--repo', repo]));
    expect(noNpm).toMatchObject({ messageId: 'noNpm', location: { file: dependabot, line: 1 } });
    expect(noNpm!.message).toBe(
      ".github/dependabot.yml updates github-actions but not npm, the ecosystem of the server's package.json, and the config declares no owners.dependencyUpdates.",
    );

    // A `renovate` key in package.json is a Renovate config.
    rmSync(dependabot);
    const manifest = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ ...manifest, renovate: { extends: ['config:recommended'] } }, null, 2));
    expect(ownershipFindings(await check(['--stdio', SERVER, '--repo', repo]))).toEqual([]);
  });

  it('config owners stand in for the files, and findings point at the owners section', async () => {
    const repo = copyOwned();
    for (const file of ['.github/CODEOWNERS', 'SECURITY.md', '.github/dependabot.yml']) rmSync(path.join(repo, file));
    const config = path.join(repo, 'mcp-preflight.yaml');
    const targets = `targets:\n  - name: owned\n    command: node\n    args: [${JSON.stringify(fixturePath('clean-stdio.mjs'))}]\n`;
    writeFileSync(config, `${targets}owners:\n  operational: "#mcp-oncall"\n`);
    const partial = ownershipFindings(await check(['--config', config]));
    expect(partial.map((finding) => finding.ruleId).sort()).toEqual(['ownership/missing-dependency-update-plan', 'ownership/missing-security-contact']);
    for (const finding of partial) expect(finding.location).toMatchObject({ file: config, line: 5 });

    writeFileSync(
      config,
      `${targets}owners:\n  code: [ "@acme/mcp-team" ]\n  securityReview: security@acme.example\n  dependencyUpdates: monthly npm update by @acme/mcp-team\n`,
    );
    expect(ownershipFindings(await check(['--config', config]))).toEqual([]);
  });

  it('in a monorepo checkout, CODEOWNERS must cover the server package, not just some other one', async () => {
    const checkout = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-mono-'));
    temporary.push(checkout);
    const serverDir = path.join(checkout, 'packages', 'server');
    mkdirSync(path.join(checkout, 'packages'), { recursive: true });
    cpSync(OWNED, serverDir, { recursive: true });
    // GitHub reads .github/ at the repository root only.
    cpSync(path.join(serverDir, '.github'), path.join(checkout, '.github'), { recursive: true });
    rmSync(path.join(serverDir, '.github'), { recursive: true });
    writeFileSync(path.join(checkout, '.github', 'CODEOWNERS'), '/packages/web/ @acme/web-team\n');
    mkdirSync(path.join(checkout, 'packages', 'web'));
    writeFileSync(path.join(checkout, 'packages', 'web', 'index.js'), 'export {};\n');
    execFileSync('git', ['init', '-q'], { cwd: checkout });

    const [uncovered] = ownershipFindings(await check(['--stdio', SERVER, '--repo', serverDir]));
    expect(uncovered).toMatchObject({ ruleId: 'ownership/missing-owner', messageId: 'uncovered' });
    expect(uncovered!.message).toContain('in packages/server/ (e.g. packages/server/src/server.mjs)');

    writeFileSync(path.join(checkout, '.github', 'CODEOWNERS'), '/packages/web/ @acme/web-team\npackages/server @acme/mcp-team\n');
    expect(ownershipFindings(await check(['--stdio', SERVER, '--repo', serverDir]))).toEqual([]);
  });
  it('ownership/invalid-server-json: a manifest without its documented fields, at the line at fault; a complete one passes', async () => {
    const repo = copyOwned();
    const manifest = path.join(repo, 'server.json');
    writeFileSync(
      manifest,
      '{\n  "name": "weather",\n  "description": "Weather forecasts",\n  "version": "^1.2.0",\n  "repository": { "url": "https://github.com/acme/weather", "source": "github" }\n}\n',
    );
    const findings = ownershipFindings(await check(['--stdio', SERVER, '--repo', repo])).filter(
      (finding) => finding.ruleId === 'ownership/invalid-server-json',
    );
    expect(findings.map((finding) => [finding.location?.file, finding.location?.line])).toEqual([
      [manifest, 2],
      [manifest, 4],
    ]);
    expect(findings[1]!.message).toContain('is a range or "latest"');

    writeFileSync(
      manifest,
      '{ "name": "io.github.acme/weather", "description": "Weather forecasts", "version": "1.2.0", "repository": { "url": "https://github.com/acme/weather", "source": "github" } }\n',
    );
    const report = await check(['--stdio', SERVER, '--repo', repo]);
    expect(ownershipFindings(report)).toEqual([]);
    expect(report.targets[0]!.outcomes).toContainEqual({ ruleId: 'ownership/invalid-server-json', status: 'ran', findings: 0 });
  });
  it('a server that names its owner and security contact in its handshake _meta stands in for CODEOWNERS and SECURITY.md', async () => {
    const repo = copyOwned();
    rmSync(path.join(repo, '.github', 'CODEOWNERS'));
    rmSync(path.join(repo, 'SECURITY.md'));
    const declared = await check(['--stdio', `node ${fixturePath('owner-meta-stdio.mjs')}`, '--repo', repo]);
    expect(ownershipFindings(declared)).toEqual([]);
    // The same repository with a server that declares nothing: both rules fire.
    const silent = ownershipFindings(await check(['--stdio', SERVER, '--repo', repo])).map((finding) => finding.ruleId);
    expect(silent).toEqual(['ownership/missing-owner', 'ownership/missing-security-contact']);
  });
});

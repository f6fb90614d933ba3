// Ownership facts from the installed package a server runs from: a real server process started from a
// temporary node_modules/<pkg>/ (its script loads fixtures/servers/clean-stdio.mjs), scanned live over
// stdio with no repository read; the ownership rules judge the package's own metadata.
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectTarget } from '../../src/collect/collect-target.js';
import { DEFAULT_LIMITS } from '../../src/discovery/target.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import { installedPackageOf } from '../../src/repo/installed-package.js';
import { fixturePath } from '../helpers/fixtures.js';

const rules = loadBuiltinRules().filter((rule) => rule.id === 'ownership/missing-owner' || rule.id === 'ownership/missing-security-contact');

/** `<tmp>/node_modules/<name>/` with package.json, server.mjs (and a .bin link), plus `files`. */
function installPackage(name: string, manifest: Record<string, unknown>, files: Record<string, string> = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'preflight-installed-'));
  const dir = path.join(root, 'node_modules', ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', bin: { 'acme-server': 'server.mjs' }, ...manifest }));
  const script = path.join(dir, 'server.mjs');
  writeFileSync(script, `#!/usr/bin/env node\nawait import(${JSON.stringify(pathToFileURL(fixturePath('clean-stdio.mjs')).href)});\n`);
  chmodSync(script, 0o755);
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  mkdirSync(path.join(root, 'node_modules', '.bin'));
  const bin = path.join(root, 'node_modules', '.bin', 'acme-server');
  symlinkSync(path.relative(path.dirname(bin), script), bin);
  return { root, dir, script, bin };
}

async function scan(command: string, args: string[], cwd: string) {
  const collected = await collectTarget(
    { kind: 'stdio', name: 'pkg', command, args, env: {}, cwd },
    { limits: { ...DEFAULT_LIMITS, timeoutMs: 30_000 }, workingDirectory: cwd },
  );
  expect(collected.failure).toBeUndefined();
  const run = runRules(collected.inventory!, rules, { targetId: 'pkg' });
  return { inventory: collected.inventory!, findings: run.findings.map((finding) => `${finding.ruleId} ${finding.messageId}`), outcomes: run.outcomes };
}

describe('ownership from the installed package', () => {
  it('node node_modules/<pkg>/server.mjs: author counts as owner; a bugs URL alone is no security contact', async () => {
    const pkg = installPackage('@acme/fs-server', {
      author: { name: 'Acme', email: 'mcp@acme.example' },
      repository: { type: 'git', url: 'git+https://github.com/acme/fs-server.git' },
      bugs: { url: 'https://github.com/acme/fs-server/issues' },
    });
    const { inventory, findings } = await scan(process.execPath, [pkg.script], pkg.root);
    expect(inventory.installedPackage).toMatchObject({
      name: '@acme/fs-server',
      version: '1.2.3',
      dir: pkg.dir,
      author: 'Acme mcp@acme.example',
      bugs: 'https://github.com/acme/fs-server/issues',
    });
    expect(findings).toEqual(['ownership/missing-security-contact packageOnlyBugs']);
  }, 60_000);

  it('the .bin link as the command: no owner named; a shipped SECURITY.md and a server.json are read', async () => {
    const pkg = installPackage(
      'bare-server',
      {},
      { 'SECURITY.md': 'Report to security@bare.example\n', 'server.json': JSON.stringify({ name: 'io.github.bare/server', version: '1.2.3' }) },
    );
    const { inventory, findings } = await scan(pkg.bin, [], pkg.root);
    expect(inventory.installedPackage).toMatchObject({
      name: 'bare-server',
      resolvedFrom: pkg.bin,
      securityPolicy: path.join(pkg.dir, 'SECURITY.md'),
      serverJson: { file: path.join(pkg.dir, 'server.json'), name: 'io.github.bare/server' },
    });
    expect(findings).toEqual(['ownership/missing-owner packageNoOwner']);
  }, 60_000);

  it('a server not started from a package: both rules skipped with the reason, not passed', async () => {
    const { inventory, outcomes } = await scan(process.execPath, [fixturePath('clean-stdio.mjs')], tmpdir());
    expect(inventory.installedPackage).toBeUndefined();
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['skipped', 'skipped']);
  }, 60_000);

  it('npx <pkg>: the copy in node_modules above the working directory', () => {
    const pkg = installPackage('@acme/npx-server', { author: 'Acme' });
    const work = path.join(pkg.root, 'work');
    mkdirSync(work);
    expect(
      installedPackageOf('npx', ['-y', '@acme/npx-server@1.2.3', '--stdio'], work, { PATH: '', npm_config_cache: path.join(pkg.root, 'no-cache') }),
    ).toMatchObject({ name: '@acme/npx-server', dir: pkg.dir, resolvedFrom: 'npx @acme/npx-server (node_modules)' });
  });
});

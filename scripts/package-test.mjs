#!/usr/bin/env node
// The npm package as a user gets it: `npm pack` (prepack cleans dist/ and builds), check what the
// tarball holds, install it into an empty directory (registry only, cache first), then run
// `npx mcp-preflight --version`, `init` and a check against a fixture server from there.
// Run by .ci/run (npm run test:package); exits 1 with the failed expectation on stderr.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageJson = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
const work = mkdtempSync(path.join(tmpdir(), 'preflight-package-'));
const started = Date.now();
const timings = [];
let failures = 0;

function expect(condition, what) {
  if (condition) return;
  failures += 1;
  process.stderr.write(`package test: FAILED: ${what}\n`);
}

function step(name, run) {
  const t0 = Date.now();
  const result = run();
  timings.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

function npx(args, cwd) {
  // --offline: the bin must come from the installed tarball, never from the registry.
  return spawnSync('npx', ['--offline', 'mcp-preflight', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
}

try {
  const packed = step('pack', () => {
    const out = execFileSync('npm', ['pack', '--pack-destination', work, '--json', '--silent'], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The prepack script (clean, build) writes its own lines to stdout before npm's JSON array.
    const start = out.startsWith('[') ? 0 : out.indexOf('\n[') + 1;
    if (start < 0 || (start === 0 && !out.startsWith('['))) throw new Error(`npm pack --json printed no JSON array: ${out.slice(0, 200)}`);
    return JSON.parse(out.slice(start))[0];
  });
  const files = packed.files.map((file) => file.path);
  for (const needed of [
    'LICENSE',
    'README.md',
    'package.json',
    'bin/mcp-preflight.js',
    'dist/bundle/main.js',
    'rules/schema.yaml',
    'schemas/config.schema.json',
    'schemas/pack.schema.json',
  ]) {
    expect(files.includes(needed), `the tarball holds ${needed}`);
  }
  const stray = files.filter((file) => file.endsWith('.map') || !/^(LICENSE|README\.md|package\.json|bin\/|dist\/bundle\/|rules\/|schemas\/)/.test(file));
  expect(stray.length === 0, `only runtime files in the tarball (found ${stray.slice(0, 5).join(', ')}${stray.length > 5 ? ', …' : ''})`);
  expect(
    /^MIT License/.test(readFileSync(path.join(repo, 'LICENSE'), 'utf8')) && packageJson.license === 'MIT',
    'LICENSE is the MIT licence package.json names',
  );

  const project = path.join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(path.join(project, 'package.json'), '{ "name": "empty-project", "version": "1.0.0", "private": true }\n');
  step('install', () =>
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', path.join(work, packed.filename)], {
      cwd: project,
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );

  const version = step('npx --version', () => npx(['--version'], project));
  expect(
    version.status === 0 && version.stdout.trim() === packageJson.version,
    `npx mcp-preflight --version prints ${packageJson.version} (got ${version.status}: ${version.stdout.trim()} ${version.stderr.trim()})`,
  );

  const sarif = path.join(work, 'clean.sarif');
  const clean = step('check clean', () =>
    npx(['check', '--stdio', `node ${path.join(repo, 'fixtures/servers/clean-stdio.mjs')}`, '--format', 'sarif', '--output', sarif], project),
  );
  expect(clean.status === 0, `a check of fixtures/servers/clean-stdio.mjs passes (exit ${clean.status}: ${clean.stderr.trim()})`);
  if (existsSync(sarif)) {
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    const { driver } = log.runs[0].tool;
    const base = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(
      driver.informationUri === base && driver.rules.every((rule) => rule.helpUri.startsWith(`${base}/blob/main/docs/rules/`)),
      `helpUri and informationUri start with the repository URL ${base}`,
    );
  } else expect(false, 'the check wrote its SARIF file');
  const bad = step('check bad', () => npx(['check', '--stdio', `node ${path.join(repo, 'fixtures/servers/bad-stdio.mjs')}`, '--quiet'], project));
  expect(bad.status === 1 && /gate failed/.test(bad.stdout), `a check of fixtures/servers/bad-stdio.mjs fails the gate (exit ${bad.status})`);

  const init = npx(['init', '--output', 'mcp-preflight.yaml'], project);
  const written = existsSync(path.join(project, 'mcp-preflight.yaml')) ? readFileSync(path.join(project, 'mcp-preflight.yaml'), 'utf8') : '';
  const schemaRef = /\$schema=(\S+)/.exec(written)?.[1];
  expect(
    init.status === 0 && schemaRef !== undefined && existsSync(path.resolve(project, schemaRef)),
    `init in an installed project points $schema at the installed schema (got ${schemaRef}; exit ${init.status} ${init.stderr.trim()})`,
  );
} catch (error) {
  failures += 1;
  process.stderr.write(`package test: FAILED: ${error.message}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(
  `package test: ${failures === 0 ? 'passed' : `${failures} failure(s)`} in ${((Date.now() - started) / 1000).toFixed(1)} s (${timings.join(', ')})\n`,
);
process.exitCode = failures === 0 ? 0 : 1;

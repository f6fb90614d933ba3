#!/usr/bin/env node
// `npm run sarif:validate`: writes representative SARIF files with the built CLI (live findings, a
// failed target, a clean server, source-only, a custom --category) and runs Microsoft's SARIF
// validator on them with its SARIF and GitHub ingestion rules (`--rule-kind "Gh;Sarif"`). Any error
// or warning fails. The validator is the platform binary of @microsoft/sarif-multitool, called
// directly: the package's `npx` wrapper passes the arguments through a shell, which splits the
// `;`-separated rule kinds. Extra SARIF files given as arguments are validated too.
// Needs `npm run build` first (the CLI runs from dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let work;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const platform = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
const validator = path.join(
  root,
  'node_modules',
  '@microsoft',
  `sarif-multitool-${platform}`,
  process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool',
);
if (!existsSync(validator)) fail(`the SARIF validator is not installed (${path.relative(root, validator)}); run npm ci`);
if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) fail('dist/ is missing; run npm run build first');

work = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-sarif-'));
const cli = path.join(root, 'bin', 'mcp-preflight.js');
/** name, CLI arguments, accepted exit codes (1: the gate failed, 3: the target could not be scanned). */
const cases = [
  ['live-findings', ['--stdio', 'node fixtures/servers/bad-stdio.mjs'], [1]],
  ['clean', ['--stdio', 'node fixtures/servers/clean-stdio.mjs', '--category', 'mcp/clean'], [0]],
  ['failed-target', ['--stdio', 'node fixtures/servers/crash-stdio.mjs', '--timeout', '20'], [3]],
  ['source-only', ['--source', 'fixtures/projects/secrets-bad'], [0, 1]],
  ['live-and-source', ['--stdio', 'node fixtures/servers/live-rules-bad.mjs', '--source', 'fixtures/projects/rules-bad', '--allow-incomplete'], [1]],
];
const files = [];
try {
  for (const [name, args, exits] of cases) {
    const file = path.join(work, `${name}.sarif`);
    const run = spawnSync(process.execPath, [cli, 'check', ...args, '--format', 'sarif', '--output', file, '--quiet', '--sarif-root', root], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (!exits.includes(run.status ?? -1) || !existsSync(file))
      fail(`${name}: check exited ${run.status ?? run.signal} (expected ${exits.join(' or ')}): ${(run.stderr || run.stdout).trim().split('\n')[0] ?? ''}`);
    files.push(file);
  }
  files.push(...process.argv.slice(2).map((file) => path.resolve(file)));
  const output = path.join(work, 'validation.sarif');
  const validation = spawnSync(validator, ['validate', ...files, '--rule-kind', 'Gh;Sarif', '--output', output, '--log', 'ForceOverwrite', '--quiet'], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  if (validation.status !== 0 || !existsSync(output))
    fail(`the validator failed (exit ${validation.status ?? validation.signal}): ${(validation.stderr || validation.stdout).trim().split('\n')[0] ?? ''}`);
  const results = JSON.parse(readFileSync(output, 'utf8')).runs.flatMap((run) => run.results ?? []);
  const problems = results.filter((result) => result.level === 'error' || result.level === 'warning' || result.level === undefined);
  for (const problem of problems) {
    const where = problem.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?';
    process.stderr.write(
      `${path.basename(decodeURIComponent(where))}: ${problem.level ?? 'warning'} ${problem.ruleId}: ${(problem.message?.arguments ?? []).join(', ')}\n`,
    );
  }
  if (problems.length > 0) fail(`${problems.length} validator error(s) or warning(s) in ${files.length} SARIF files`);
  process.stdout.write(
    `sarif:validate: ${files.length} SARIF files, no error or warning from the Microsoft validator (rule kinds Gh;Sarif; ${results.length} notes)\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

function fail(message) {
  if (typeof work === 'string') rmSync(work, { recursive: true, force: true });
  process.stderr.write(`sarif:validate: ${message}\n`);
  process.exit(1);
}

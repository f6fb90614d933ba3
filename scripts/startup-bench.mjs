#!/usr/bin/env node
// Start-up time of `mcp-preflight --version`, `--help` and `rules` against `node -e 0`: each run
// in a fresh process, the commands alternated, median of STARTUP_RUNS (default 7). Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.STARTUP_RUNS ?? 7);
const bin = resolve(root, 'bin/mcp-preflight.js');
const cases = [
  ['node -e 0', ['-e', '0']],
  ['--version', [bin, '--version']],
  ['--help', [bin, '--help']],
  ['rules', [bin, 'rules']],
];

function once(args) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const times = new Map(cases.map(([name]) => [name, []]));
for (let i = 0; i < RUNS; i++) for (const [name, args] of cases) times.get(name).push(once(args));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(times.get('node -e 0'));
console.log(`| command | median ms (${RUNS} runs) | × node -e 0 |\n| --- | ---: | ---: |`);
for (const [name] of cases) {
  const value = median(times.get(name));
  console.log(`| ${name} | ${value.toFixed(0)} | ${(value / base).toFixed(2)} |`);
}

#!/usr/bin/env node
// Runs the steps of action.yml locally, as the GitHub runner would for a composite action: inputs
// (defaults from action.yml, overridden by `--input name=value`), fake GITHUB_* files in a temp
// directory, each step's `env` and `working-directory` expressions evaluated, its `run` under
// `bash --noprofile --norc -eo pipefail`, its GITHUB_OUTPUT collected for later steps.
//
//   node scripts/action-local.mjs                  # the two built-in scenarios, checked (exit 1 if not right)
//   node scripts/action-local.mjs --input stdio="node fixtures/servers/clean-stdio.mjs" [--out DIR]
//
// Needs a build (npm run build): the setup step then uses this checkout's CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const action = parse(readFileSync(path.join(repo, 'action.yml'), 'utf8'));

/** `${{ inputs.x }}`, `${{ github.action_path }}`, `${{ steps.id.outputs.y }}`; anything else is an error, so the action cannot use what this runner does not test. */
function evaluate(text, context) {
  return String(text).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_all, expression) => {
    let match;
    if ((match = /^inputs\.([\w-]+)$/.exec(expression))) {
      if (!(match[1] in context.inputs)) throw new Error(`action.yml uses undeclared input "${match[1]}"`);
      return context.inputs[match[1]];
    }
    if (expression === 'github.action_path') return context.actionPath;
    if (expression === 'github.workspace') return context.workspace;
    if (expression === 'runner.temp') return context.runnerTemp;
    if ((match = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression))) return context.steps[match[1]]?.[match[2]] ?? '';
    throw new Error(`action-local does not know the expression \${{ ${expression} }}`);
  });
}

/** GITHUB_OUTPUT lines: `name=value` and the heredoc form `name<<DELIMITER`. */
function readOutputs(file) {
  const outputs = {};
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const equals = lines[i].indexOf('=');
    if (equals > 0) outputs[lines[i].slice(0, equals)] = lines[i].slice(equals + 1);
  }
  return outputs;
}

/** Runs the action once; returns its outputs, the step results and the fake runner files. */
export function runAction(overrides, out = mkdtempSync(path.join(tmpdir(), 'preflight-action-'))) {
  mkdirSync(out, { recursive: true });
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, spec.default ?? '']));
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in inputs)) throw new Error(`action.yml has no input "${name}" (inputs: ${Object.keys(inputs).join(', ')})`);
    inputs[name] = value;
  }
  const files = {
    output: path.join(out, 'github_output'),
    summary: path.join(out, 'step_summary.md'),
    env: path.join(out, 'github_env'),
    path: path.join(out, 'github_path'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const context = { inputs, actionPath: repo, workspace: repo, runnerTemp: out, steps: {} };
  const steps = [];
  for (const step of action.runs.steps) {
    writeFileSync(files.output, '');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? out,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_WORKSPACE: repo,
      GITHUB_ACTION_PATH: repo,
      RUNNER_TEMP: out,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      NO_COLOR: '1',
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(value, context);
    const cwd = path.resolve(repo, evaluate(step['working-directory'] ?? '.', context));
    const script = path.join(out, `step-${step.id}.sh`);
    writeFileSync(script, evaluate(step.run, context));
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8', timeout: 230_000 });
    context.steps[step.id] = readOutputs(files.output);
    steps.push({ id: step.id, status: result.status, stdout: result.stdout, stderr: result.stderr });
    // A failing step ends a composite action, as on the runner.
    if (result.status !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, evaluate(spec.value, context)]));
  return { out, inputs, outputs, steps, summary: readFileSync(files.summary, 'utf8') };
}

/** What the action must produce for a fixture: SARIF, summary, annotations, outputs; a list of problems. */
export function verify(run, expected) {
  const problems = [];
  const check = run.steps.find((step) => step.id === 'check');
  if (!check) return [`the check step did not run (setup: ${run.steps[0]?.stderr.trim()})`];
  if (check.status !== expected.exitCode) problems.push(`the check step exited ${check.status}, expected ${expected.exitCode}`);
  if (run.outputs['exit-code'] !== String(expected.exitCode)) problems.push(`output exit-code is "${run.outputs['exit-code']}", expected ${expected.exitCode}`);
  const sarifFile = path.resolve(repo, run.outputs.sarif);
  if (!run.outputs.sarif || !existsSync(sarifFile)) problems.push(`no SARIF file at output sarif "${run.outputs.sarif}"`);
  else {
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    const results = log.runs?.[0]?.results ?? [];
    if (log.version !== '2.1.0' || log.runs.length !== 1) problems.push('the SARIF is not a one-run 2.1.0 log');
    if (results.filter((result) => result.level === 'error').length !== expected.errors)
      problems.push(`the SARIF has ${results.filter((result) => result.level === 'error').length} error results, expected ${expected.errors}`);
  }
  if (!/^## mcp-preflight \S+: (✅ gate passed|❌ gate failed)/m.test(run.summary)) problems.push('the job summary has no mcp-preflight verdict heading');
  if (!run.outputs.markdown || !existsSync(run.outputs.markdown) || readFileSync(run.outputs.markdown, 'utf8') !== run.summary)
    problems.push('output markdown is not the file appended to the job summary');
  if (!run.summary.includes(expected.passed ? 'gate passed' : 'gate failed'))
    problems.push(`the job summary does not say "${expected.passed ? 'gate passed' : 'gate failed'}"`);
  const lines = check.stdout.split('\n');
  const stop = lines.findIndex((line) => /^::stop-commands::[0-9a-f-]{36}$/.test(line));
  const resume = stop === -1 ? -1 : lines.indexOf(`::${lines[stop].slice('::stop-commands::'.length)}::`);
  if (stop === -1 || resume === -1) problems.push('the text report is not fenced by ::stop-commands:: and its resume token');
  const annotations = lines.slice(resume + 1).filter((line) => line.startsWith('::'));
  const gateLine = annotations[0] ?? '';
  if (!gateLine.startsWith(expected.passed ? '::notice title=mcp-preflight gate' : '::error title=mcp-preflight gate'))
    problems.push(`the first annotation is not the gate's: ${gateLine}`);
  const placed = annotations.filter((line) => line.startsWith('::error file=')).length;
  if (placed !== expected.errors) problems.push(`${placed} error annotations with a file, expected ${expected.errors}`);
  if (annotations.some((line) => !/^::(error|warning|notice)( [^:]*)?::/.test(line))) problems.push('an annotation line is not a workflow command');
  return problems;
}

export const SCENARIOS = [
  {
    name: 'bad fixture: gate fails',
    inputs: { stdio: 'node fixtures/servers/bad-stdio.mjs', sarif: 'SARIF_PATH' },
    expected: { exitCode: 1, errors: 8, passed: false },
  },
  {
    name: 'clean fixture: gate passes',
    inputs: { stdio: 'node fixtures/servers/clean-stdio.mjs', sarif: 'SARIF_PATH' },
    expected: { exitCode: 0, errors: 0, passed: true },
  },
];

function main(argv) {
  const overrides = {};
  let out;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input') {
      const [name, ...value] = argv[++i].split('=');
      overrides[name] = value.join('=');
    } else if (argv[i] === '--out') out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --input name=value, --out DIR)`);
  }
  if (Object.keys(overrides).length > 0) {
    const run = runAction(overrides, out);
    for (const step of run.steps) process.stdout.write(`--- step ${step.id} (exit ${step.status})\n${step.stdout}${step.stderr}`);
    process.stdout.write(`--- outputs ${JSON.stringify(run.outputs)}\n--- files in ${run.out}\n`);
    return run.steps.at(-1)?.status ?? 1;
  }
  let failed = 0;
  for (const [index, scenario] of SCENARIOS.entries()) {
    const dir = mkdtempSync(path.join(out ?? tmpdir(), `preflight-action-${index}-`));
    const inputs = { ...scenario.inputs, sarif: path.join(dir, 'mcp-preflight.sarif') };
    const problems = verify(runAction(inputs, dir), scenario.expected);
    failed += problems.length > 0 ? 1 : 0;
    process.stdout.write(`${problems.length === 0 ? 'ok' : 'FAILED'}  ${scenario.name}${problems.map((problem) => `\n    - ${problem}`).join('')}\n`);
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));

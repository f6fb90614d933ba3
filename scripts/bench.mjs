#!/usr/bin/env node
// npm run bench: source analysis (src/source: parse, extract every registration, handler facts)
// against `tsc --noEmit` on the same generated 2,000-file MCP server project (written under the OS
// temp directory, removed afterwards). Wall time and peak memory (max RSS) of each, measured in a
// child process, median of BENCH_RUNS (default 3). BENCH_FULL=1 also times the whole
// `mcp-preflight check --source` (analysis plus every rule and the report). Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.env.BENCH_FILES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function generate(directory) {
  const src = join(directory, 'src');
  mkdirSync(join(src, 'tools'), { recursive: true });
  mkdirSync(join(src, 'lib'), { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'bench-server', private: true, type: 'module' }, null, 2));
  writeFileSync(
    join(directory, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['src/**/*.ts'] }, null, 2),
  );
  // A self-contained stand-in for the SDK and zod, so tsc type-checks the tree without node_modules.
  writeFileSync(
    join(src, 'sdk.ts'),
    `export interface Schema<T> { parse(value: unknown): T; optional(): Schema<T | undefined>; max(n: number): Schema<T>; min(n: number): Schema<T>; describe(text: string): Schema<T> }
function schema<T>(): Schema<T> { const s: Schema<T> = { parse: (v) => v as T, optional: () => s as Schema<T | undefined>, max: () => s, min: () => s, describe: () => s }; return s; }
export const z = { string: () => schema<string>(), number: () => schema<number>(), boolean: () => schema<boolean>() };
export type Result = { content: Array<{ type: 'text'; text: string }> };
export class McpServer {
  constructor(readonly info: { name: string; version: string }) {}
  registerTool(name: string, config: { description?: string; inputSchema?: Record<string, Schema<unknown>>; annotations?: Record<string, boolean> }, handler: (args: any) => Promise<Result>): void { void name; void config; void handler; }
}
export const server = new McpServer({ name: 'bench', version: '1.0.0' });
`,
  );
  const helpers = Math.max(1, Math.floor(FILES / 10));
  for (let i = 0; i < helpers; i++) {
    writeFileSync(
      join(src, 'lib', `helper-${i}.ts`),
      `export async function lookup${i}(query: string): Promise<string> {
  const response = await fetch('https://api.example.com/${i}?q=' + encodeURIComponent(query), { signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  return text.slice(0, ${1000 + i});
}
export function format${i}(value: number, digits = 2): string {
  return value.toFixed(digits) + ' units';
}
`,
    );
  }
  const tools = FILES - helpers - 2;
  const imports = [];
  for (let i = 0; i < tools; i++) {
    const helper = i % helpers;
    writeFileSync(
      join(src, 'tools', `tool-${i}.ts`),
      `import { server, z } from '../sdk.js';
import { format${helper}, lookup${helper} } from '../lib/helper-${helper}.js';

const NAME = 'tool_${i}';

export function register${i}(): void {
  server.registerTool(
    NAME,
    {
      description: 'Looks up item ${i} and formats the answer.',
      inputSchema: { query: z.string().max(200).describe('What to look up'), limit: z.number().min(1).max(50).optional() },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ query, limit }: { query: string; limit?: number }) => {
      const text = await lookup${helper}(query);
      const summary = text.length > (limit ?? 10) ? text.slice(0, limit ?? 10) : text;
      return { content: [{ type: 'text', text: summary + ' ' + format${helper}(text.length) }] };
    },
  );
}
`,
    );
    imports.push(`import { register${i} } from './tools/tool-${i}.js';\nregister${i}();`);
  }
  writeFileSync(join(src, 'index.ts'), `${imports.join('\n')}\n`);
  return FILES;
}

/** Runs `node <args>` with an exit hook that reports max RSS; returns wall ms and peak MiB. */
function measure(args, cwd) {
  const hook = join(mkdtempSync(join(tmpdir(), 'bench-hook-')), 'rss.mjs');
  writeFileSync(hook, "process.on('exit', () => { process.stderr.write(`\\nBENCH_MAX_RSS_KB ${process.resourceUsage().maxRSS}\\n`); });\n");
  const started = performance.now();
  const child = spawnSync(process.execPath, [`--import=${new URL(`file://${hook}`).href}`, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  rmSync(dirname(hook), { recursive: true, force: true });
  const match = /BENCH_MAX_RSS_KB (\d+)/.exec(child.stderr);
  if (!match) throw new Error(`no RSS reported (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return { wallMs, peakMiB: Number(match[1]) / 1024, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const directory = mkdtempSync(join(tmpdir(), 'mcp-preflight-bench-'));
try {
  const files = generate(directory);
  const cli = join(root, 'bin', 'mcp-preflight.js');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const report = join(directory, 'report.json');
  const ours = [];
  const theirs = [];
  for (let run = 0; run < RUNS; run++) {
    const analysis = measure(['--input-type=module', '-e', `const { analyzeSource } = await import(${JSON.stringify(new URL('../dist/source/index.js', import.meta.url).href)}); const facts = await analyzeSource(${JSON.stringify(directory)}); console.log(JSON.stringify({ registrations: facts.registrations.length }));`], directory);
    if (analysis.status !== 0) throw new Error(`source analysis failed (exit ${analysis.status}): ${analysis.stderr.slice(-2000)}`);
    ours.push(analysis);
    if (process.env.BENCH_FULL) {
      const full = measure([cli, 'check', '--source', directory, '--format', 'json', '--output', report], directory);
      if (full.status !== 0 && full.status !== 1) throw new Error(`check --source failed (exit ${full.status}): ${full.stderr.slice(-2000)}`);
      console.log(`full check --source (run ${run + 1}): ${Math.round(full.wallMs)} ms wall, ${Math.round(full.peakMiB)} MiB peak RSS`);
    }
    const typecheck = measure([tsc, '-p', join(directory, 'tsconfig.json'), '--noEmit'], directory);
    if (typecheck.status !== 0) throw new Error(`tsc --noEmit failed (exit ${typecheck.status}): ${typecheck.stdout.slice(-2000)}`);
    theirs.push(typecheck);
  }
  const summary = {
    files,
    registrations: JSON.parse(ours[0].stdout).registrations,
    runs: RUNS,
    node: process.version,
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    sourceAnalysis: { wallMs: Math.round(median(ours.map((r) => r.wallMs))), peakMiB: Math.round(median(ours.map((r) => r.peakMiB))) },
    tscNoEmit: { wallMs: Math.round(median(theirs.map((r) => r.wallMs))), peakMiB: Math.round(median(theirs.map((r) => r.peakMiB))) },
  };
  summary.ratio = { wall: Number((summary.sourceAnalysis.wallMs / summary.tscNoEmit.wallMs).toFixed(2)), memory: Number((summary.sourceAnalysis.peakMiB / summary.tscNoEmit.peakMiB).toFixed(2)) };
  console.log(`generated ${files} files (${summary.registrations} registrations) under ${tmpdir()}; median of ${RUNS} runs, Node ${process.version}, ${summary.cpus} CPUs`);
  console.log(`source analysis (src/source): ${summary.sourceAnalysis.wallMs} ms wall, ${summary.sourceAnalysis.peakMiB} MiB peak RSS`);
  console.log(`tsc --noEmit                 : ${summary.tscNoEmit.wallMs} ms wall, ${summary.tscNoEmit.peakMiB} MiB peak RSS`);
  console.log(`ratio (ours / tsc)           : wall ${summary.ratio.wall}, memory ${summary.ratio.memory} (target: at most 0.5 wall)`);
  console.log(JSON.stringify(summary));
} finally {
  rmSync(directory, { recursive: true, force: true });
}

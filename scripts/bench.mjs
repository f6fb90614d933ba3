#!/usr/bin/env node
// npm run bench (issue 18): every speed ratio side by side in one run, ours and the reference
// alternated, medians of BENCH_RUNS (default 7; BENCH_RUNS_10K for the 10,000-tool row, default the
// same). Rows:
//   - start-up: `--version` and `rules` against `node -e 0` (target <= 1.5);
//   - live: full `check` on @modelcontextprotocol/server-memory against the MCP Inspector CLI
//     (`--cli ... --method tools/list`) on the same server, both under Node 22 (target <= 1.0);
//   - scale: `check --format json` and `discover --format json` on fixtures/hostile/many-tools-stdio.mjs
//     with 1,000 / 5,000 / 10,000 tools (100 a page) against a bare SDK client listing them
//     (targets <= 1.5 and <= 1.1), with peak memory (target < 512 MiB at 10,000) and its growth;
//   - source analysis (src/source) against `tsc --noEmit` on a generated 2,000-file server (<= 0.5).
// The Inspector, the memory server and Node 22 are installed from npm into a temporary directory
// (`npm install --prefix`); if that fails the reason is printed and those rows are skipped. Wall time
// and peak memory (max RSS of the measured process only, not of the server it starts) are measured
// in child processes. Writes the table to docs/benchmarks.md between the bench markers
// (BENCH_WRITE=0 to only print). BENCH_ONLY=startup,live,scale,source picks groups of rows; `--only a,b`
// picks groups or single rows (version, rules, live, check-1k, discover-1k, check-5k, discover-5k,
// check-10k, discover-10k, source) and, unless it names every row, only prints (nothing is written).
// `--runs N` overrides BENCH_RUNS. BENCH_FULL=1 also times the whole `mcp-preflight check --source`.
// Needs `npm run build`. Not part of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.env.BENCH_FILES ?? 2000);
const flag = (name) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const RUNS = Number(flag('--runs') ?? process.env.BENCH_RUNS ?? 7);
const RUNS_10K = Number(flag('--runs') ?? process.env.BENCH_RUNS_10K ?? RUNS);
const GROUPS = {
  startup: ['version', 'rules'],
  live: ['live'],
  scale: ['check-1k', 'discover-1k', 'check-5k', 'discover-5k', 'check-10k', 'discover-10k'],
  source: ['source'],
};
const ALL_ROWS = Object.values(GROUPS).flat();
const picked = (flag('--only') ?? process.env.BENCH_ONLY ?? Object.keys(GROUPS).join(',')).split(',').flatMap((name) => GROUPS[name] ?? [name]);
for (const name of picked) if (!ALL_ROWS.includes(name)) throw new Error(`--only ${name}: use ${[...Object.keys(GROUPS), ...ALL_ROWS].join(', ')}`);
/** Rows to run: a row key (`check-10k`) is in the selection. */
const want = (row) => picked.includes(row);
const ONLY = new Set(Object.keys(GROUPS).filter((group) => GROUPS[group].some(want)));
// A partial --only run is a probe: it prints and leaves docs/benchmarks.md alone.
const WRITE = process.env.BENCH_WRITE !== '0' && (flag('--only') === undefined || ALL_ROWS.every(want));

function generate(directory) {
  const src = join(directory, 'src');
  mkdirSync(join(src, 'tools'), { recursive: true });
  mkdirSync(join(src, 'lib'), { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'bench-server', private: true, type: 'module' }, null, 2));
  writeFileSync(
    join(directory, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        include: ['src/**/*.ts'],
      },
      null,
      2,
    ),
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

const hookDir = mkdtempSync(join(tmpdir(), 'bench-hook-'));
const hook = join(hookDir, 'rss.mjs');
writeFileSync(hook, "process.on('exit', () => { process.stderr.write(`\\nBENCH_MAX_RSS_KB ${process.resourceUsage().maxRSS}\\n`); });\n");

/**
 * Runs `<node> <args>` with an exit hook that reports its own max RSS; stdout goes to a file (not
 * through this process). Returns wall ms, peak MiB (undefined when `rss` is false) and the exit status.
 */
function measure(args, cwd, { node = process.execPath, rss = true, ok = [0], env } = {}) {
  const out = join(hookDir, 'stdout');
  const fd = openSync(out, 'w');
  const started = performance.now();
  const child = spawnSync(node, rss ? [`--import=${new URL(`file://${hook}`).href}`, ...args] : args, {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', fd, 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  closeSync(fd);
  const stdout = readFileSync(out, 'utf8');
  if (!ok.includes(child.status)) throw new Error(`${[node, ...args].join(' ')} exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const match = /BENCH_MAX_RSS_KB (\d+)/.exec(child.stderr);
  if (rss && !match) throw new Error(`no RSS reported (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return { wallMs, peakMiB: match ? Number(match[1]) / 1024 : undefined, status: child.status, stdout, stderr: child.stderr };
}
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const fmt = (n, digits = 0) => (n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const cli = join(root, 'bin', 'mcp-preflight.js');
const rows = [];
const skipped = [];
const load = { start: loadavg() };
const started = new Date();

/**
 * Alternates `ours` and `reference` (order flipped every run) `runs` times and records a row:
 * median wall and peak memory of each and their ratio.
 */
function compare({ label, target, runs = RUNS, ours, reference, extra, why }) {
  const a = [];
  const b = [];
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      a.push(ours());
      b.push(reference());
    } else {
      b.push(reference());
      a.push(ours());
    }
  }
  const med = (list, key) => (list.every((r) => r[key] !== undefined) ? median(list.map((r) => r[key])) : undefined);
  const row = {
    label,
    runs,
    ours: { wallMs: med(a, 'wallMs'), peakMiB: med(a, 'peakMiB') },
    reference: { wallMs: med(b, 'wallMs'), peakMiB: med(b, 'peakMiB') },
    target,
    why,
    ...(extra ? extra(a, b) : {}),
  };
  row.ratio = row.ours.wallMs / row.reference.wallMs;
  row.met = target === undefined ? undefined : row.ratio <= target;
  rows.push(row);
  console.log(
    `${label}: ours ${fmt(row.ours.wallMs)} ms${row.ours.peakMiB ? `, ${fmt(row.ours.peakMiB)} MiB` : ''}; reference ${fmt(row.reference.wallMs)} ms${row.reference.peakMiB ? `, ${fmt(row.reference.peakMiB)} MiB` : ''}; ratio ${fmt(row.ratio, 2)}${target ? ` (target <= ${target}: ${row.met ? 'met' : 'NOT met'})` : ''} [median of ${runs}]`,
  );
  return row;
}

function skip(what, why) {
  skipped.push({ what, why });
  console.log(`SKIPPED ${what}: ${why}`);
}

const work = mkdtempSync(join(tmpdir(), 'mcp-preflight-bench-'));
try {
  const empty = join(work, 'empty');
  mkdirSync(empty);

  if (ONLY.has('startup')) {
    const bare = () => measure(['-e', '0'], empty);
    if (want('version'))
      compare({
        label: 'start-up: --version vs node -e 0',
        target: 1.5,
        why: 'in-the-way-start-up',
        ours: () => measure([cli, '--version'], empty),
        reference: bare,
      });
    if (want('rules'))
      compare({ label: 'start-up: rules vs node -e 0', target: 1.5, why: 'in-the-way-start-up', ours: () => measure([cli, 'rules'], empty), reference: bare });
  }

  if (ONLY.has('live')) {
    // The Inspector, the memory server and Node 22 (the Inspector needs it), from npm, in a temp dir.
    const tools = join(work, 'npm');
    let node22;
    try {
      execFileSync(
        'npm',
        [
          'install',
          '--prefix',
          tools,
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          '@modelcontextprotocol/inspector',
          '@modelcontextprotocol/server-memory',
          'node@22',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
      );
      node22 = join(tools, 'node_modules', 'node', 'bin', 'node');
      const version = execFileSync(node22, ['--version'], { encoding: 'utf8' }).trim();
      if (!version.startsWith('v22.')) throw new Error(`node@22 gave ${version}`);
      const pkg = (name) => JSON.parse(readFileSync(join(tools, 'node_modules', name, 'package.json'), 'utf8')).version;
      const inspector = join(tools, 'node_modules', '@modelcontextprotocol', 'inspector', 'cli', 'build', 'cli.js');
      const memory = join(tools, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');
      for (const file of [inspector, memory]) if (!existsSync(file)) throw new Error(`${file} not found after install`);
      // The Inspector launcher spawns `node` from PATH: put Node 22 first. The memory server keeps its graph in this file.
      const env = { ...process.env, PATH: `${dirname(node22)}:${process.env.PATH}`, MEMORY_FILE_PATH: join(work, 'memory.jsonl') };
      const server = `${node22} ${memory}`;
      compare({
        why: 'in-the-way-live',
        label: `live: check on server-memory ${pkg('@modelcontextprotocol/server-memory')} vs Inspector ${pkg('@modelcontextprotocol/inspector')} --cli --method tools/list (Node ${version})`,
        target: 1.0,
        ours: () => measure([cli, 'check', '--stdio', server, '--format', 'json'], empty, { node: node22, ok: [0, 1], env }),
        // The launcher is a wrapper that spawns the CLI client: its RSS would not be the client's, so wall time only.
        reference: () => measure([inspector, '--cli', node22, memory, '--method', 'tools/list'], empty, { node: node22, rss: false, env }),
      });
    } catch (error) {
      const why = (error.stderr || error.message || String(error)).toString().trim().split('\n').slice(-5).join(' | ');
      skip(
        'live row (server-memory vs the MCP Inspector CLI)',
        `installing or running @modelcontextprotocol/inspector, server-memory, node@22 from npm failed: ${why}`,
      );
    }
  }

  if (ONLY.has('scale')) {
    const server = join(root, 'fixtures', 'hostile', 'many-tools-stdio.mjs');
    const sdk = (path) => JSON.stringify(pathToFileURL(join(root, 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm', path)).href);
    const bareClient = join(work, 'bare-client.mjs');
    writeFileSync(
      bareClient,
      `import { Client } from ${sdk('client/index.js')};
import { StdioClientTransport } from ${sdk('client/stdio.js')};
const [command, ...args] = process.argv.slice(2);
const client = new Client({ name: 'bare', version: '1.0.0' });
await client.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
const tools = [];
let cursor;
do { const page = await client.listTools(cursor ? { cursor } : {}); tools.push(...page.tools); cursor = page.nextCursor; } while (cursor);
process.stdout.write(JSON.stringify({ tools }, null, 2) + '\\n');
await client.close();
`,
    );
    const memory = [];
    const key = (n) => `${n / 1000}k`;
    for (const n of [1000, 5000, 10000].filter((size) => want(`check-${key(size)}`) || want(`discover-${key(size)}`))) {
      // One poisoned tool in each (position 1), so the check has something to find at every size.
      const serverArgs = [server, '--tools', String(n), '--page-size', '100', '--poison-at', '1'];
      const stdio = [process.execPath, ...serverArgs].join(' ');
      const runs = n === 10000 ? RUNS_10K : RUNS;
      const reference = () => measure([bareClient, process.execPath, ...serverArgs], empty);
      const check = !want(`check-${key(n)}`)
        ? undefined
        : compare({
            label: `scale: check --format json, ${fmt(n)} tools vs bare SDK client`,
            why: 'in-the-way-check',
            target: 1.5,
            runs,
            ours: () => measure([cli, 'check', '--stdio', stdio, '--format', 'json'], empty, { ok: [1] }),
            reference,
          });
      if (want(`discover-${key(n)}`))
        compare({
          label: `scale: discover --format json, ${fmt(n)} tools vs bare SDK client`,
          why: 'in-the-way-discover',
          target: 1.1,
          runs,
          ours: () => measure([cli, 'discover', '--stdio', stdio, '--format', 'json'], empty),
          reference,
        });
      if (check) memory.push({ n, check: check.ours.wallMs, peakMiB: check.ours.peakMiB });
    }
    const [m1, m5, m10] = memory;
    if (memory.length === 3) {
      const perThousand = (m10.peakMiB - m1.peakMiB) / 9;
      const msPerThousand = (m10.check - m1.check) / 9;
      // Linear: the 5,000 point lies near the line through 1,000 and 10,000.
      const predicted5 = m1.peakMiB + perThousand * 4;
      const predicted5ms = m1.check + msPerThousand * 4;
      rows.push({
        label: 'scale: check memory and time growth',
        note: `peak RSS ${fmt(m1.peakMiB)} / ${fmt(m5.peakMiB)} / ${fmt(m10.peakMiB)} MiB at 1k / 5k / 10k: +${fmt(perThousand, 1)} MiB per 1,000 tools (5k predicted ${fmt(predicted5)}); check wall +${fmt(msPerThousand)} ms per 1,000 tools (5k predicted ${fmt(predicted5ms)}, measured ${fmt(m5.check)})`,
        met: m10.peakMiB < 512,
        target: '< 512 MiB at 10k, linear',
        why: 'in-the-way-check',
      });
      console.log(`scale: ${rows.at(-1).note}; 10k under 512 MiB: ${m10.peakMiB < 512 ? 'met' : 'NOT met'}`);
    }
  }

  if (ONLY.has('source')) {
    const directory = join(work, 'source');
    mkdirSync(directory);
    const files = generate(directory);
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const analysis = () =>
      measure(
        [
          '--input-type=module',
          '-e',
          `const { analyzeSource } = await import(${JSON.stringify(new URL('../dist/source/index.js', import.meta.url).href)}); const facts = await analyzeSource(${JSON.stringify(directory)}); console.log(JSON.stringify({ registrations: facts.registrations.length }));`,
        ],
        directory,
      );
    const row = compare({
      label: `source analysis vs tsc --noEmit (${fmt(files)} files)`,
      why: 'in-the-way-source',
      target: 0.5,
      ours: analysis,
      reference: () => measure([tsc, '-p', join(directory, 'tsconfig.json'), '--noEmit'], directory),
    });
    if (process.env.BENCH_FULL) {
      const full = measure([cli, 'check', '--source', directory, '--format', 'json'], directory, { ok: [0, 1] });
      console.log(`full check --source: ${fmt(full.wallMs)} ms wall, ${fmt(full.peakMiB)} MiB peak RSS`);
      row.note = `full check --source: ${fmt(full.wallMs)} ms, ${fmt(full.peakMiB)} MiB`;
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(hookDir, { recursive: true, force: true });
}

load.end = loadavg();
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} CPUs, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${process.platform}`;
const la = (l) => l.map((x) => x.toFixed(2)).join(' ');
// A row short of its goal links to the hand-written section below the block that says what stands in its way.
const met = (row) => (row.met ? 'yes' : row.why ? `no: [why](#${row.why})` : 'no');
const lines = [
  `Run of ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; load average (1/5/15 min) ${la(load.start)} at the start, ${la(load.end)} at the end. Medians of ${RUNS} runs${RUNS_10K !== RUNS ? ` (${RUNS_10K} for 10,000 tools)` : ''}, ours and the reference alternated.`,
  '',
  '| comparison | ours | reference | ratio | target | met |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((row) =>
    row.note && row.ratio === undefined
      ? `| ${row.label} | ${row.note} | | | ${row.target} | ${met(row)} |`
      : `| ${row.label} | ${fmt(row.ours.wallMs)} ms${row.ours.peakMiB ? `, ${fmt(row.ours.peakMiB)} MiB` : ''} | ${fmt(row.reference.wallMs)} ms${row.reference.peakMiB ? `, ${fmt(row.reference.peakMiB)} MiB` : ''} | ${fmt(row.ratio, 2)} | ≤ ${row.target} | ${met(row)}${row.note ? ` (${row.note})` : ''} |`,
  ),
  ...skipped.map((s) => `| ${s.what} | skipped: ${s.why.replace(/\|/g, '/')} | | | | |`),
];
console.log(`\n${lines.join('\n')}`);
console.log(JSON.stringify({ machine, load, runs: RUNS, runs10k: RUNS_10K, rows, skipped }));

if (WRITE) {
  const doc = join(root, 'docs', 'benchmarks.md');
  const text = readFileSync(doc, 'utf8');
  const begin = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  const block = `${begin}\n${lines.join('\n')}\n${end}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  writeFileSync(
    doc,
    i >= 0 && j > i
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : text.replace(/\n## /, `\n## Latest \`npm run bench\` (all ratios, issue 18)\n\n${block}\n\n## `),
  );
  console.log(`wrote ${doc}`);
}

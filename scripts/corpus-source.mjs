#!/usr/bin/env node
// Source analysis on real code, measured (issue 15): installs published MCP servers that ship their
// code from npm into a directory OUTSIDE the repository, runs `check --stdio <server> --source
// <installed package>` on each (dist/ of this repository: run `npm run build` first), and prints per
// server the share of live tools mapped to a source line and the handler facts found.
// Needs the npm registry; not part of `npm test`. No tool is ever called (no --probe).
// It also keeps the source findings of each server in test/corpus/source/<package>@<version>.yaml
// (`--snapshot`): rule, level, file:line in the package, message, and a judgement by hand (`true` /
// `false` with a one-line reason read from the package's code) that a re-run carries over.
// `--check` needs no network: it reads those snapshots and puts the precision of each source rule
// in docs/precision.md between <!-- corpus:source-precision:start --> and <!-- ...:end -->.
// Usage: node scripts/corpus-source.mjs [--write] [--snapshot] [--dir <install dir>] [--only <name,...>]
//        node scripts/corpus-source.mjs --check [--write]
//   --write     put the table(s) in docs/precision.md between the markers
//   --snapshot  write the source findings to test/corpus/source/ (judgements kept)
//   --check     no install, no run: precision per source rule from the committed snapshots
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const START = '<!-- corpus:source:start -->';
export const END = '<!-- corpus:source:end -->';
export const PRECISION_START = '<!-- corpus:source-precision:start -->';
export const PRECISION_END = '<!-- corpus:source-precision:end -->';
const snapshots = join(root, 'test', 'corpus', 'source');

/**
 * Servers whose tools list without network or real credentials (dummy values stand in), at the
 * versions of test/corpus/servers/. `bin` is relative to the package, `<sandbox>` an empty folder.
 */
export const SERVERS = [
  { package: '@modelcontextprotocol/server-filesystem', version: '2026.8.31', bin: 'dist/index.js', args: ['<sandbox>'] },
  { package: '@modelcontextprotocol/server-memory', version: '2026.8.31', bin: 'dist/index.js', env: { MEMORY_FILE_PATH: '<sandbox>/memory.jsonl' } },
  { package: '@modelcontextprotocol/server-everything', version: '2026.8.31', bin: 'dist/index.js' },
  { package: '@modelcontextprotocol/server-sequential-thinking', version: '2026.8.31', bin: 'dist/index.js' },
  { package: '@modelcontextprotocol/server-github', version: '2025.4.8', bin: 'dist/index.js', env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'dummy' } },
  { package: '@modelcontextprotocol/server-slack', version: '2025.4.25', bin: 'dist/index.js', env: { SLACK_BOT_TOKEN: 'dummy', SLACK_TEAM_ID: 'dummy' } },
  { package: '@modelcontextprotocol/server-google-maps', version: '0.6.2', bin: 'dist/index.js', env: { GOOGLE_MAPS_API_KEY: 'dummy' } },
  { package: '@modelcontextprotocol/server-brave-search', version: '0.6.2', bin: 'dist/index.js', env: { BRAVE_API_KEY: 'dummy' } },
  {
    package: '@cyanheads/git-mcp-server',
    version: '2.15.3',
    bin: 'dist/index.js',
    env: { MCP_TRANSPORT_TYPE: 'stdio', GIT_BASE_DIR: '<sandbox>', MCP_LOG_LEVEL: 'error' },
  },
  { package: '@wonderwhy-er/desktop-commander', version: '0.2.52', bin: 'dist/index.js' },
  { package: 'mcp-server-kubernetes', version: '4.1.7', bin: 'dist/index.js' },
  { package: 'chrome-devtools-mcp', version: '1.11.0', bin: 'build/src/bin/chrome-devtools-mcp.js', args: ['--headless', '--no-usage-statistics'] },
  { package: '@roychri/mcp-server-asana', version: '1.8.0', bin: 'dist/index.js', env: { ASANA_ACCESS_TOKEN: 'dummy' } },
  {
    package: '@zereight/mcp-gitlab',
    version: '2.1.64',
    bin: 'build/index.js',
    env: { GITLAB_PERSONAL_ACCESS_TOKEN: 'dummy', GITLAB_API_URL: 'http://127.0.0.1:9/api/v4' },
  },
  { package: '@winor30/mcp-server-datadog', version: '1.8.0', bin: 'build/index.js', env: { DATADOG_API_KEY: 'dummy', DATADOG_APP_KEY: 'dummy' } },
  { package: 'airtable-mcp-server', version: '1.14.0', bin: 'dist/main.js', env: { AIRTABLE_API_KEY: 'dummy' } },
  { package: 'tavily-mcp', version: '0.2.22', bin: 'build/index.js', env: { TAVILY_API_KEY: 'dummy' } },
  { package: 'linear-mcp', version: '1.2.0', bin: 'build/index.js', env: { LINEAR_API_KEY: 'dummy' } },
  { package: 'mcp-hello-world', version: '1.1.2', bin: 'build/stdio.js' },
  { package: 'firecrawl-mcp', version: '3.22.2', bin: 'dist/index.js', env: { FIRECRAWL_API_KEY: 'dummy' } },
  { package: '@line/line-bot-mcp-server', version: '0.4.2', bin: 'dist/index.js', env: { CHANNEL_ACCESS_TOKEN: 'dummy', DESTINATION_USER_ID: 'dummy' } },
  { package: '@mapbox/mcp-server', version: '0.2.0', bin: 'dist/index.js', env: { MAPBOX_ACCESS_TOKEN: 'dummy' } },
  { package: '@circleci/mcp-server-circleci', version: '0.20.0', bin: 'dist/index.js', env: { CIRCLECI_TOKEN: 'dummy' } },
  { package: 'mcp-server-code-runner', version: '0.1.8', bin: 'dist/cli.js' },
  { package: '@antv/mcp-server-chart', version: '0.9.10', bin: 'build/index.js' },
];

function argument(name) {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

/** What one `check --format json` report says about the mapping: per server one row. */
export function rowOf(server, report) {
  const target = report.targets[0];
  const inventory = target.inventory;
  const registrations = inventory.source?.registrations ?? [];
  const at = (location) => `${location.file}:${location.line}:${location.column}`;
  const byLocation = new Map(registrations.map((registration) => [at(registration.location), registration]));
  const tools = inventory.tools;
  const mapped = tools.filter((tool) => tool.origin.source !== undefined);
  const handlers = mapped.map((tool) => byLocation.get(at(tool.origin.source))?.handler).filter((handler) => handler !== undefined);
  const facts = {};
  for (const handler of handlers) for (const site of handler.reaches) facts[site.kind] = (facts[site.kind] ?? 0) + 1;
  return {
    server: `${server.package}@${server.version}`,
    files: inventory.source?.files ?? 0,
    tools: tools.length,
    mapped: mapped.length,
    handlers: handlers.length,
    facts,
    unmapped: tools.filter((tool) => tool.origin.source === undefined).map((tool) => tool.name),
  };
}

function percent(part, whole) {
  return whole === 0 ? '–' : `${Math.round((1000 * part) / whole) / 10}%`;
}

/** The markdown section, markers included. */
export function formatTable(rows) {
  const total = rows.reduce((sum, row) => sum + row.tools, 0);
  const mapped = rows.reduce((sum, row) => sum + row.mapped, 0);
  const handlers = rows.reduce((sum, row) => sum + row.handlers, 0);
  const lines = [START, '## Source mapping on published servers', ''];
  lines.push('`npm run corpus:source` installs each server from npm (outside the repository), lists it live and runs');
  lines.push('`check --source` on the installed package (its shipped `dist/` or `build/` JavaScript). **Mapped**: live tools');
  lines.push('whose registration was found at a source line; **handlers**: mapped tools whose handler code was found;');
  lines.push('**handler facts**: the code sites those handlers reach, by kind.');
  lines.push('');
  lines.push('| server | files | tools | mapped | % | handlers | handler facts | not mapped |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const row of rows) {
    const facts =
      Object.entries(row.facts)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ') || '–';
    const unmapped = row.error !== undefined ? `error: ${row.error}` : row.unmapped.length === 0 ? '–' : row.unmapped.map((name) => `\`${name}\``).join(' ');
    lines.push(
      `| \`${row.server}\` | ${row.files} | ${row.tools} | ${row.mapped} | ${percent(row.mapped, row.tools)} | ${row.handlers} | ${facts} | ${unmapped} |`,
    );
  }
  lines.push(`| **all ${rows.length} servers** | | **${total}** | **${mapped}** | **${percent(mapped, total)}** | **${handlers}** | | |`);
  lines.push('', END);
  return lines.join('\n');
}

/** `text` with its section between the markers replaced (appended when there is none). */
export function replaceSection(text, section, start = START, end = END) {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1 || to < from) return `${text.trimEnd()}\n\n${section}\n`;
  return `${text.slice(0, from)}${section}${text.slice(to + end.length)}`;
}

/** The snapshot file of one server: `@scope/name` spelled `@scope__name`, as in test/corpus/servers/. */
export function snapshotName(server) {
  return `${server.package.replace('/', '__')}@${server.version}.yaml`;
}

/** The source findings of a `check --format json` report, locations relative to the package. */
export function findingsOf(report, packageDir) {
  const findings = [];
  for (const target of report.targets) {
    for (const finding of target.findings ?? []) {
      if (finding.evidenceKind !== 'source') continue;
      const file =
        finding.location === undefined ? undefined : isAbsolute(finding.location.file) ? relative(packageDir, finding.location.file) : finding.location.file;
      findings.push({
        rule: finding.ruleId,
        level: finding.level,
        at: file === undefined ? '' : `${file.split('\\').join('/')}:${finding.location.line}`,
        message: finding.message,
      });
    }
  }
  return findings.sort((a, b) => (a.rule === b.rule ? (a.at === b.at ? (a.message < b.message ? -1 : 1) : a.at < b.at ? -1 : 1) : a.rule < b.rule ? -1 : 1));
}

const key = (finding) => `${finding.rule}\u0000${finding.at}\u0000${finding.message}`;

/**
 * The snapshot of one server: the findings of this run, each with the judgement the previous
 * snapshot gave the same rule, place and message (`judged: unjudged` for a new one).
 */
export function mergeSnapshot(server, findings, previous) {
  const judged = new Map((previous?.findings ?? []).map((finding) => [key(finding), finding]));
  return {
    server: `${server.package}@${server.version}`,
    findings: findings.map((finding) => {
      const old = judged.get(key(finding));
      return { ...finding, judged: old?.judged ?? 'unjudged', ...(old?.reason === undefined ? {} : { reason: old.reason }) };
    }),
  };
}

/** Per source rule over all snapshots: findings, level(s), judged true, judged false, unjudged. */
export function precisionOf(snapshotList) {
  const rules = new Map();
  for (const snapshot of snapshotList) {
    for (const finding of snapshot.findings ?? []) {
      const row = rules.get(finding.rule) ?? { rule: finding.rule, levels: new Set(), findings: 0, true: 0, false: 0, unjudged: 0, servers: new Set() };
      row.levels.add(finding.level);
      row.findings += 1;
      row.servers.add(snapshot.server);
      if (finding.judged === true) row.true += 1;
      else if (finding.judged === false) row.false += 1;
      else row.unjudged += 1;
      rules.set(finding.rule, row);
    }
  }
  return [...rules.values()]
    .map((row) => ({
      ...row,
      levels: [...row.levels].sort(),
      servers: row.servers.size,
      precision: row.true + row.false === 0 ? undefined : row.true / (row.true + row.false),
    }))
    .sort((a, b) => (a.rule < b.rule ? -1 : 1));
}

/** Whether a rule's warnings and errors miss the 90 % target (note-only rules are not held to it). */
export function belowTarget(row) {
  return row.levels.some((level) => level !== 'note') && row.precision !== undefined && row.precision < 0.9;
}

/** The markdown precision section, markers included. */
export function formatPrecision(rows, servers) {
  const lines = [PRECISION_START, '## Precision of the source rules on published servers', ''];
  lines.push(`Each source finding of \`npm run corpus:source\` on the ${servers} servers above is kept in`);
  lines.push('[`test/corpus/source/`](../test/corpus/source/) and judged by hand once, `true` or `false` with the reason read from');
  lines.push("the installed package's code. `npm run corpus:source -- --check --write` recomputes this table from those files");
  lines.push('(no network). **precision**: true / (true + false); the target is 90 % for every rule that reports warnings or errors.');
  lines.push('');
  lines.push('| rule | level | findings | servers | true | false | unjudged | precision |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const mark = belowTarget(row) ? ' (below 90 %)' : '';
    lines.push(
      `| \`${row.rule}\` | ${row.levels.join(', ')} | ${row.findings} | ${row.servers} | ${row.true} | ${row.false} | ${row.unjudged} | ${row.precision === undefined ? '–' : `${Math.round(1000 * row.precision) / 10}%`}${mark} |`,
    );
  }
  const total = rows.reduce(
    (sum, row) => ({ findings: sum.findings + row.findings, true: sum.true + row.true, false: sum.false + row.false, unjudged: sum.unjudged + row.unjudged }),
    { findings: 0, true: 0, false: 0, unjudged: 0 },
  );
  lines.push(
    `| **all ${rows.length} rules** | | **${total.findings}** | | **${total.true}** | **${total.false}** | **${total.unjudged}** | **${total.true + total.false === 0 ? '–' : `${Math.round((1000 * total.true) / (total.true + total.false)) / 10}%`}** |`,
  );
  lines.push('', PRECISION_END);
  return lines.join('\n');
}

export function readSnapshots() {
  if (!existsSync(snapshots)) return [];
  return readdirSync(snapshots)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => parse(readFileSync(join(snapshots, name), 'utf8')));
}

function writeDoc(section, start, end) {
  const file = join(root, 'docs', 'precision.md');
  writeFileSync(file, replaceSection(existsSync(file) ? readFileSync(file, 'utf8') : '', section, start, end));
  console.error(`wrote ${relative(root, file)}`);
}

function check() {
  const list = readSnapshots();
  const section = formatPrecision(precisionOf(list), list.length);
  console.log(section);
  if (process.argv.includes('--write')) writeDoc(section, PRECISION_START, PRECISION_END);
}

function main() {
  if (process.argv.includes('--check')) return check();
  const only = argument('--only')?.split(',');
  const servers = SERVERS.filter((server) => only === undefined || only.some((name) => server.package.includes(name)));
  const dir = resolve(argument('--dir') ?? join(tmpdir(), 'mcp-preflight-corpus-source'));
  if (!relative(root, dir).startsWith('..')) throw new Error(`--dir ${dir}: must be outside the repository`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "name": "corpus-source", "private": true }\n');
  const missing = servers.filter((server) => !existsSync(join(dir, 'node_modules', server.package, 'package.json')));
  if (missing.length > 0) {
    console.error(`installing ${missing.length} servers into ${dir} (--ignore-scripts)`);
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        dir,
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...missing.map((server) => `${server.package}@${server.version}`),
      ],
      { stdio: 'inherit' },
    );
  }
  const sandbox = join(dir, 'sandbox');
  mkdirSync(sandbox, { recursive: true });
  const cli = join(root, 'bin', 'mcp-preflight.js');
  const work = mkdtempSync(join(tmpdir(), 'corpus-source-'));
  const rows = [];
  for (const server of servers) {
    const packageDir = join(dir, 'node_modules', server.package);
    const fill = (value) => value.replaceAll('<sandbox>', sandbox);
    const command = [process.execPath, join(packageDir, server.bin), ...(server.args ?? []).map(fill)]
      .map((part) => (/\s/.test(part) ? JSON.stringify(part) : part))
      .join(' ');
    const out = join(work, `${server.package.replace(/[@/]/g, '_')}.json`);
    const args = ['check', '--stdio', command, '--cwd', sandbox, '--source', packageDir, '--timeout', '90', '--exit-zero', '--format', 'json', '--output', out];
    for (const [name, value] of Object.entries(server.env ?? {})) args.push('--env', `${name}=${fill(value)}`);
    const started = Date.now();
    const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 300_000 });
    let row;
    try {
      row = rowOf(server, JSON.parse(readFileSync(out, 'utf8')));
    } catch {
      row = {
        server: `${server.package}@${server.version}`,
        files: 0,
        tools: 0,
        mapped: 0,
        handlers: 0,
        facts: {},
        unmapped: [],
        error: (result.stderr || `exit ${result.status}`).trim().split('\n')[0],
      };
    }
    rows.push(row);
    if (process.argv.includes('--snapshot') && row.error === undefined) {
      const file = join(snapshots, snapshotName(server));
      const previous = existsSync(file) ? parse(readFileSync(file, 'utf8')) : undefined;
      mkdirSync(snapshots, { recursive: true });
      writeFileSync(file, stringify(mergeSnapshot(server, findingsOf(JSON.parse(readFileSync(out, 'utf8')), packageDir), previous), { lineWidth: 0 }));
    }
    console.error(
      `${row.server}: ${row.mapped}/${row.tools} mapped, ${row.handlers} handlers (${Math.round((Date.now() - started) / 1000)} s)${row.error ? ` error: ${row.error}` : ''}`,
    );
  }
  rmSync(work, { recursive: true, force: true });
  const section = formatTable(rows);
  console.log(section);
  if (process.argv.includes('--write')) writeDoc(section, START, END);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();

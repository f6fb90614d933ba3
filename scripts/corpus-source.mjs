#!/usr/bin/env node
// Source analysis on real code, measured (issue 15): installs published MCP servers that ship their
// code from npm into a directory OUTSIDE the repository, runs `check --stdio <server> --source
// <installed package>` on each (dist/ of this repository: run `npm run build` first), and prints per
// server the share of live tools mapped to a source line and the handler facts found.
// Needs the npm registry; not part of `npm test`. No tool is ever called (no --probe).
// Usage: node scripts/corpus-source.mjs [--write] [--dir <install dir>] [--only <name,...>]
//   --write  put the table in docs/precision.md between <!-- corpus:source:start --> and <!-- corpus:source:end -->
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const START = '<!-- corpus:source:start -->';
export const END = '<!-- corpus:source:end -->';

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
  { package: '@cyanheads/git-mcp-server', version: '2.15.3', bin: 'dist/index.js', env: { MCP_TRANSPORT_TYPE: 'stdio', GIT_BASE_DIR: '<sandbox>', MCP_LOG_LEVEL: 'error' } },
  { package: '@wonderwhy-er/desktop-commander', version: '0.2.52', bin: 'dist/index.js' },
  { package: 'mcp-server-kubernetes', version: '4.1.7', bin: 'dist/index.js' },
  { package: 'chrome-devtools-mcp', version: '1.11.0', bin: 'build/src/bin/chrome-devtools-mcp.js', args: ['--headless', '--no-usage-statistics'] },
  { package: '@roychri/mcp-server-asana', version: '1.8.0', bin: 'dist/index.js', env: { ASANA_ACCESS_TOKEN: 'dummy' } },
  { package: '@zereight/mcp-gitlab', version: '2.1.64', bin: 'build/index.js', env: { GITLAB_PERSONAL_ACCESS_TOKEN: 'dummy', GITLAB_API_URL: 'http://127.0.0.1:9/api/v4' } },
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
  return { server: `${server.package}@${server.version}`, files: inventory.source?.files ?? 0, tools: tools.length, mapped: mapped.length, handlers: handlers.length, facts, unmapped: tools.filter((tool) => tool.origin.source === undefined).map((tool) => tool.name) };
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
    const facts = Object.entries(row.facts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, count]) => `${kind} ${count}`).join(', ') || '–';
    const unmapped = row.error !== undefined ? `error: ${row.error}` : row.unmapped.length === 0 ? '–' : row.unmapped.map((name) => `\`${name}\``).join(' ');
    lines.push(`| \`${row.server}\` | ${row.files} | ${row.tools} | ${row.mapped} | ${percent(row.mapped, row.tools)} | ${row.handlers} | ${facts} | ${unmapped} |`);
  }
  lines.push(`| **all ${rows.length} servers** | | **${total}** | **${mapped}** | **${percent(mapped, total)}** | **${handlers}** | | |`);
  lines.push('', END);
  return lines.join('\n');
}

/** `text` with its section between the markers replaced (appended when there is none). */
export function replaceSection(text, section) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end === -1 || end < start) return `${text.trimEnd()}\n\n${section}\n`;
  return `${text.slice(0, start)}${section}${text.slice(end + END.length)}`;
}

function main() {
  const only = argument('--only')?.split(',');
  const servers = SERVERS.filter((server) => only === undefined || only.some((name) => server.package.includes(name)));
  const dir = resolve(argument('--dir') ?? join(tmpdir(), 'mcp-preflight-corpus-source'));
  if (!relative(root, dir).startsWith('..')) throw new Error(`--dir ${dir}: must be outside the repository`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "name": "corpus-source", "private": true }\n');
  const missing = servers.filter((server) => !existsSync(join(dir, 'node_modules', server.package, 'package.json')));
  if (missing.length > 0) {
    console.error(`installing ${missing.length} servers into ${dir} (--ignore-scripts)`);
    execFileSync('npm', ['install', '--prefix', dir, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...missing.map((server) => `${server.package}@${server.version}`)], { stdio: 'inherit' });
  }
  const sandbox = join(dir, 'sandbox');
  mkdirSync(sandbox, { recursive: true });
  const cli = join(root, 'bin', 'mcp-preflight.js');
  const work = mkdtempSync(join(tmpdir(), 'corpus-source-'));
  const rows = [];
  for (const server of servers) {
    const packageDir = join(dir, 'node_modules', server.package);
    const fill = (value) => value.replaceAll('<sandbox>', sandbox);
    const command = [process.execPath, join(packageDir, server.bin), ...(server.args ?? []).map(fill)].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
    const out = join(work, `${server.package.replace(/[@/]/g, '_')}.json`);
    const args = ['check', '--stdio', command, '--cwd', sandbox, '--source', packageDir, '--timeout', '90', '--exit-zero', '--format', 'json', '--output', out];
    for (const [name, value] of Object.entries(server.env ?? {})) args.push('--env', `${name}=${fill(value)}`);
    const started = Date.now();
    const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 300_000 });
    let row;
    try {
      row = rowOf(server, JSON.parse(readFileSync(out, 'utf8')));
    } catch {
      row = { server: `${server.package}@${server.version}`, files: 0, tools: 0, mapped: 0, handlers: 0, facts: {}, unmapped: [], error: (result.stderr || `exit ${result.status}`).trim().split('\n')[0] };
    }
    rows.push(row);
    console.error(`${row.server}: ${row.mapped}/${row.tools} mapped, ${row.handlers} handlers (${Math.round((Date.now() - started) / 1000)} s)${row.error ? ` error: ${row.error}` : ''}`);
  }
  rmSync(work, { recursive: true, force: true });
  const section = formatTable(rows);
  console.log(section);
  if (process.argv.includes('--write')) {
    const file = join(root, 'docs', 'precision.md');
    writeFileSync(file, replaceSection(existsSync(file) ? readFileSync(file, 'utf8') : '', section));
    console.error(`wrote ${relative(root, file)}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();

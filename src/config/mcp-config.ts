import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { TargetSpec } from '../discovery/target.js';
import { displayPath, formatProblem, parseYaml, positionOf } from '../util/yaml-schema.js';
import { ConfigError, type ConfigTarget, type LoadedConfig } from './load.js';

/**
 * Client configs as targets (`check --mcp-config FILE`): the servers an agent will load, read from
 * the file the agent reads. Claude Desktop / Claude Code / Cursor use `mcpServers` (command, args,
 * env, cwd, or url with headers); VS Code uses `servers` with a `type`. Comments and trailing commas
 * (JSONC) are tolerated; `${VAR}`, `${VAR:-default}`, `${env:VAR}`, `${workspaceFolder}` and
 * `${userHome}` are expanded. Env values are passed to the server exactly as declared (and masked
 * in every output, like the config file's). Every mistake is one line `file:line:column: problem`.
 */

/** Looked for, in this order, when there is no mcp-preflight.yaml and no --stdio/--url. */
export const MCP_CONFIG_FILE_NAMES = ['.mcp.json', '.vscode/mcp.json', '.cursor/mcp.json'] as const;

export function findMcpConfig(directory: string): string | undefined {
  for (const name of MCP_CONFIG_FILE_NAMES) {
    const candidate = path.join(directory, name);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const HTTP_TYPES = new Set(['http', 'sse', 'streamable-http', 'streamableHttp', 'streamable_http']);
const STDIO_KEYS = ['command', 'args', 'env', 'cwd'];
const HTTP_KEYS = ['url', 'headers'];

export function loadMcpConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${displayPath(absolute)}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`}; give the client's MCP config, e.g. --mcp-config .mcp.json`,
    );
  }
  return parseMcpConfig(text, absolute, env);
}

export function parseMcpConfig(text: string, absoluteFile: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const displayFile = displayPath(absoluteFile);
  const parsedOrProblem = parseYaml(stripJsonc(text));
  if ('problem' in parsedOrProblem) {
    throw new ConfigError(
      formatProblem(displayFile, { ...parsedOrProblem.problem, message: parsedOrProblem.problem.message.replace('is not valid YAML', 'is not valid JSON') }),
    );
  }
  const parsed = parsedOrProblem;
  const fail = (at: Array<string | number>, message: string, key?: string): never => {
    const position = positionOf(parsed, at, key) ?? { line: 1, column: 1 };
    throw new ConfigError(formatProblem(displayFile, { ...position, message }));
  };
  const root = parsed.data;
  if (!isRecord(root)) return fail([], 'must be a JSON object with "mcpServers" (Claude, Cursor, .mcp.json) or "servers" (VS Code)');
  const key = isRecord(root.mcpServers) ? 'mcpServers' : isRecord(root.servers) ? 'servers' : undefined;
  if (key === undefined) {
    const wrong = root.mcpServers !== undefined ? 'mcpServers' : root.servers !== undefined ? 'servers' : undefined;
    return fail(
      wrong ? [wrong] : [],
      wrong
        ? `"${wrong}" must be an object of servers by name`
        : 'has no "mcpServers" (Claude, Cursor, .mcp.json) or "servers" (VS Code) object: is this an MCP client config?',
    );
  }
  // VS Code resolves ${workspaceFolder} to the folder that holds .vscode/; the others run from the file's folder.
  const fileDirectory = path.dirname(absoluteFile);
  const workspace = path.basename(fileDirectory) === '.vscode' || path.basename(fileDirectory) === '.cursor' ? path.dirname(fileDirectory) : fileDirectory;
  const expand = (value: string, at: Array<string | number>) => expandClientVariables(value, env, workspace, (message) => fail(at, message));

  const targets: ConfigTarget[] = [];
  for (const [name, raw] of Object.entries(root[key] as Record<string, unknown>)) {
    const at = [key, name];
    if (!isRecord(raw)) fail(at, `server "${name}" must be an object with "command" or "url"`);
    const server = raw as Record<string, unknown>;
    if (server.disabled === true) continue;
    if (name.trim() === '') fail(at, 'a server needs a non-empty name', name);
    const type = server.type;
    if (type !== undefined && (typeof type !== 'string' || (type !== 'stdio' && !HTTP_TYPES.has(type)))) {
      fail([...at, 'type'], `server "${name}": "type" must be "stdio", "http" or "sse" (got ${JSON.stringify(type)})`);
    }
    const isHttp = type === undefined ? server.url !== undefined && server.command === undefined : type !== 'stdio';
    const stray = (isHttp ? STDIO_KEYS : HTTP_KEYS).find((field) => server[field] !== undefined);
    if (stray !== undefined) fail([...at, stray], `server "${name}": "${stray}" applies to ${isHttp ? 'stdio (command)' : 'HTTP (url)'} servers only`);
    if (server.envFile !== undefined) fail([...at, 'envFile'], `server "${name}": "envFile" is not read; declare the variables the server needs in "env"`);
    const line = positionOf(parsed, at)?.line ?? 1;
    const spec: TargetSpec = isHttp ? httpSpec(name, server, at, fail, expand) : stdioSpec(name, server, at, fail, expand, workspace);
    targets.push({ name, spec, line, file: absoluteFile });
  }
  if (targets.length === 0) fail([key], `"${key}" declares no enabled server`);
  return { file: absoluteFile, displayFile, targets, rules: {}, packs: [], gate: {}, reserved: {}, parsed };
}

type Fail = (at: Array<string | number>, message: string) => never;
type Expand = (value: string, at: Array<string | number>) => string;

function stdioSpec(name: string, server: Record<string, unknown>, at: Array<string | number>, fail: Fail, expand: Expand, workspace: string): TargetSpec {
  if (typeof server.command !== 'string' || server.command.trim() === '')
    return fail([...at, 'command'], `server "${name}" needs "command" (a program, e.g. "npx") or "url"`);
  if (server.args !== undefined && (!Array.isArray(server.args) || !server.args.every((arg) => typeof arg === 'string' || typeof arg === 'number'))) {
    fail([...at, 'args'], `server "${name}": "args" must be an array of strings`);
  }
  const command = expand(server.command, [...at, 'command']);
  const args = (server.args ?? []).map((arg, index) => expand(String(arg), [...at, 'args', index]));
  const env = stringMap(name, server.env, [...at, 'env'], 'env', fail, expand);
  let cwd = workspace;
  if (server.cwd !== undefined) {
    if (typeof server.cwd !== 'string') fail([...at, 'cwd'], `server "${name}": "cwd" must be a string`);
    cwd = path.resolve(workspace, expand(server.cwd, [...at, 'cwd']));
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) fail([...at, 'cwd'], `server "${name}": "cwd" ${String(server.cwd)}: no such directory`);
  }
  return { kind: 'stdio', name, command, args, env, cwd };
}

function httpSpec(name: string, server: Record<string, unknown>, at: Array<string | number>, fail: Fail, expand: Expand): TargetSpec {
  if (typeof server.url !== 'string') return fail([...at, 'url'], `server "${name}" needs "url" (e.g. http://127.0.0.1:3000/mcp) or "command"`);
  let url: URL;
  try {
    url = new URL(expand(server.url, [...at, 'url']));
  } catch {
    return fail([...at, 'url'], `server "${name}": "url" is not a valid URL (expected e.g. http://127.0.0.1:3000/mcp)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail([...at, 'url'], `server "${name}": "url" must be http or https`);
  if (url.username || url.password) fail([...at, 'url'], `server "${name}": "url" must not carry credentials; send them in "headers"`);
  return { kind: 'http', name, url: url.href, headers: stringMap(name, server.headers, [...at, 'headers'], 'headers', fail, expand) };
}

function stringMap(name: string, value: unknown, at: Array<string | number>, what: string, fail: Fail, expand: Expand): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) return fail(at, `server "${name}": "${what}" must be an object of names to strings`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean')
      fail([...at, key], `server "${name}": ${what} "${key}" must be a string`);
    out[key] = expand(String(item), [...at, key]);
  }
  return out;
}

const VARIABLE = /\$\{([^}]*)\}/g;

/** The variables clients expand in their configs; an unset one is an error, never an empty string. */
export function expandClientVariables(value: string, env: NodeJS.ProcessEnv, workspace: string, fail: (message: string) => never): string {
  return value.replace(VARIABLE, (whole, inner: string) => {
    if (inner === 'workspaceFolder' || inner === 'workspaceRoot') return workspace;
    if (inner === 'userHome') return homedir();
    if (inner.startsWith('input:'))
      return fail(`${whole} is asked of the user by VS Code when it starts the server; export the value and write \${env:NAME} instead`);
    const match = /^(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/.exec(inner);
    if (!match)
      return fail(`${whole} is not a variable mcp-preflight can expand (\${NAME}, \${NAME:-default}, \${env:NAME}, \${workspaceFolder}, \${userHome})`);
    const [, name, fallback] = match;
    const set = env[name!];
    if (set !== undefined && set !== '') return set;
    if (fallback !== undefined) return fallback;
    return fail(`${whole}: ${name} is not set in the environment; export it (the client would pass it to the server)`);
  });
}

/**
 * JSON with comments and trailing commas as plain JSON, every character kept at its offset (comments
 * and stray commas become spaces, newlines stay), so positions in errors are the file's own.
 */
export function stripJsonc(text: string): string {
  const out = text.split('');
  let index = 0;
  let lastSignificant = -1;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      const start = index;
      index++;
      while (index < text.length && text[index] !== '"' && text[index] !== '\n') index += text[index] === '\\' ? 2 : 1;
      lastSignificant = start;
      index++;
      continue;
    }
    if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') out[index++] = ' ';
      continue;
    }
    if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (; index < stop; index++) if (text[index] !== '\n') out[index] = ' ';
      continue;
    }
    if ((char === '}' || char === ']') && lastSignificant >= 0 && out[lastSignificant] === ',') out[lastSignificant] = ' ';
    if (!/\s/.test(char)) lastSignificant = index;
    index++;
  }
  return out.join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

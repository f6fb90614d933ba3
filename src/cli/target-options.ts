import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgsStringToArgv } from 'string-argv';
import type { Command } from 'commander';
import { DEFAULT_LIMITS, LIMIT_CEILINGS, MIB, parseByteSize, type LimitOverrides, type TargetSpec } from '../discovery/target.js';
import { UsageError } from './errors.js';

export interface TargetFlags {
  stdio?: string;
  env: string[];
  cwd?: string;
  url?: string;
  header: string[];
  name?: string;
  timeout?: string;
  /** --bearer-env VAR: send `Authorization: Bearer $VAR` (HTTP targets). */
  bearerEnv?: string;
  /** --auth-none <reason>: the target is open on purpose (auth/unauthenticated-http is skipped). */
  authNone?: string;
  /** --ca FILE: PEM of a private CA for https targets. */
  ca?: string;
  /** Listing bounds per list (--max-pages, --max-items, --max-list-bytes); over the config's `limits:`. */
  maxPages?: string;
  maxItems?: string;
  maxListBytes?: string;
  /** --allow-incomplete: a list cut short at a bound is not exit 3 (check: an error finding fails the gate). */
  allowIncomplete?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addTargetOptions(command: Command): Command {
  return command
    .option('--stdio <command line>', 'start the server with this command line and talk to it over stdio')
    .option('--env <NAME=value>', 'environment variable for a stdio server (repeatable; NAME alone passes our value through)', collect, [])
    .option('--cwd <dir>', 'working directory for a stdio server (default: the current directory)')
    .option('--url <url>', 'connect to a Streamable HTTP endpoint (falls back to legacy HTTP+SSE on 400/404/405)')
    .option('--header <"Name: value">', 'HTTP header sent with every request (repeatable)', collect, [])
    .option('--bearer-env <VAR>', 'send "Authorization: Bearer <value of VAR>" to a --url target (the token never appears on the command line)')
    .option('--auth-none <reason>', 'the --url target needs no authentication on purpose, and why (skips auth/unauthenticated-http)')
    .option('--ca <file>', "PEM file of a private CA that signs the --url target's certificate")
    .option('--name <name>', 'name of the target in reports (default: derived from the command or URL)')
    .option('--timeout <seconds>', 'time budget for connecting to, listing and (check --probe) probing one target (default: 30)')
    .option('--max-pages <n>', `pages read per list before it counts as cut short (default: ${DEFAULT_LIMITS.maxPagesPerList})`)
    .option('--max-items <n>', `items read per list before it counts as cut short (default: ${DEFAULT_LIMITS.maxItemsPerList})`)
    .option('--max-list-bytes <size>', `bytes read per list before it counts as cut short, e.g. 64MiB (default: ${DEFAULT_LIMITS.maxBytesPerList / MIB}MiB)`)
    .option(
      '--debug',
      'print stack traces for internal errors and a masked, bounded trace of the protocol traffic (requests, responses, notifications, timings) on stderr',
    );
}

function wholeNumber(flag: string, value: string, max: number): number {
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count < 1 || count > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got "${value}"`);
  return count;
}

/** --max-pages, --max-items, --max-list-bytes: only those given (they override the config's `limits:`). */
export function limitsFromFlags(flags: Pick<TargetFlags, 'maxPages' | 'maxItems' | 'maxListBytes'>): LimitOverrides {
  const limits: LimitOverrides = {};
  if (flags.maxPages !== undefined) limits.maxPagesPerList = wholeNumber('--max-pages', flags.maxPages, LIMIT_CEILINGS.maxPages);
  if (flags.maxItems !== undefined) limits.maxItemsPerList = wholeNumber('--max-items', flags.maxItems, LIMIT_CEILINGS.maxItems);
  if (flags.maxListBytes !== undefined) {
    const bytes = parseByteSize(flags.maxListBytes);
    if (bytes === undefined || bytes < 1024 || bytes > LIMIT_CEILINGS.maxListBytes) {
      throw new UsageError(`--max-list-bytes must be a size from 1KiB to 4GiB (e.g. 64MiB, 512KiB, 1048576), got "${flags.maxListBytes}"`);
    }
    limits.maxBytesPerList = bytes;
  }
  return limits;
}

export function parseTimeoutMs(value: string = '30'): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new UsageError(`--timeout must be a number of seconds between 0 and 3600, got "${value}"`);
  }
  return Math.round(seconds * 1000);
}

/** Turns --stdio/--url and friends into a TargetSpec, with one clear line for every mistake. */
export function targetFromFlags(flags: TargetFlags): TargetSpec {
  if (flags.stdio !== undefined && flags.url !== undefined) {
    throw new UsageError('give either --stdio or --url, not both');
  }
  if (flags.stdio === undefined && flags.url === undefined) {
    throw new UsageError('no target: give --stdio "<command line>" or --url <url>');
  }
  if (flags.stdio !== undefined) {
    if (flags.header.length > 0) throw new UsageError('--header applies to --url targets only');
    if (flags.bearerEnv !== undefined || flags.authNone !== undefined || flags.ca !== undefined) {
      throw new UsageError('--bearer-env, --auth-none and --ca apply to --url targets only');
    }
    const argv = parseArgsStringToArgv(flags.stdio);
    const [command, ...args] = argv;
    if (command === undefined || command.trim() === '') throw new UsageError('--stdio needs a command line, e.g. --stdio "node server.js"');
    const cwd = path.resolve(flags.cwd ?? process.cwd());
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cwd ${flags.cwd}: no such directory`);
    return { kind: 'stdio', name: flags.name ?? deriveStdioName(command, args), command, args, env: parseEnv(flags.env), cwd };
  }
  if (flags.env.length > 0 || flags.cwd !== undefined) throw new UsageError('--env and --cwd apply to --stdio targets only');
  const url = parseUrl(flags.url!);
  return {
    kind: 'http',
    name: flags.name ?? `${url.host}${url.pathname === '/' ? '' : url.pathname}`,
    url: url.href,
    headers: { ...parseHeaders(flags.header), ...bearerFromEnv(flags.bearerEnv) },
    ...authNoneFromFlag(flags.authNone),
    ...caFromFlag(flags.ca),
  };
}

/** --bearer-env VAR → `Authorization: Bearer <value>`; the value is read here and never echoed. */
function bearerFromEnv(name: string | undefined): Record<string, string> {
  if (name === undefined) return {};
  if (!ENV_NAME.test(name)) throw new UsageError(`--bearer-env ${name}: expected the name of an environment variable`);
  const value = process.env[name]?.trim();
  if (!value) throw new UsageError(`--bearer-env ${name}: ${name} is not set or empty in this environment`);
  return { Authorization: `Bearer ${value.replace(/^Bearer\s+/i, '')}` };
}

function authNoneFromFlag(reason: string | undefined): { authNone?: { reason: string } } {
  if (reason === undefined) return {};
  if (reason.trim() === '') throw new UsageError('--auth-none needs a reason, e.g. --auth-none "bound to loopback inside the CI container"');
  return { authNone: { reason: reason.trim() } };
}

function caFromFlag(file: string | undefined): { caFile?: string } {
  if (file === undefined) return {};
  const resolved = path.resolve(file);
  if (!existsSync(resolved) || !statSync(resolved).isFile()) throw new UsageError(`--ca ${file}: no such file`);
  return { caFile: resolved };
}

function deriveStdioName(command: string, args: string[]): string {
  const script = args.find((arg) => !arg.startsWith('-'));
  const base = path.basename(script ?? command).replace(/\.(c|m)?(j|t)s$/, '');
  return base || 'server';
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseEnv(entries: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const name = equals === -1 ? entry : entry.slice(0, equals);
    if (!ENV_NAME.test(name)) throw new UsageError(`--env ${entry}: expected NAME=value or NAME with NAME made of letters, digits and _`);
    if (equals === -1) {
      const inherited = process.env[name];
      if (inherited === undefined) throw new UsageError(`--env ${name}: ${name} is not set in this environment; give a value with --env ${name}=value`);
      env[name] = inherited;
    } else {
      env[name] = entry.slice(equals + 1);
    }
  }
  return env;
}

function parseHeaders(entries: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const name = colon === -1 ? '' : entry.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`--header "${headerForDisplay(entry)}": expected "Name: value"`);
    }
    headers[name] = entry.slice(colon + 1).trim();
  }
  return headers;
}

/** Never echo a header value back: it is usually a credential. */
function headerForDisplay(entry: string): string {
  const colon = entry.indexOf(':');
  return colon === -1 ? entry.slice(0, 40) : `${entry.slice(0, colon)}: ****`;
}

function parseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url ${value}: not a valid URL (expected e.g. http://127.0.0.1:3000/mcp)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url ${value}: only http and https URLs are supported`);
  }
  if (url.username || url.password) {
    throw new UsageError('--url must not carry credentials; send them with --header "Authorization: …"');
  }
  return url;
}

#!/usr/bin/env node
// corpus-add: add one published MCP server to the precision corpus (test/corpus/servers/) in one command.
//
//   npm run build
//   node scripts/corpus-add.mjs <package>@<version> [options] [-- <server arguments>]
//
// What it does, in order:
//   1. installs the package OUTSIDE the repo: npm install --prefix /tmp/corpus/<basename> <package>@<version>
//      (<basename> is the dump's name, "@scope__name@1.2.3"; --ignore-scripts skips install scripts);
//   2. makes an empty working directory /tmp/corpus/<basename>/sandbox for the server;
//   3. starts the server's bin (the package's "bin", the one named by --bin, or --entry <file in the package>)
//      with the server arguments after "--", where the word <corpus> stands for the install directory
//      (e.g. `-- <corpus>/sandbox` for a filesystem server, `-- <corpus>/sandbox/db.sqlite` for SQLite),
//      and <env:NAME> inside an argument stands for the value of --env NAME (a dummy token a server only
//      takes on its command line, e.g. `-- --bearerToken=<env:TOKEN>`; the stored command shows <dummy>);
//   4. runs `mcp-preflight discover --format json` (dist/cli/main.js of this checkout) on it: over stdio, or,
//      with --http <port>, starts the server itself and discovers http://127.0.0.1:<port><--path, default /mcp>
//      (--bearer-env VAR sends a dummy bearer token; otherwise --auth-none records why none is sent);
//   5. rewrites the install directory to "<corpus>" everywhere, refuses to store the dump if any --env value
//      (a dummy credential) appears in it unmasked, and writes test/corpus/servers/<basename>.json as
//      {package, version, command, collectedWith, inventory}.
// Then judge every capability in test/corpus/judgements/<basename>.yaml and run
// `npx vitest run test/corpus.test.ts`.
//
// Isolation: discovery runs inside a fresh network namespace (`unshare -n`, loopback only) so a server can
// reach no host but 127.0.0.1; a server that needs the internet to start fails there and belongs in
// test/corpus/not-enumerated.yaml. Without unshare (not root), pass --no-isolate and make sure yourself
// that nothing leaves the machine. Give only dummy credentials with --env: never real ones.
//
// Options:
//   --env NAME=value      environment variable for the server (repeatable); its value is shown as <dummy>
//   --bin <name>          which bin of the package to start (default: the only one, or the package's name)
//   --entry <file>        start this file of the package instead of a bin (path inside the package)
//   --http <port>         the server listens on 127.0.0.1:<port> (set its host/port with --env or arguments)
//   --path <path>         the HTTP endpoint path (default /mcp)
//   --bearer-env <NAME>   with --http: send "Authorization: Bearer $NAME" (NAME must be one of --env)
//   --auth-none <reason>  with --http: the endpoint has no authentication, and why that is recorded
//   --timeout <seconds>   discovery budget (default 60)
//   --ignore-scripts      install without running install scripts
//   --no-isolate          do not run in a separate network namespace
//   --out <dir>           where to store the dump (default test/corpus/servers)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

function fail(message) {
  process.stderr.write(`corpus-add: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { env: [], serverArgs: [], isolate: true, timeout: 60, path: '/mcp', out: join(ROOT, 'test', 'corpus', 'servers') };
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift();
    const value = () => (rest.length > 0 ? rest.shift() : fail(`${arg} needs a value`));
    if (arg === '--') {
      options.serverArgs = rest.splice(0);
    } else if (arg === '--env') {
      const pair = value();
      const at = pair.indexOf('=');
      if (at <= 0) fail(`--env wants NAME=value, got ${pair}`);
      options.env.push([pair.slice(0, at), pair.slice(at + 1)]);
    } else if (arg === '--bin') options.bin = value();
    else if (arg === '--entry') options.entry = value();
    else if (arg === '--http') options.http = Number(value());
    else if (arg === '--path') options.path = value();
    else if (arg === '--bearer-env') options.bearerEnv = value();
    else if (arg === '--auth-none') options.authNone = value();
    else if (arg === '--timeout') options.timeout = Number(value());
    else if (arg === '--ignore-scripts') options.ignoreScripts = true;
    else if (arg === '--no-isolate') options.isolate = false;
    else if (arg === '--out') options.out = resolve(value());
    else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else if (options.spec === undefined) options.spec = arg;
    else fail(`unexpected argument ${arg} (server arguments go after --)`);
  }
  if (options.spec === undefined) fail('usage: node scripts/corpus-add.mjs <package>@<version> [options] [-- <server arguments>]');
  const match = /^(@[^/@]+\/[^@]+|[^@]+)@(\d[^@]*)$/.exec(options.spec);
  if (match === null) fail(`give an exact version: <package>@<version>, got ${options.spec}`);
  options.package = match[1];
  options.version = match[2];
  if (options.http !== undefined && !(Number.isInteger(options.http) && options.http > 0 && options.http < 65536)) fail('--http wants a port');
  if (options.bearerEnv !== undefined && !options.env.some(([name]) => name === options.bearerEnv))
    fail(`--bearer-env ${options.bearerEnv} is not among the --env variables`);
  if (!existsSync(CLI)) fail(`${CLI} is missing: run npm run build first`);
  return options;
}

function install(options, dir) {
  const installed = join(dir, 'node_modules', options.package, 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === options.version) return;
  mkdirSync(dir, { recursive: true });
  const args = ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel', 'error', `${options.package}@${options.version}`];
  if (options.ignoreScripts) args.push('--ignore-scripts');
  process.stderr.write(`corpus-add: npm ${args.join(' ')}\n`);
  // cwd: the install directory, where no file is named like the spec (npm would take `name@1.0.0` for a local path).
  const result = spawnSync('npm', args, { stdio: 'inherit', cwd: dir });
  if (result.status !== 0) fail(`npm install failed (exit ${result.status})`);
}

function entryOf(options, dir) {
  const packageDir = join(dir, 'node_modules', options.package);
  if (options.entry !== undefined) return join(packageDir, options.entry);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const bins = typeof manifest.bin === 'string' ? { [options.package.split('/').pop()]: manifest.bin } : (manifest.bin ?? {});
  const names = Object.keys(bins);
  const name = options.bin ?? (names.length === 1 ? names[0] : names.find((bin) => bin === options.package.split('/').pop()));
  if (name === undefined || bins[name] === undefined) fail(`pick one bin with --bin (${names.join(', ') || 'none'}) or a file with --entry`);
  return join(packageDir, bins[name]);
}

// Runs a command line in a loopback-only network namespace (unshare -n; the loopback link brought up first).
function isolatedArgv(argv, isolate) {
  if (!isolate) return argv;
  const quoted = argv.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  return ['unshare', '-n', 'sh', '-c', `ip link set lo up && exec ${quoted}`];
}

function runDiscovery(options, dir, entry, output) {
  const sandbox = join(dir, 'sandbox');
  const envValue = new Map(options.env);
  const serverArgs = options.serverArgs.map((arg) =>
    arg.replaceAll('<corpus>', dir).replace(/<env:(\w+)>/g, (whole, name) => envValue.get(name) ?? fail(`${whole}: no --env ${name}`)),
  );
  const envArgs = options.env.flatMap(([name, value]) => ['--env', `${name}=${value.replaceAll('<corpus>', dir)}`]);
  const quote = (word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);
  let inner;
  if (options.http === undefined) {
    const commandLine = ['node', entry, ...serverArgs].map(quote).join(' ');
    inner = [
      'node',
      CLI,
      'discover',
      '--stdio',
      commandLine,
      ...envArgs,
      '--cwd',
      sandbox,
      '--format',
      'json',
      '--output',
      output,
      '--timeout',
      String(options.timeout),
    ];
  } else {
    // One namespace for both: a small shell starts the server, waits for the port, discovers, stops the server.
    const url = `http://127.0.0.1:${options.http}${options.path}`;
    const auth =
      options.bearerEnv !== undefined
        ? ['--bearer-env', options.bearerEnv]
        : ['--auth-none', options.authNone ?? 'corpus dump of a server started without authentication'];
    const discover = ['node', CLI, 'discover', '--url', url, ...auth, '--format', 'json', '--output', output, '--timeout', String(options.timeout)];
    const exports = options.env.map(([name, value]) => `export ${name}=${quote(value.replaceAll('<corpus>', dir))}`).join('; ');
    const script = [
      exports,
      `cd ${quote(sandbox)}`,
      `${['node', entry, ...serverArgs].map(quote).join(' ')} >${quote(join(dir, 'server.log'))} 2>&1 &`,
      'server=$!',
      `i=0; until node -e "require('net').connect(${options.http},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; do i=$((i+1)); [ $i -gt 100 ] && break; sleep 0.2; done`,
      `${discover.map(quote).join(' ')}; status=$?`,
      'kill $server 2>/dev/null; wait $server 2>/dev/null; exit $status',
    ]
      .filter((line) => line !== '')
      .join('\n');
    inner = ['sh', '-c', script];
  }
  const argv = isolatedArgv(inner, options.isolate);
  const result = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], cwd: sandbox });
  if (result.error) fail(`cannot run ${argv[0]}: ${result.error.message}${options.isolate ? ' (no unshare? see --no-isolate)' : ''}`);
  return { status: result.status, serverArgs };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const basename = `${options.package.replace('/', '__')}@${options.version}`;
  const dir = join('/tmp/corpus', basename);
  install(options, dir);
  mkdirSync(join(dir, 'sandbox'), { recursive: true });
  const entry = entryOf(options, dir);
  if (!existsSync(entry)) fail(`${entry} does not exist`);
  const output = join(dir, 'inventory.json');
  rmSync(output, { force: true });
  const { status } = runDiscovery(options, dir, entry, output);
  if (!existsSync(output)) fail(`discovery wrote no inventory (exit ${status}): record the server in test/corpus/not-enumerated.yaml`);
  if (status !== 0) process.stderr.write(`corpus-add: discover exited ${status}; the inventory is kept (look at its listings before judging)\n`);
  const text = readFileSync(output, 'utf8').replaceAll(dir, '<corpus>');
  for (const [name, value] of options.env) {
    if (value.length >= 6 && !value.includes('<corpus>') && text.includes(value)) fail(`the value of ${name} appears in the dump unmasked: not stored`);
  }
  const inventory = JSON.parse(text);
  const pretty = (word) => {
    const shown = word.replace(/<env:\w+>/g, '<dummy>');
    return /\s/.test(shown) ? JSON.stringify(shown) : shown;
  };
  const entryShown = entry.replaceAll(dir, '<corpus>');
  const envShown = options.env.length > 0 ? `  (env: ${options.env.map(([name]) => `${name}=<dummy>`).join(' ')})` : '';
  const command =
    options.http === undefined
      ? `node ${[entryShown, ...options.serverArgs].map(pretty).join(' ')}${envShown}`
      : `node ${[entryShown, ...options.serverArgs].map(pretty).join(' ')}${envShown}  (discovered at http://127.0.0.1:${options.http}${options.path})`;
  const ownVersion = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const dump = { package: options.package, version: options.version, command, collectedWith: `mcp-preflight ${ownVersion}`, inventory };
  mkdirSync(options.out, { recursive: true });
  const file = join(options.out, `${basename}.json`);
  writeFileSync(file, `${JSON.stringify(dump, null, 2)}\n`);
  const counts = ['tools', 'resources', 'resourceTemplates', 'prompts'].map((list) => `${inventory[list]?.length ?? 0} ${list}`).join(', ');
  process.stdout.write(`${file}: protocol ${inventory.server?.protocolVersion ?? '?'}, ${counts}\n`);
}

main();

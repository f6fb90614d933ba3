import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { AnalysisContext, kindTable, type SourceFile } from './context.js';
import { extractRegistrations } from './extract.js';
import { classifyOperations, collectTestFacts } from './operations.js';
import { markBundledSites } from './bundles.js';
import { filesReachableFrom, isLoadCall, serverFiles } from './modules.js';
import { linkHandlers, linkRegistrars } from './shapes/linking.js';
import { calleeOf, classify, errorSiteNodes, isClassifiable, isStartCall, startupGuards } from './sites.js';
import { markStartupSites } from './startup.js';
import type { CodeSite, SourceFacts, SourceRegistration } from './types.js';

/**
 * Source analysis entry point. ts-morph (and with it the TypeScript compiler) is loaded here, when
 * an analysis starts, and nowhere else: a live-only check never pays for it (test/e2e/source.test.ts,
 * "lazy loading"). It is required, not imported: ts-morph is CommonJS, and an `import()` of it has
 * Node scan its ~1 MB (and @ts-morph/common's 3 MB) for named exports first (~80 ms of a 2,000-file run).
 * Files are parsed only; no program or type checker is built (syntax-only resolution, see
 * context.ts), which is what keeps a 2,000-file project well under `tsc --noEmit` (docs/benchmarks.md).
 */

export const DEFAULT_CALL_DEPTH = 2;

export interface AnalyzeOptions {
  /** How many call hops to follow from each handler (default 2). */
  callDepth?: number;
}

export class SourceAnalysisError extends Error {
  override name = 'SourceAnalysisError';
}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const EXCLUDED_DIRECTORIES = ['**/node_modules/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/.*/**', '**/__tests__/**'];
const COMPILED_DIRECTORIES = ['**/dist/**', '**/build/**'];
/** Vendored third-party code inside a published package: not the server's own. */
const VENDORED_DIRECTORIES = ['**/third_party/**', '**/vendor/**'];
/** Compiled tests a package publishes beside its code (`build/test/*.js`): mock servers and clients, not the server. */
const COMPILED_TEST_DIRECTORIES = ['**/test/**', '**/tests/**'];
const DECLARATION_OR_TEST = /\.d\.[mc]?ts$|\.(test|spec)\.[mc]?[jt]sx?$/;

export function analyzeSource(rootDirectory: string, options: AnalyzeOptions = {}): Promise<SourceFacts> {
  // The work is synchronous; a failure (SourceAnalysisError) still comes back as a rejection.
  return new Promise((resolve) => {
    resolve(analyze(rootDirectory, options));
  });
}

/**
 * ts-morph's TypeScript. ts-morph's `ts` is @ts-morph/common's, re-exported; requiring that from
 * ts-morph's own dependencies skips compiling ts-morph's 1 MB of wrappers, which the analysis never
 * uses (~40 ms of every --source run). Through ts-morph itself if its layout ever changes.
 */
function loadTypeScript(): typeof TsNamespace {
  const require = createRequire(import.meta.url);
  try {
    return (createRequire(require.resolve('ts-morph'))('@ts-morph/common') as { ts: typeof TsNamespace }).ts;
  } catch {
    return (require('ts-morph') as typeof import('ts-morph')).ts;
  }
}

function analyze(rootDirectory: string, options: AnalyzeOptions): SourceFacts {
  const started = performance.now();
  const root = path.resolve(rootDirectory);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new SourceAnalysisError(`--source ${rootDirectory}: no such directory`);
  const callDepth = options.callDepth ?? DEFAULT_CALL_DEPTH;
  const ts = loadTypeScript();

  // The file list: tsconfig.json's (include/exclude/files, allowJs honoured), else every script
  // under the root. Files are parsed one by one (setParentNodes) and never bound or type-checked.
  const tsconfig = findTsconfig(root);
  let fileNames: string[] = [];
  if (tsconfig) {
    const read = ts.readConfigFile(tsconfig, (file) => ts.sys.readFile(file));
    if (read.error === undefined) fileNames = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig)).fileNames;
  }
  const keep = (file: string): boolean => !DECLARATION_OR_TEST.test(file) && !/(^|[\\/])node_modules[\\/]/.test(path.relative(root, file));
  fileNames = fileNames.filter((file) => isInside(root, file) && keep(file));
  if (fileNames.length === 0) fileNames = ts.sys.readDirectory(root, SCRIPT_EXTENSIONS, EXCLUDED_DIRECTORIES, ['**/*']).filter(keep);
  // A published package ships only its compiled code (`dist/`, `build/`): read that when there is no
  // TypeScript beside it, once (an `esm/` build wins over its `cjs/` twin).
  if (!fileNames.some((file) => /\.[mc]?tsx?$/.test(file))) {
    const compiled = ts.sys
      .readDirectory(
        root,
        SCRIPT_EXTENSIONS,
        [...EXCLUDED_DIRECTORIES.filter((pattern) => !COMPILED_DIRECTORIES.includes(pattern)), ...VENDORED_DIRECTORIES, ...COMPILED_TEST_DIRECTORIES],
        ['**/*'],
      )
      .filter(keep);
    const esm = new Set(compiled.map((file) => /^(.*[\\/])esm[\\/]/.exec(file)?.[1]).filter((prefix) => prefix !== undefined));
    fileNames = compiled.filter((file) => !esm.has(/^(.*[\\/])cjs[\\/]/.exec(file)?.[1] ?? ''));
  }
  fileNames.sort();

  const context = new AnalysisContext(ts);
  const files = fileNames.map((file) => ts.createSourceFile(path.normalize(file), readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
  for (const file of files) context.addFile(file);

  const { names: dependencies, versions, directory: packageRoot } = readDependencies(root);
  // zod 4 (`z.toJSONSchema`) leaves objects open; zod 3 through zod-to-json-schema closes them.
  const zod4 = /^[\^~>=\s]*4/.test(versions.zod ?? '');
  const xmcp = dependencies.includes('xmcp') || ['xmcp.config.ts', 'xmcp.config.js'].some((name) => existsSync(path.join(root, name)));
  const registrations = [];
  const sites: CodeSite[] = [];
  const calls = new Set<string>();
  // Each file's import() and require() calls, for modules.ts (which would otherwise walk every file again).
  const loads = new Map<SourceFile, TsNamespace.CallExpression[]>();
  const extractOptions = { callDepth, root, xmcp, zod4, dispatches: [], records: [], registrars: [] };
  // The kinds the site scan below can find anything in (what classify, classifyOperations, calleeOf,
  // isStartCall and isLoadCall read): identifiers, keywords and literals, most of the nodes, skip it.
  const siteKinds = kindTable(ts, (node) => isClassifiable(ts, node) || ts.isVariableDeclaration(node));
  for (const file of files) {
    // One walk per file: the shapes' registrations and the project-wide sites.
    const extraction = extractRegistrations(context, file, extractOptions);
    const starts: Parameters<typeof startupGuards>[1][number][] = [];
    const fileLoads: TsNamespace.CallExpression[] = [];
    loads.set(file, fileLoads);
    context.walk(file, (node) => {
      extraction.visit(node);
      if (!siteKinds[node.kind]) return;
      for (const found of classify(context, node)) sites.push(found);
      for (const found of classifyOperations(context, node)) sites.push(found);
      const callee = calleeOf(context, node);
      if (callee !== undefined) calls.add(callee);
      if (isStartCall(context, node)) starts.push(node);
      if (isLoadCall(ts, node)) fileLoads.push(node);
    });
    registrations.push(...extraction.finish());
    if (starts.length > 0) sites.push(...startupGuards(context, starts));
  }
  linkHandlers(context, registrations, extractOptions);
  linkRegistrars(registrations, extractOptions);
  // The stdio transport's reach: the files that create one and everything they load.
  const stdioFiles = new Set(sites.filter((found) => found.kind === 'stdio-transport').map((found) => found.location.file));
  const stdioModules = filesReachableFrom(
    context,
    files.filter((file) => stdioFiles.has(file.fileName)),
    undefined,
    loads,
  );
  // The server's own process: what loads a registration or a transport, and what that loads.
  const entries = new Set([
    ...registrations.map((registration) => registration.location.file),
    ...sites.filter((found) => found.kind === 'stdio-transport' || found.kind === 'http-transport').map((found) => found.location.file),
  ]);
  const serverModules = serverFiles(context, files, entries, loads);
  markBundledSites(files, [...sites, ...registrations.flatMap((registration) => registration.handler?.reaches ?? [])]);
  // Errors raised only while the server starts (their function is called from module top level alone).
  markStartupSites(
    context,
    files,
    new Map(
      sites.flatMap((found) => {
        const node = errorSiteNodes.get(found);
        return node === undefined ? [] : [[found, node] as const];
      }),
    ),
  );
  const facts: SourceFacts = {
    root,
    files: files.length,
    callDepth,
    registrations: withoutTwinDefinitions(registrations),
    sites,
    calls: [...calls].sort(),
    stdioModules,
    ...(serverModules === undefined ? {} : { serverModules }),
    dependencies,
    tests: collectTestFacts(
      testRoot(root, packageRoot),
      registrations.flatMap((registration) => (registration.name === undefined ? [] : [registration.name])),
    ),
    durationMs: Math.round(performance.now() - started),
  };
  if (tsconfig) facts.tsconfig = tsconfig;
  return facts;
}

/**
 * Definition objects (shapes/definitions.ts) go last, so that a capability's direct registration is
 * the one merged, and one another shape already read at the same name node (a low-level list entry,
 * a fastmcp `addTool({...})`) is dropped.
 */
function withoutTwinDefinitions(registrations: SourceRegistration[]): SourceRegistration[] {
  const at = (registration: SourceRegistration): string => `${registration.location.file}:${registration.location.line}:${registration.location.column}`;
  const direct = registrations.filter((registration) => registration.shape !== 'definition');
  const taken = new Set(direct.map(at));
  return [...direct, ...registrations.filter((registration) => registration.shape === 'definition' && !taken.has(at(registration)))];
}

/**
 * Where the server's tests are looked for: its package (the nearest package.json) when the analysed
 * directory is that package or a folder at most two levels down (`src/`, `packages/x/src`), else the
 * analysed directory itself, so a `--source` under a large repository does not read all of its tests.
 */
function testRoot(root: string, packageRoot: string | undefined): string {
  if (packageRoot === undefined) return root;
  const relative = path.relative(packageRoot, root);
  return relative === '' || relative.split(path.sep).length <= 2 ? packageRoot : root;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, path.normalize(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function findTsconfig(root: string): string | undefined {
  const candidate = path.join(root, 'tsconfig.json');
  return existsSync(candidate) ? candidate : undefined;
}

/** Dependencies of the nearest package.json at or above `root` (for rate-limit/limiter packages, xmcp). */
function readDependencies(root: string): { names: string[]; versions: Record<string, string>; directory?: string } {
  for (let directory = root; ; directory = path.dirname(directory)) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest)) {
      try {
        const data = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
        const versions: Record<string, string> = {};
        for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
          const block = data[key];
          if (block !== null && typeof block === 'object') {
            for (const [name, version] of Object.entries(block)) versions[name] ??= typeof version === 'string' ? version : '';
          }
        }
        return { names: Object.keys(versions).sort(), versions, directory };
      } catch {
        return { names: [], versions: {}, directory };
      }
    }
    if (path.dirname(directory) === directory) return { names: [], versions: {} };
  }
}

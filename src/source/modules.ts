import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext, Node, SourceFile, TS } from './context.js';

/**
 * Which project files a module loads: static `import … from './x'`, `export … from './x'`,
 * `import('./x')` and `require('./x')` with a literal specifier. Facts for reachability only.
 */
/** Each file's `import()` and `require()` calls (`isLoadCall`), in walk order, when the caller's own walk collected them. */
export type LoadCalls = ReadonlyMap<SourceFile, readonly TsNamespace.CallExpression[]>;

/** `import('./x')` or `require('./x')` (any argument). */
export function isLoadCall(ts: TS, node: Node): node is TsNamespace.CallExpression {
  return (
    ts.isCallExpression(node) &&
    (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
  );
}

export function importedFiles(context: AnalysisContext, file: SourceFile, loads?: LoadCalls): SourceFile[] {
  const ts = context.ts;
  const found = new Set<SourceFile>();
  const add = (specifier: Node | undefined): void => {
    if (specifier === undefined || !ts.isStringLiteralLike(specifier)) return;
    const target = context.resolveModule(file.fileName, specifier.text);
    if (target !== undefined) found.add(target);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) add(statement.moduleSpecifier);
  }
  const calls = loads?.get(file);
  if (calls !== undefined) for (const call of calls) add(call.arguments[0]);
  else
    context.walk(file, (node) => {
      if (isLoadCall(ts, node)) add(node.arguments[0]);
    });
  return [...found];
}

/** The files loaded, directly or through other project files, by the given entry files (the entries included), sorted. */
export function filesReachableFrom(
  context: AnalysisContext,
  entries: readonly SourceFile[],
  imports?: ReadonlyMap<SourceFile, SourceFile[]>,
  loads?: LoadCalls,
): string[] {
  const seen = new Set<SourceFile>();
  const queue = [...entries];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...(imports?.get(file) ?? importedFiles(context, file, loads)));
  }
  return [...seen].map((file) => file.fileName).sort();
}

/**
 * The files that run in the server: every file from which one of `entries` (files that register a
 * capability or create a transport) is reachable through imports, and every file those load. A
 * script the package also ships (a setup `bin`, a browser bundle read as an asset) loads none of
 * them and is loaded by none of them. Undefined when there is no entry (then nothing is excluded).
 */
export function serverFiles(context: AnalysisContext, files: readonly SourceFile[], entries: ReadonlySet<string>, loads?: LoadCalls): string[] | undefined {
  if (entries.size === 0) return undefined;
  const imports = new Map(files.map((file) => [file, importedFiles(context, file, loads)]));
  const reaches = new Map<SourceFile, boolean>();
  const reachesEntry = (file: SourceFile, seen: Set<SourceFile>): boolean => {
    const known = reaches.get(file);
    if (known !== undefined) return known;
    if (entries.has(file.fileName)) return true;
    if (seen.has(file)) return false;
    seen.add(file);
    const found = (imports.get(file) ?? []).some((target) => reachesEntry(target, seen));
    // A file on an import cycle may be judged false while the cycle is still open; only a true answer is final.
    if (found) reaches.set(file, true);
    return found;
  };
  const loaders = files.filter((file) => reachesEntry(file, new Set()));
  return filesReachableFrom(context, loaders, imports);
}

import type { AnalysisContext, Node, SourceFile } from './context.js';

/**
 * Which project files a module loads: static `import … from './x'`, `export … from './x'`,
 * `import('./x')` and `require('./x')` with a literal specifier. Facts for reachability only.
 */
export function importedFiles(context: AnalysisContext, file: SourceFile): SourceFile[] {
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
  context.walk(file, (node) => {
    if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      add(node.arguments[0]);
  });
  return [...found];
}

/** The files loaded, directly or through other project files, by the given entry files (the entries included), sorted. */
export function filesReachableFrom(context: AnalysisContext, entries: readonly SourceFile[]): string[] {
  const seen = new Set<SourceFile>();
  const queue = [...entries];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...importedFiles(context, file));
  }
  return [...seen].map((file) => file.fileName).sort();
}

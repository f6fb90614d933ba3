import type { AnalysisContext, Node, SourceFile } from './context.js';
import { SHAPES, type ExtractOptions } from './shapes/index.js';
import { importsSdkV2 } from './shapes/sdk-v2.js';
import type { FileScope, ShapeReader } from './shapes/shape.js';
import type { SourceRegistration } from './types.js';

/** Reads one file's registrations: `visit` sees every node of the file's walk, in order; `finish` returns them. */
export interface FileExtraction {
  visit(node: Node): void;
  finish(): SourceRegistration[];
}

/**
 * Finds every capability registration in one source file, during one walk shared by every framework
 * shape in shapes/index.ts (and by analyze.ts's own site scan). A name that is computed at run time is kept as dynamic.
 */
export function extractRegistrations(context: AnalysisContext, file: SourceFile, options: ExtractOptions): FileExtraction {
  const scope: FileScope = { context, file, options, zodOptions: { closedObjects: options.zod4 !== true && !importsSdkV2(file) } };
  const registrations: SourceRegistration[] = [];
  const readers: ShapeReader[] = SHAPES.filter((shape) => shape.detect?.(scope) ?? true).map((shape) => shape.extract(scope, registrations));
  // Indexed by syntax kind: most nodes are of no shape's kinds.
  const visitors = new Array<Array<(node: Node) => void> | undefined>(context.ts.SyntaxKind.Count).fill(undefined);
  for (const reader of readers) {
    if (reader.visit === undefined) continue;
    for (const kind of reader.kinds ?? []) (visitors[kind] ??= []).push(reader.visit);
  }
  return {
    visit(node) {
      const list = visitors[node.kind];
      if (list !== undefined) for (const visit of list) visit(node);
    },
    finish() {
      for (const reader of readers) reader.finish?.();
      return registrations;
    },
  };
}

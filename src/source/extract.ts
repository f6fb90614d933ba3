import type { AnalysisContext, Node, SourceFile } from './context.js';
import { SHAPES, type ExtractOptions } from './shapes/index.js';
import { importsSdkV2 } from './shapes/sdk-v2.js';
import type { FileScope, ShapeReader } from './shapes/shape.js';
import type { SourceRegistration } from './types.js';

/**
 * Finds every capability registration in one source file, with one walk shared by every framework
 * shape in shapes/index.ts. A name that is computed at run time is kept as dynamic.
 */
export function extractRegistrations(context: AnalysisContext, file: SourceFile, options: ExtractOptions): SourceRegistration[] {
  const scope: FileScope = { context, file, options, zodOptions: { closedObjects: options.zod4 !== true && !importsSdkV2(file) } };
  const registrations: SourceRegistration[] = [];
  const readers: ShapeReader[] = SHAPES.filter((shape) => shape.detect?.(scope) ?? true).map((shape) => shape.extract(scope, registrations));
  const visitors = new Map<number, Array<(node: Node) => void>>();
  for (const reader of readers) {
    if (reader.visit === undefined) continue;
    for (const kind of reader.kinds ?? []) {
      const list = visitors.get(kind);
      if (list === undefined) visitors.set(kind, [reader.visit]);
      else list.push(reader.visit);
    }
  }
  if (visitors.size > 0) {
    context.walk(file, (node) => {
      const list = visitors.get(node.kind);
      if (list !== undefined) for (const visit of list) visit(node);
    });
  }
  for (const reader of readers) reader.finish?.();
  return registrations;
}

import type { AnalysisContext, SourceFile } from './context.js';
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
  const visitors = readers.flatMap((reader) => (reader.visit ? [reader.visit] : []));
  if (visitors.length > 0) {
    context.walk(file, (node) => {
      for (const visit of visitors) visit(node);
    });
  }
  for (const reader of readers) reader.finish?.();
  return registrations;
}

import type { ts as TsNamespace } from 'ts-morph';
import type { AnalysisContext, Node, SourceFile } from '../context.js';
import type { SourceRegistration } from '../types.js';
import type { ZodOptions } from '../zod.js';

export type Kind = SourceRegistration['kind'];

export interface ExtractOptions {
  callDepth: number;
  /** Project root, for file-based (xmcp) conventions. */
  root: string;
  /** The project uses xmcp (file-based registrations under src/tools, src/prompts, src/resources). */
  xmcp: boolean;
  /** The project depends on zod 4, whose JSON Schema leaves objects open. */
  zod4?: boolean;
  /** Project-wide: low-level call dispatches, for definitions registered elsewhere (shapes/linking.ts). */
  dispatches?: Array<{ kind: Kind; branches: Map<string, Node>; handler: Node }>;
  /** Project-wide: objects read with a computed name (`HANDLERS[request.params.name]`), handler records keyed by capability name. */
  records?: Node[];
  /** Project-wide: registrations of definitions by a loop (`registerTool(t.name, ..., wrap(t.logic))`), for definitions' handlers (shapes/linking.ts). */
  registrars?: Registrar[];
}

/** A registering call whose name is a definition's (`t.name`): the definition properties its handler reads, the code it wraps them in, its toggles. */
export interface Registrar {
  kind: Kind;
  /** Properties of the definition the handler argument reads (`t.logic` → `logic`). */
  keys: string[];
  around?: NonNullable<NonNullable<SourceRegistration['handler']>['around']>;
  /** `registered.disable()` on what the loop's call returned: it switches off every definition it registers. */
  toggles: NonNullable<SourceRegistration['toggles']>;
}

/** One file being read, with what every shape needs to read it. */
export interface FileScope {
  context: AnalysisContext;
  file: SourceFile;
  options: ExtractOptions;
  zodOptions: ZodOptions;
}

/** A shape's reader for one file: it pushes what it finds onto the list `extract` was given. */
export interface ShapeReader {
  /** The syntax kinds `visit` is for: one walk is shared by every shape and hands each only these. */
  kinds?: readonly TsNamespace.SyntaxKind[];
  /** Sees each node of those kinds, in walk order. */
  visit?(node: Node): void;
  /** After the walk: registrations that need the whole file (they follow the walk's, shape by shape). */
  finish?(): void;
}

/** One framework shape: how a project registers capabilities with one API. */
export interface Shape {
  /** As in `SourceRegistration['shape']`; shapes that only label another's calls say so in index.ts. */
  readonly name: string;
  /** Whether the shape can occur in this file at all; every file when absent. */
  detect?(scope: FileScope): boolean;
  extract(scope: FileScope, found: SourceRegistration[]): ShapeReader;
}

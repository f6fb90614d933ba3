/**
 * The inventory's base types: the names every collector's fact types share with the model
 * (src/inventory/model.ts re-exports them). This module imports nothing, so a fact-type module
 * (src/<collector>/types.ts) can use them without importing model.ts, which imports it back:
 * `npm run lint:deps` forbids that cycle.
 */

export type CapabilityKind = 'tool' | 'resource' | 'resourceTemplate' | 'prompt' | 'server';
export type ListKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';
export type FactKind = 'live' | 'source' | 'http' | 'repo' | 'probe' | 'lock' | 'suppress';
export type TransportKind = 'stdio' | 'streamable-http' | 'sse';
export type ProtocolEra = 'legacy' | 'modern';

/** 1-based line and column (UTF-16 code units), absolute file path. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Names the thing a finding is about; `name` is absent for server-level findings. */
export interface CapabilityRef {
  kind: CapabilityKind;
  name?: string;
}

/** The four boolean hints of a tool's annotations (MCP 2025-11-25, ToolAnnotations). */
export type HintName = 'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint';

export interface CutString {
  /** Length of the whole string in characters (Unicode code points). */
  length: number;
  /** Its size in UTF-8 bytes. */
  bytes: number;
  /** SHA-256 of its UTF-8 bytes, hex. */
  sha256: string;
}

/** Field path (`description`, `inputSchema.properties.q.default`) → what was cut there (src/inventory/bounded.ts). */
export type CutStrings = Record<string, CutString>;

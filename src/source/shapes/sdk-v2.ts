import type { SourceFile } from '../context.js';

/**
 * The SDK v2 (`@modelcontextprotocol/server`) registers with the same calls as the v1 high level;
 * sdk-high-level.ts reads them and labels them `sdk-v2` in files that import the v2 package. v2
 * pairs with zod 4, whose JSON Schema leaves objects open.
 */
export function importsSdkV2(file: SourceFile): boolean {
  // Asked once per file and again for each of its registrations.
  let imports = v2Files.get(file);
  if (imports === undefined) {
    imports = /['"]@modelcontextprotocol\/server['"]/.test(file.text);
    v2Files.set(file, imports);
  }
  return imports;
}

const v2Files = new WeakMap<SourceFile, boolean>();

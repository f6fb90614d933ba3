import type { SourceFile } from './context.js';
import type { CodeSite } from './types.js';

/**
 * Which third-party package a line of a bundle comes from. esbuild (and bun) put a comment naming
 * each inlined module above its code, `// node_modules/yaml/dist/compose/composer.js`, and the
 * project's own as `// src/index.ts`; a published server often ships one such file holding its
 * dependencies (yaml, tslib, the SDK). The region of a marker runs to the next marker. Facts only:
 * rules decide whether code a bundler copied from a dependency is theirs to judge.
 */
const MODULE_MARKER = /^\/\/ ((?:\.\.?\/)*(?:[\w@.+-]+\/)*[\w@.+-]+\.[cm]?[jt]sx?)\s*$/;

/** The package a `node_modules/...` path belongs to (`yaml`, `@supabase/storage-js`), else undefined. */
export function packageOfPath(modulePath: string): string | undefined {
  const at = modulePath.lastIndexOf('node_modules/');
  if (at === -1) return undefined;
  const [first, second] = modulePath.slice(at + 'node_modules/'.length).split('/');
  if (first === undefined || first === '' || second === undefined) return undefined;
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/** Per bundled line (1-based), its package, as sorted region starts; empty when the file has no module markers. */
export function bundleRegions(file: SourceFile): Array<{ line: number; package: string | undefined }> {
  const regions: Array<{ line: number; package: string | undefined }> = [];
  // Only a file a bundler wrote carries `// node_modules/...` markers; a cheap test skips the rest.
  if (!file.text.includes('// node_modules/') && !file.text.includes('/node_modules/')) return regions;
  file.text.split('\n').forEach((text, index) => {
    const match = MODULE_MARKER.exec(text);
    if (match !== null) regions.push({ line: index + 1, package: packageOfPath(match[1]!) });
  });
  return regions.some((region) => region.package !== undefined) ? regions : [];
}

/** Sets `bundled` on each site that lies in a region of a bundled dependency. */
export function markBundledSites(files: readonly SourceFile[], sites: readonly CodeSite[]): void {
  const byFile = new Map<string, Array<{ line: number; package: string | undefined }>>();
  for (const file of files) {
    const regions = bundleRegions(file);
    if (regions.length > 0) byFile.set(file.fileName, regions);
  }
  if (byFile.size === 0) return;
  for (const site of sites) {
    const regions = byFile.get(site.location.file);
    if (regions === undefined) continue;
    let owner: string | undefined;
    for (const region of regions) {
      if (region.line > site.location.line) break;
      owner = region.package;
    }
    if (owner !== undefined) site.bundled = owner;
  }
}

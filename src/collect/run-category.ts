import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TargetSpec } from '../discovery/target.js';
import type { Inventory } from '../inventory/model.js';
import { entryScriptOf } from '../inventory/anchor.js';

/**
 * The name a target's SARIF run is filed under (its code-scanning category). It must survive a change
 * of command line, or every earlier alert is orphaned: a name the user gave (config target, --name)
 * wins; else the server's package name (the package.json above its entry script, or the package an
 * `npx`/`pnpm dlx`/`bunx` line runs); else the name the server reports in initialize; else the
 * target's derived name.
 */
export function stableRunName(spec: TargetSpec, explicitName: boolean, inventory?: Inventory): string {
  if (explicitName || spec.kind === 'http') return spec.name;
  const script = entryScriptOf(spec);
  const fromManifest = script === undefined ? undefined : packageNameAbove(path.dirname(script));
  const serverName = inventory?.server.info.name?.trim();
  return fromManifest ?? packageRunBy(spec.command, spec.args) ?? (serverName ? serverName : undefined) ?? spec.name;
}

const MAX_LEVELS = 8;

function packageNameAbove(directory: string): string | undefined {
  let current = directory;
  for (let level = 0; level < MAX_LEVELS; level++) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(current, 'package.json'), 'utf8')) as { name?: unknown };
      if (typeof manifest.name === 'string' && manifest.name.trim() !== '') return manifest.name.trim();
    } catch {
      // No (readable) package.json here: look one level up.
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}

const RUNNERS: Record<string, string[]> = { npx: [], bunx: [], pnpx: [], pnpm: ['dlx'], yarn: ['dlx'], npm: ['exec'] };

/** `npx -y @scope/pkg@1.2 /root` → `@scope/pkg`; undefined for anything else. */
export function packageRunBy(command: string, args: readonly string[]): string | undefined {
  const runner = path.basename(command).replace(/\.(cmd|exe)$/i, '');
  const sub = RUNNERS[runner];
  if (sub === undefined) return undefined;
  let rest = [...args];
  if (sub.length > 0) {
    if (rest[0] !== sub[0]) return undefined;
    rest = rest.slice(1);
  }
  const spec = rest.find((arg) => !arg.startsWith('-'));
  if (spec === undefined) return undefined;
  const at = spec.lastIndexOf('@');
  return at > 0 ? spec.slice(0, at) : spec;
}

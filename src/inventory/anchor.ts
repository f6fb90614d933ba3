import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TargetSpec } from '../discovery/target.js';
import type { LocationAnchor } from '../report/types.js';

function isFile(file: string): boolean {
  try {
    return existsSync(file) && statSync(file).isFile();
  } catch {
    return false;
  }
}

const SCRIPT_EXTENSIONS = /\.(c|m)?(j|t)sx?$/i;

/** The stdio server's entry script (the first script-like argument that is a file), if any. */
export function entryScriptOf(spec: TargetSpec): string | undefined {
  if (spec.kind !== 'stdio') return undefined;
  for (const arg of [spec.command, ...spec.args]) {
    if (arg.startsWith('-') || !SCRIPT_EXTENSIONS.test(arg)) continue;
    const candidate = path.resolve(spec.cwd, arg);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Where a finding with no source line of its own is anchored (CONVENTIONS.md §1.3): the target's
 * line in the config file (once configs exist), else the server's entry script, else package.json.
 * GitHub rejects an upload in which one result has no file location, so there is always an answer:
 * when none of these files exists it is `package.json` in the working directory, marked `fallback`,
 * and the CLI warns (settleLocations) that the SARIF points at a file that does not exist.
 */
export function anchorFor(spec: TargetSpec, workingDirectory: string, configLocation?: { file: string; line: number }): LocationAnchor {
  if (configLocation) {
    return { location: { file: configLocation.file, line: configLocation.line, column: 1 }, why: 'config' };
  }
  const script = entryScriptOf(spec);
  if (script !== undefined) return { location: { file: script, line: 1, column: 1 }, why: 'entry-script' };
  const directories = spec.kind === 'stdio' ? [spec.cwd, workingDirectory] : [workingDirectory];
  for (const directory of directories) {
    const manifest = path.join(directory, 'package.json');
    if (isFile(manifest)) return { location: { file: manifest, line: 1, column: 1 }, why: 'package-json' };
  }
  return { location: { file: path.join(workingDirectory, 'package.json'), line: 1, column: 1 }, why: 'fallback' };
}

/** What settleLocations did for one target, for the CLI's warning lines. */
export interface LocationFallback {
  target: string;
  /** Findings whose own file does not exist, moved to the target's anchor. */
  moved: number;
  /** Findings whose own file lies outside the SARIF root (kept; SARIF shows the file name only). */
  outside: number;
  /** The anchor itself is not a file inside the SARIF root (nothing better existed). */
  anchorMissing: boolean;
  anchor: string;
}

function inside(file: string, root: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(root, file));
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * Findings anchor only at files that exist: one whose own file does not (generated, deleted) is moved
 * to its target's anchor, keeping the original place in `data.reportedAt`. One whose file lies
 * outside the SARIF root keeps it (the text and JSON reports show it whole) but is counted, because
 * SARIF can only show its file name. Returns one entry per target to warn about.
 */
export function settleLocations(
  targets: ReadonlyArray<{
    target: { name: string };
    findings: Array<{ location?: SourceLocationLike; data: Record<string, string | number> }>;
    anchor: LocationAnchor;
  }>,
  sarifRoot: string,
): LocationFallback[] {
  const fallbacks: LocationFallback[] = [];
  for (const target of targets) {
    const anchorFile = target.anchor.location.file;
    const anchorMissing = !isFile(anchorFile) || !inside(anchorFile, sarifRoot);
    let moved = 0;
    let outside = 0;
    for (const finding of target.findings) {
      const file = finding.location?.file;
      if (file === undefined) continue;
      if (!isFile(path.resolve(sarifRoot, file))) {
        finding.data.reportedAt = `${file}:${finding.location!.line}`;
        delete finding.location;
        moved++;
      } else if (!inside(file, sarifRoot)) outside++;
    }
    if (moved > 0 || outside > 0 || (anchorMissing && target.findings.some((finding) => finding.location === undefined))) {
      fallbacks.push({ target: target.target.name, moved, outside, anchorMissing, anchor: anchorFile });
    }
  }
  return fallbacks;
}

/** One warning line per target whose findings had to fall back (CLI stderr). */
export function fallbackLines(fallbacks: readonly LocationFallback[], sarifRoot: string): string[] {
  return fallbacks.map((fallback) => {
    const anchor = inside(fallback.anchor, sarifRoot) ? path.relative(sarifRoot, fallback.anchor).split(path.sep).join('/') : path.basename(fallback.anchor);
    const moved =
      fallback.moved > 0
        ? `${fallback.moved} finding${fallback.moved === 1 ? '' : 's'} pointed at files that do not exist and ${fallback.moved === 1 ? 'is' : 'are'} anchored at ${anchor} instead`
        : '';
    const outside =
      fallback.outside > 0
        ? `${fallback.outside} finding${fallback.outside === 1 ? '' : 's'} point${fallback.outside === 1 ? 's' : ''} at files outside the SARIF root, which SARIF shows by file name only (pass --sarif-root)`
        : '';
    const missing = fallback.anchorMissing
      ? `findings without a file of their own point at ${anchor}, which ${isFile(fallback.anchor) ? 'lies outside the SARIF root' : 'does not exist'}; use a config file (--config) or run from the server's repository (or pass --sarif-root)`
      : '';
    return `target ${fallback.target}: ${[moved, outside, missing].filter(Boolean).join('; ')}`;
  });
}

type SourceLocationLike = { file: string; line: number };

import path from 'node:path';

/**
 * Turning absolute file paths into what SARIF and the text report show. Pure: no file-system access,
 * so symlinks must already be resolved by whoever produced the path (CONVENTIONS.md §1.4).
 */

export interface RelativePath {
  /** POSIX path relative to the root, not encoded (for humans). */
  display: string;
  /** The same path with each segment percent-encoded (for SARIF `artifactLocation.uri`). */
  uri: string;
  /**
   * True when the file lies outside the root (or on another drive): `display` and `uri` are then the
   * basename only, because GitHub resolves URIs against the repository root and an absolute path
   * would leak the machine's layout.
   */
  outsideRoot: boolean;
}

const WINDOWS_PATH = /^[A-Za-z]:[\\/]|^\\\\|\\/;

function pathApi(...paths: string[]): path.PlatformPath {
  return paths.some((p) => WINDOWS_PATH.test(p)) ? path.win32 : path.posix;
}

/** Percent-encodes each segment (as knip does), keeping `/` as the separator. */
export function encodePosixPath(posixPath: string): string {
  return posixPath
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * `file` relative to `root`, with POSIX separators. A relative `file` is taken as relative to `root`.
 * Never returns an absolute path or one starting with `/` or `..`.
 */
export function relativeToRoot(file: string, root: string): RelativePath {
  const api = pathApi(file, root);
  const absoluteFile = api.resolve(root, file);
  const relative = api.relative(api.resolve(root), absoluteFile);
  const outsideRoot = relative === '' || relative === '..' || relative.startsWith(`..${api.sep}`) || api.isAbsolute(relative);
  const chosen = outsideRoot ? api.basename(absoluteFile) || 'unknown' : relative;
  const display = chosen.split(api.sep).join('/').replace(/^\/+/, '');
  return { display, uri: encodePosixPath(display), outsideRoot };
}

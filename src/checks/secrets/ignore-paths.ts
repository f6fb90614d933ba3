import picomatch from 'picomatch';
import { stringListOption } from '../../engine/options.js';
import type { RuleMeta } from '../../engine/types.js';

/**
 * The rule's `ignorePaths` option (globs of repository-relative paths) as a predicate. A file outside
 * the repository (`../server/test/x.ts`: a source root or config elsewhere) is matched without its
 * leading `../` segments, which globs never match.
 */
export function ignoredPaths(rule: RuleMeta): (file: string) => boolean {
  const globs = stringListOption(rule, 'ignorePaths');
  if (globs.length === 0) return () => false;
  const matches = picomatch(globs, { dot: true });
  return (file) => matches(file.replace(/^(?:\.\.\/)+/, ''));
}

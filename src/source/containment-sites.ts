import type { ts as TsNamespace } from 'ts-morph';
import { BUILTIN_VOCABULARY } from '../engine/generated/vocabulary.js';
import type { AnalysisContext } from './context.js';
import type { CodeSite } from './types.js';
import { anywhere } from './vocabulary.js';

/**
 * Path containment checks a handler reaches (site kind `path-containment`), for
 * design/unrestricted-path: a tool whose handler confines the path to an allowed root is not one
 * that "takes any path".
 * - `path.relative(root, resolved)` (detail `check: relative`): the sound check, when its result is
 *   tested for `..`;
 * - `resolved.startsWith(root)` where the receiver or the argument names a root, an allowed or base
 *   directory (detail `check: startsWith`, `separator`: whether the root is followed by a path
 *   separator, `root + path.sep`; without one, `/srv/data-x` passes a check for `/srv/data`);
 * - `realpath` / `realpathSync` (detail `check: realpath`): symlinks followed before the check.
 */

/**
 * Words that, anywhere in a `startsWith` receiver or argument, name a root: design/unrestricted-path's
 * `rootWords` (compiled into BUILTIN_VOCABULARY; src/source/vocabulary.ts says why): the collector
 * selects, the rule judges, one definition.
 */
const ROOT_WORDS = anywhere(BUILTIN_VOCABULARY['design/unrestricted-path'].rootWords, 'i');
const SEPARATOR = /\bsep\b|['"`][/\\]{1,2}['"`]|\+\s*['"`][/\\]|[/\\]['"`]\s*$/;

export function containmentSite(
  context: AnalysisContext,
  call: TsNamespace.CallExpression,
  dotted: string,
  method: string,
  receiver: string,
): CodeSite | undefined {
  // Only for a site: every call of the project is asked.
  const location = (): CodeSite['location'] => context.location(call);
  if (method === 'relative' && /^(?:path|posix|win32|path\.posix|path\.win32|nodePath|pathModule)$/.test(receiver)) {
    return { kind: 'path-containment', location: location(), what: dotted, detail: { check: 'relative' } };
  }
  if (method === 'realpath' || method === 'realpathSync')
    return { kind: 'path-containment', location: location(), what: dotted, detail: { check: 'realpath' } };
  if (method === 'startsWith' && receiver !== '') {
    const argument = call.arguments[0];
    if (argument === undefined) return undefined;
    const argumentText = context.text(argument, 200);
    if (!ROOT_WORDS.test(receiver) && !ROOT_WORDS.test(argumentText)) return undefined;
    // A literal prefix (`'http'`, `'--'`) is no root.
    if (/^['"`][^'"`]*['"`]$/.test(argumentText.trim())) return undefined;
    return { kind: 'path-containment', location: location(), what: dotted, detail: { check: 'startsWith', separator: SEPARATOR.test(argumentText) } };
  }
  return undefined;
}

import { defineCheck } from '../../engine/define-check.js';
import { packRegExp } from '../../util/ascii-twin.js';
import { stringListOption } from '../../engine/options.js';
import { capabilityRef, type Inventory } from '../../inventory/model.js';
import type { ContainmentProbe } from '../../probe/types.js';
import { isRecord, joinPath } from '../json-schema.js';
import { isFreeFormString, parametersOf, stringSchemaOf, type Parameter } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/unrestricted-path (live part): a file-system path parameter (`path`, `filePath`,
 * `outputDirPath`...) the schema leaves free: no enum, no pattern beyond `.*`. The handler may
 * still confine it (the source part of the rule looks for that); live, the schema is all a client,
 * a reviewer and the model see, and a pattern such as `^(?!.*\.\.)[\w./-]+$` documents the limit.
 * Parameters are searched in nested objects too (`params.outputDir`, `sources[].path`); `source`,
 * `destination` of a file tool and a parameter described as a "local/source path" count as paths.
 * A path whose description says it lives in a repository or project, or a tool that also takes an
 * `owner`/`repo`/`project_id`, addresses a remote system, not the server's file system, unless its
 * name or description puts it on this machine (`localWords`: "Path to Git repository", "Local path")
 * or the tool uploads it. One finding per tool, naming every such parameter.
 *
 * Evidence of containment silences the finding:
 * - the containment probe (`--probe`, src/probe/containment.ts) tried both escapes on the tool and
 *   every answer came back without the canary: that tool is confined;
 * - source analysis: the tool's handler reaches a sound containment check against a root
 *   (`path.relative(root, resolved)`, or `startsWith(root + path.sep)`; a bare `startsWith(root)`
 *   lets `<root>-x/` through and does not count);
 * - the server was launched with allowed directories (a directory among its launch arguments) and
 *   says it confines paths to them (a tool in `rootListingTools`, or a description with one of
 *   `containmentPhrases`): every tool of the server is taken as confined at run time, unless the
 *   containment probe saw any tool escape (design/path-traversal reports that escape).
 */
export const unrestrictedPath = defineCheck('design/unrestricted-path', ({ inventory, rule, report }) => {
  const pathWords = new Set(stringListOption(rule, 'pathWords').map((word) => word.toLowerCase()));
  const remoteWords = new Set(stringListOption(rule, 'remoteWords').map((word) => word.toLowerCase()));
  const localWords = new Set(stringListOption(rule, 'localWords').map((word) => word.toLowerCase()));
  const remoteSiblings = new Set(stringListOption(rule, 'remoteSiblingParameters').map(snakeName));
  const fileNouns = new Set(stringListOption(rule, 'fileNouns').map((word) => word.toLowerCase()));
  const fileToolParameters = new Set(stringListOption(rule, 'fileToolParameters').map(snakeName));
  const localVerbs = new Set(stringListOption(rule, 'localToolVerbs').map((word) => word.toLowerCase()));
  const pathDescriptions = stringListOption(rule, 'pathDescriptions').map((pattern) => packRegExp(pattern));
  const notOpened = stringListOption(rule, 'notOpenedDescriptions').map((pattern) => packRegExp(pattern));
  const launchConfined = confinedToLaunchRoots(inventory, stringListOption(rule, 'rootListingTools'), stringListOption(rule, 'containmentPhrases'));
  const probedConfined = new Set((inventory.probe?.containment?.probes ?? []).filter(showsContainment).map((probe) => probe.tool));
  const sourceConfined = confinedInSource(inventory);
  for (const tool of inventory.tools) {
    if (launchConfined || probedConfined.has(tool.name) || sourceConfined.has(tool.name)) continue;
    const toolWords = splitWords(tool.name);
    const parameters = nestedParametersOf(tool.inputSchema);
    // An `owner`/`repo`/`project_id` beside the path: the path is in that remote repository or project.
    const remoteTool = parametersOf(tool.inputSchema).some(({ name }) => remoteSiblings.has(snakeName(name)));
    // A tool that uploads reads its path here, whatever system it sends the file to.
    const localTool = toolWords.some((word) => localVerbs.has(word));
    const free = parameters.filter((parameter) => {
      if (!isFreeFormString(parameter.schema)) return false;
      const schema = stringSchemaOf(parameter.schema);
      const description = [parameter.schema, schema].map((part) => (isRecord(part) && typeof part.description === 'string' ? part.description : '')).join(' ');
      const last = parameter.words[parameter.words.length - 1];
      const joined = parameter.words.slice(-2).join('');
      const named = last !== undefined && (pathWords.has(last) || pathWords.has(joined));
      // `source`/`destination` of `move_file`, `local` of a `files` list: paths by the file noun around them.
      const fileContext = [...toolWords, ...parameter.parents.flatMap((name) => splitWords(name))].some((word) => fileNouns.has(word));
      const byContext = fileContext && fileToolParameters.has(snakeName(parameter.name));
      const described = pathDescriptions.some((regex) => regex.test(description));
      if (!(named || byContext || described)) return false;
      // "Filter by working directory": a value compared with stored records, not a path opened.
      if (notOpened.some((regex) => regex.test(description))) return false;
      const descriptionWords = splitWords(description);
      // "Destination path where the repository should be cloned": a path said in so many words is local.
      const local = described || localTool || parameter.words.some((word) => localWords.has(word)) || descriptionWords.some((word) => localWords.has(word));
      if (local) return true;
      return !remoteTool && !descriptionWords.some((word) => remoteWords.has(word));
    });
    const first = free[0];
    if (first === undefined) continue;
    const names = free.map(({ name, parents }) => [...parents, name].join('.'));
    report({
      messageId: 'pathParameter',
      data: { tool: tool.name, parameter: first.name, parameters: names.join(', ') },
      capability: capabilityRef(tool),
      field: first.field,
      evidence: names.join(', '),
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

interface NestedParameter extends Parameter {
  /** Names of the enclosing parameters: `params` for `params.outputDir`, `sources` for `sources[].path`. */
  parents: string[];
}

/** How deep nested objects are searched for paths: a `params` object, an array of `{ path, url }` sources. */
const NESTING = 2;

/** Top-level parameters and those of the objects (or arrays of objects) nested in them, up to NESTING levels down. */
function nestedParametersOf(schema: unknown, field = 'inputSchema', parents: string[] = []): NestedParameter[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const found: NestedParameter[] = [];
  for (const [name, child] of Object.entries(schema.properties)) {
    const at = joinPath(joinPath(field, 'properties'), name);
    found.push({ name, words: splitWords(name), schema: child, field: at, parents });
    if (parents.length >= NESTING || !isRecord(child)) continue;
    if (isRecord(child.properties)) found.push(...nestedParametersOf(child, at, [...parents, name]));
    else if (isRecord(child.items)) found.push(...nestedParametersOf(child.items, joinPath(at, 'items'), [...parents, name]));
  }
  return found;
}

/** Both escapes tried, each answered (result or error, not a timeout), none with the canary. */
function showsContainment(probe: ContainmentProbe): boolean {
  return (
    probe.attempts.length >= 2 &&
    probe.attempts.every((attempt) => !attempt.canaryReturned && (attempt.call.outcome === 'result' || attempt.call.outcome === 'rpc-error'))
  );
}

/** A last path segment with a file extension (`index.js`, `config.json`): a file, not a directory. */
const FILE_NAME = /\.[A-Za-z0-9]{1,5}$/;

/**
 * A launch argument that names a directory: an absolute, home- or dot-relative path (or one under a
 * recorded-dump placeholder such as `<corpus>/`), not an option, not a URL, not a file name with an extension (the server's own script, a config file).
 */
export function isDirectoryArgument(argument: string): boolean {
  const value = argument.includes('=') && argument.startsWith('-') ? argument.slice(argument.indexOf('=') + 1) : argument;
  if (value.startsWith('-') || value.includes('://') || FILE_NAME.test(value.replace(/[/\\]+$/, ''))) return false;
  return /^(?:\/|~(?:\/|$)|\.{1,2}(?:[/\\]|$)|[A-Za-z]:[\\/]|<[\w-]+>[/\\])/.test(value);
}

function confinedToLaunchRoots(inventory: Inventory, rootListingTools: string[], phrases: string[]): boolean {
  const target = inventory.target;
  if (target.kind !== 'stdio' || !target.args.some(isDirectoryArgument)) return false;
  // An escape seen by the probe outweighs what the server says about itself.
  if ((inventory.probe?.containment?.probes ?? []).some((probe) => probe.attempts.some((attempt) => attempt.canaryReturned))) return false;
  const listing = new Set(rootListingTools.map(snakeName));
  if (inventory.tools.some((tool) => listing.has(snakeName(tool.name)))) return true;
  const lowered = phrases.map((phrase) => phrase.toLowerCase());
  return inventory.tools.some((tool) => {
    const description = (tool.description ?? '').toLowerCase();
    return lowered.some((phrase) => description.includes(phrase));
  });
}

/** Tools whose handler (source analysis) reaches `path.relative`, or a `startsWith` of a root followed by a separator. */
function confinedInSource(inventory: Inventory): Set<string> {
  const confined = new Set<string>();
  for (const registration of inventory.source?.registrations ?? []) {
    if (registration.kind !== 'tool' || registration.name === undefined) continue;
    const checks = (registration.handler?.reaches ?? []).filter((site) => site.kind === 'path-containment');
    if (checks.some((site) => site.detail.check === 'relative' || (site.detail.check === 'startsWith' && site.detail.separator === true)))
      confined.add(registration.name);
  }
  return confined;
}

import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { isFreeFormString, parametersOf, stringSchemaOf } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/arbitrary-url-fetch (live part): a tool that takes a caller-chosen URL and is not declared
 * closed-world (`openWorldHint` defaults to true). A parameter is a URL to fetch when it is named
 * `url`/`urls`/`endpoint`..., when its `format` is `uri`/`url`/`iri`, when a longer name ends in
 * `url` (`source_url`) and the tool's name has a fetch verb (`iconUrl` on `create_issue` is stored,
 * not fetched), when it is a callback (`webhookUrl`: the server posts to it), when its default is
 * an http(s) URL, when its items hold a `url` (`sources: [{ url }]`), or when a flag (`isUrl`)
 * turns a path parameter into a URL. A pattern that pins a host (`^https://api\.example\.com/`)
 * or an enum restricts it; `^https?://.*` does not. A URL "alternative to post_id" names a record
 * of the server's own API, and a tool named for recording a URL (`feedback`) fetches nothing.
 */

// After `://`, a literal host character means the pattern pins the host.
const HOST_PINNED = /:\\?\/\\?\/(?:\(\?:)?[A-Za-z0-9]/;

// A URL parameter described as standing in for an id ("Full Reddit URL (alternative to post_id)")
// names a record of the server's own API; the request goes there, not to the URL.
const ALTERNATIVE_TO_ID = /\b(?:alternative\s+to|instead\s+of|or)\s+(?:the\s+|a\s+)?`?[A-Za-z]*(?:_id|Id|ID)\b/u;

const isHttpUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\/\S+$/iu.test(value);

/** A URL parameter one level down: `sources: [{ url }]`, `target: { url }`. */
function nestedUrl(schema: unknown, urlNames: ReadonlySet<string>): string | undefined {
  const object = isRecord(schema) && isRecord(schema.items) ? schema.items : schema;
  if (!isRecord(object) || !isRecord(object.properties)) return undefined;
  return Object.entries(object.properties).find(([name, child]) => urlNames.has(snakeName(name)) && isFreeFormString(child))?.[0];
}

export const arbitraryUrlFetch = defineCheck('design/arbitrary-url-fetch', ({ inventory, rule, report }) => {
  const urlNames = new Set(stringListOption(rule, 'urlNames').map(snakeName));
  const urlWords = new Set(stringListOption(rule, 'urlWords').map((word) => word.toLowerCase()));
  const urlFormats = new Set(stringListOption(rule, 'urlFormats').map((format) => format.toLowerCase()));
  const fetchVerbs = new Set(stringListOption(rule, 'fetchVerbs').map((word) => word.toLowerCase()));
  const callbackWords = new Set(stringListOption(rule, 'callbackWords').map((word) => word.toLowerCase()));
  const urlFlags = new Set(stringListOption(rule, 'urlFlags').map(snakeName));
  const recordingWords = new Set(stringListOption(rule, 'recordingWords').map((word) => word.toLowerCase()));
  for (const tool of inventory.tools) {
    if (tool.annotations?.openWorldHint === false) continue;
    const nameWords = splitWords(tool.name);
    const fetches = nameWords.some((word) => fetchVerbs.has(word));
    // `send_feedback(url)`: the URL is recorded in a report about a page, not fetched.
    if (!fetches && nameWords.some((word) => recordingWords.has(word))) continue;
    const parameters = parametersOf(tool.inputSchema);
    const flag = parameters.find((parameter) => urlFlags.has(snakeName(parameter.name)));
    let found: { parameter: (typeof parameters)[number]; why: string; format?: string } | undefined;
    for (const parameter of parameters) {
      const schema = stringSchemaOf(parameter.schema);
      const last = parameter.words[parameter.words.length - 1];
      const format = isRecord(schema) && typeof schema.format === 'string' ? schema.format.toLowerCase() : undefined;
      const nested = isFreeFormString(parameter.schema) ? undefined : nestedUrl(parameter.schema, urlNames);
      if (nested !== undefined) {
        found = { parameter, why: `its items' "${nested}"` };
        break;
      }
      if (!isFreeFormString(parameter.schema)) continue;
      if (isRecord(schema) && typeof schema.pattern === 'string' && HOST_PINNED.test(schema.pattern)) continue;
      const description = isRecord(schema) && typeof schema.description === 'string' ? schema.description : '';
      const byName = urlNames.has(snakeName(parameter.name)) || (fetches && last !== undefined && urlWords.has(last));
      const byFormat = format !== undefined && urlFormats.has(format);
      const byCallback = last !== undefined && parameter.words.some((word) => callbackWords.has(word)) && (urlWords.has(last) || callbackWords.has(last));
      const byDefault = isRecord(schema) && (isHttpUrl(schema.default) || (Array.isArray(schema.examples) && schema.examples.some(isHttpUrl)));
      const byFlag = flag !== undefined && flag !== parameter && /path|file|source|target|location/u.test(parameter.words.join(' '));
      if (!(byName || byFormat || byCallback || byDefault || byFlag)) continue;
      if (byName && !byFormat && ALTERNATIVE_TO_ID.test(description)) continue;
      found = {
        parameter,
        why: byFormat
          ? `format "${format}"`
          : byName
            ? 'its name'
            : byCallback
              ? 'its name: the server calls it back'
              : byDefault
                ? 'its default, a URL'
                : `the flag "${flag?.name}"`,
        ...(format === undefined ? {} : { format }),
      };
      break;
    }
    if (found === undefined) continue;
    report({
      messageId: 'urlParameter',
      data: { tool: tool.name, parameter: found.parameter.name, why: found.why },
      capability: capabilityRef(tool),
      field: found.parameter.field,
      evidence: `${found.parameter.name}${found.format === undefined ? '' : ` (format: ${found.format})`}; openWorldHint: ${tool.annotations?.openWorldHint === undefined ? '(default true)' : 'true'}`,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

import { defineCheck } from '../../engine/define-check.js';
import { stringListOption } from '../../engine/options.js';
import { capabilityRef } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { isFreeFormString, parametersOf, stringSchemaOf } from '../parameters.js';
import { snakeName, splitWords } from '../words.js';

/**
 * design/arbitrary-url-fetch (live part): a tool that takes a caller-chosen URL and is not declared
 * closed-world (`openWorldHint` defaults to true). A parameter is a URL to fetch when it is named
 * `url`/`urls`/`endpoint`..., when its `format` is `uri`/`url`/`iri`, or when a longer name ends in
 * `url` (`source_url`) and the tool's name has a fetch verb; `iconUrl` on `create_issue` is stored,
 * not fetched. A pattern that pins a host (`^https://api\.example\.com/`) or an enum restricts it;
 * `^https?://.*` does not.
 */

// After `://`, a literal host character means the pattern pins the host.
const HOST_PINNED = /:\\?\/\\?\/(?:\(\?:)?[A-Za-z0-9]/;

export const arbitraryUrlFetch = defineCheck('design/arbitrary-url-fetch', ({ inventory, rule, report }) => {
  const urlNames = new Set(stringListOption(rule, 'urlNames').map(snakeName));
  const urlWords = new Set(stringListOption(rule, 'urlWords').map((word) => word.toLowerCase()));
  const urlFormats = new Set(stringListOption(rule, 'urlFormats').map((format) => format.toLowerCase()));
  const fetchVerbs = new Set(stringListOption(rule, 'fetchVerbs').map((word) => word.toLowerCase()));
  for (const tool of inventory.tools) {
    if (tool.annotations?.openWorldHint === false) continue;
    const fetches = splitWords(tool.name).some((word) => fetchVerbs.has(word));
    for (const parameter of parametersOf(tool.inputSchema)) {
      const schema = stringSchemaOf(parameter.schema);
      const last = parameter.words[parameter.words.length - 1];
      const format = isRecord(schema) && typeof schema.format === 'string' ? schema.format.toLowerCase() : undefined;
      const byName = urlNames.has(snakeName(parameter.name)) || (fetches && last !== undefined && urlWords.has(last));
      const byFormat = format !== undefined && urlFormats.has(format);
      if (!(byName || byFormat) || !isFreeFormString(parameter.schema)) continue;
      if (isRecord(schema) && typeof schema.pattern === 'string' && HOST_PINNED.test(schema.pattern)) continue;
      report({
        messageId: 'urlParameter',
        data: { tool: tool.name, parameter: parameter.name, why: byFormat ? `format "${format}"` : 'its name' },
        capability: capabilityRef(tool),
        field: parameter.field,
        evidence: `${parameter.name}${format === undefined ? '' : ` (format: ${format})`}; openWorldHint: ${tool.annotations?.openWorldHint === undefined ? '(default true)' : 'true'}`,
        ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
      });
      break;
    }
  }
});

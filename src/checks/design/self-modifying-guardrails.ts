import { defineCheck } from '../../engine/define-check.js';
import { packRegExp } from '../../util/ascii-twin.js';
import { capabilityRef, type ToolCapability } from '../../inventory/model.js';
import { isRecord } from '../json-schema.js';
import { parametersOf } from '../parameters.js';
import { splitWords } from '../words.js';

/**
 * design/self-modifying-guardrails (live): a tool that writes the server's own configuration
 * (`set_config_value`) where that configuration holds the limits the server enforces on the model
 * (`blockedCommands`, `allowedDirectories`, an allow-list, read-only mode), as its description or a
 * parameter's enum says. The model, or text injected into its context, lifts its own limits with
 * one call. A configuration tool whose keys are not limits (a theme, a default branch) is not
 * reported; neither is one that only reads the configuration.
 */

/** The tool's description and every string of its parameters' descriptions and enums. */
function textsOf(tool: ToolCapability): string[] {
  const texts = [tool.description ?? ''];
  for (const parameter of parametersOf(tool.inputSchema)) {
    if (!isRecord(parameter.schema)) continue;
    if (typeof parameter.schema.description === 'string') texts.push(parameter.schema.description);
    if (Array.isArray(parameter.schema.enum)) texts.push(...parameter.schema.enum.filter((value): value is string => typeof value === 'string'));
  }
  return texts;
}

export const selfModifyingGuardrails = defineCheck('design/self-modifying-guardrails', ({ inventory, options, report }) => {
  const writeVerbs = new Set(options.writeVerbs.map((word) => word.toLowerCase()));
  const configNouns = new Set(options.configNouns.map((word) => word.toLowerCase()));
  const guardrails = options.guardrailPatterns.map((pattern) => packRegExp(pattern));
  for (const tool of inventory.tools) {
    const words = splitWords(tool.name);
    if (!words.some((word) => writeVerbs.has(word)) || !words.some((word) => configNouns.has(word))) continue;
    let key: string | undefined;
    for (const text of textsOf(tool)) {
      for (const pattern of guardrails) key ??= pattern.exec(text)?.[0];
    }
    if (key === undefined) continue;
    report({
      messageId: 'guardrailConfig',
      data: { tool: tool.name, key },
      capability: capabilityRef(tool),
      field: 'name',
      evidence: `${tool.name}; configuration holds ${key}`,
      ...(tool.origin.source === undefined ? {} : { location: tool.origin.source }),
    });
  }
});

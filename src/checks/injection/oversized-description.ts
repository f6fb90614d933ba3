import { defineCheck } from '../../engine/define-check.js';
import { truncateSafely } from '../../secrets/truncate.js';
import { numberOption } from '../../engine/options.js';
import { modelVisibleText } from '../model-visible-text.js';

/**
 * injection/oversized-description: model-visible prose longer than the pack's limits: server
 * `instructions`, capability descriptions, and parameter or argument descriptions (any deeper
 * description field). Long text costs context on every turn and is where payloads hide.
 */
export const oversizedDescription = defineCheck('injection/oversized-description', ({ inventory, rule, report }) => {
  const limits = {
    instructions: numberOption(rule, 'maxInstructionsChars'),
    description: numberOption(rule, 'maxDescriptionChars'),
    parameter: numberOption(rule, 'maxParameterDescriptionChars'),
  };
  for (const visible of modelVisibleText(inventory, ['instructions', 'description'])) {
    const which =
      visible.role === 'instructions'
        ? 'instructions'
        : visible.field === 'description' || visible.field === 'serverInfo.description'
          ? 'description'
          : 'parameter';
    const max = limits[which];
    // A cut text is judged by the whole string's length, recorded when it was cut.
    const length = visible.fullLength ?? [...visible.text].length;
    if (length <= max) continue;
    report({
      messageId: 'oversized',
      data: { field: visible.field, length, max },
      capability: visible.capability,
      field: visible.field,
      evidence: `${length} characters: ${JSON.stringify(truncateSafely(visible.text, 60, ''))}…`,
    });
  }
});

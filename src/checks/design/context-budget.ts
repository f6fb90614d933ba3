import { defineCheck } from '../../engine/define-check.js';
import type { ToolCapability } from '../../inventory/model.js';

/** What a client sends the model for one tool: its compact JSON (name, title, description, schemas). */
export function toolContextChars(tool: ToolCapability): number {
  return JSON.stringify({ name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema })
    .length;
}

/** design/context-budget: the estimated tokens of every tool together, above a note and a warning budget. */
export const contextBudget = defineCheck('design/context-budget', ({ inventory, options, report }) => {
  const costs = inventory.tools.map((tool) => ({ name: tool.name, tokens: Math.ceil(toolContextChars(tool) / options.charsPerToken) }));
  const tokens = costs.reduce((sum, cost) => sum + cost.tokens, 0);
  if (tokens <= options.noteAbove) return;
  const warning = tokens > options.warnAbove;
  const largest = [...costs]
    .sort((a, b) => b.tokens - a.tokens || (a.name < b.name ? -1 : 1))
    .slice(0, 5)
    .map((cost) => `${cost.name} (${cost.tokens.toLocaleString('en-US')})`)
    .join(', ');
  report({
    messageId: 'overBudget',
    data: {
      count: costs.length,
      tokens: tokens.toLocaleString('en-US'),
      budget: (warning ? options.warnAbove : options.noteAbove).toLocaleString('en-US'),
      largest,
    },
    capability: { kind: 'server' },
    field: 'tools',
    level: warning ? 'warning' : 'note',
  });
});

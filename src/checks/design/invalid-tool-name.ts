import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';

/**
 * design/invalid-tool-name: tool names outside the specification's guidance (1 to 128 characters of
 * `A-Z a-z 0-9 _ - .`), and names served more than once (clients key tools by name: one shadows the
 * other, or the client rejects the list).
 */
const ALLOWED = /^[A-Za-z0-9_.-]+$/;

function describe(name: string, max: number): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > max) return `it is ${name.length} characters long (at most ${max})`;
  if (ALLOWED.test(name)) return undefined;
  const bad = [...new Set([...name].filter((char) => !/[A-Za-z0-9_.-]/.test(char)))]
    .slice(0, 5)
    .map((char) =>
      char === ' ' ? 'space' : /^[\x21-\x7e]$/.test(char) ? `"${char}"` : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
    );
  return `it contains ${bad.join(', ')}`;
}

export const invalidToolName = defineCheck('design/invalid-tool-name', ({ inventory, rule, report }) => {
  const max = numberOption(rule, 'maxLength');
  const counts = new Map<string, number>();
  for (const tool of inventory.tools) counts.set(tool.name, (counts.get(tool.name) ?? 0) + 1);
  for (const [name, count] of counts) {
    const problem = describe(name, max);
    if (problem !== undefined) {
      report({ messageId: 'invalidName', data: { tool: name, problem }, capability: { kind: 'tool', name }, field: 'name', evidence: JSON.stringify(name) });
    }
    if (count > 1) {
      report({
        messageId: 'duplicateName',
        data: { tool: name, count },
        capability: { kind: 'tool', name },
        field: 'name',
        evidence: `${JSON.stringify(name)} ×${count}`,
      });
    }
  }
});

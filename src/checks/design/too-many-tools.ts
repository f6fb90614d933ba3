import { defineCheck } from '../../engine/define-check.js';
import { numberOption } from '../../engine/options.js';

/**
 * design/too-many-tools: the number of tools the scan saw (every page of tools/list), against two
 * options: above `maxTools` (default 128, the most functions the OpenAI API and GitHub Copilot in
 * VS Code accept in one request) a client drops tools or fails the request: a warning; above `noteAbove` (default 40, the count Cursor has documented as its limit and past
 * which tool selection degrades) a note. A listing that stopped early says "at least".
 */
export const tooManyTools = defineCheck('design/too-many-tools', ({ inventory, rule, report }) => {
  const max = numberOption(rule, 'maxTools');
  const noteAbove = numberOption(rule, 'noteAbove');
  const count = inventory.tools.length;
  const listing = inventory.listings.find((stats) => stats.list === 'tools');
  const seen = listing !== undefined && !listing.complete ? `at least ${count}` : String(count);
  const pages = listing === undefined ? '' : ` over ${listing.pages} page${listing.pages === 1 ? '' : 's'}`;
  const data = { count, seen, pages, max, noteAbove };
  if (count > max) {
    report({ messageId: 'tooMany', data, capability: { kind: 'server' }, field: 'tools', evidence: `${count} tools`, level: 'warning' });
  } else if (count > noteAbove) {
    report({ messageId: 'many', data, capability: { kind: 'server' }, field: 'tools', evidence: `${count} tools`, level: 'note' });
  }
});

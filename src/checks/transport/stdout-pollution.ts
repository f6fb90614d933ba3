import type { CheckFunction } from '../../engine/types.js';
import { hasSite, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * transport/stdout-pollution (source): a stdio server writes to stdout outside the protocol
 * (`console.log`, `console.info`, `console.debug`, `process.stdout.write`). Servers without a stdio
 * transport are not judged; `console.error` (stderr) is the mitigation.
 */
export const stdoutPollution: CheckFunction = ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!hasSite(facts, 'stdio-transport')) {
    skip?.('the server has no stdio transport in source');
    return;
  }
  for (const site of sitesOf(facts, 'stdout-write')) report(siteFinding(facts, site, 'stdoutWrite'));
};

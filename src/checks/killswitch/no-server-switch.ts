import { defineCheck } from '../../engine/define-check.js';
import { hasSite, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/**
 * killswitch/no-server-switch: no way to turn the whole server off is declared (config
 * `killSwitches.server`) or found in source (a switch-like env/config flag checked before the server
 * connects or listens: it exits, throws or returns, or the start sits under it).
 */
export const noServerSwitch = defineCheck('killswitch/no-server-switch', ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (inventory.killSwitches?.declared.server !== undefined || hasSite(facts, 'startup-guard')) return;
  const start = sitesOf(facts, 'listen')[0] ?? sitesOf(facts, 'stdio-transport', 'http-transport')[0];
  if (start === undefined) {
    skip?.('no transport, connect or listen call found in source, so there is no start to guard');
    return;
  }
  report(siteFinding(facts, start, 'noServerSwitch'));
});

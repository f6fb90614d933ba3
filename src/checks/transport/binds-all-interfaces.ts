import { defineCheck } from '../../engine/define-check.js';
import { siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

/** `0.0.0.0`, `::` and the v4-mapped `::ffff:0.0.0.0`: every interface. */
function allInterfaces(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '::ffff:0.0.0.0';
}

/**
 * transport/binds-all-interfaces, on whichever evidence was collected:
 * - source: `listen(port)` with no host, or host `0.0.0.0`/`::`. A host read from configuration
 *   with a loopback default (`process.env.HOST ?? '127.0.0.1'`) passes;
 * - live: a launched HTTP target (config `command` with `url`) whose process group listens on
 *   `0.0.0.0` or `::`, read from the OS socket table while it ran (src/discovery/listen-sockets.ts).
 * With neither (or where the socket table cannot be read) the rule is skipped with the reason.
 */
export const bindsAllInterfaces = defineCheck('transport/binds-all-interfaces', (context) => {
  const { inventory, report } = context;
  const facts = sourceFacts(inventory);
  if (facts !== undefined) {
    for (const site of sitesOf(facts, 'listen')) {
      if (site.detail.allInterfaces !== true) continue;
      report(siteFinding(facts, site, site.detail.host === '(none)' ? 'noHost' : 'allInterfaces', { host: String(site.detail.host) }));
    }
  }
  const listen = inventory.launch?.listen;
  if (listen?.available === true) {
    for (const socket of listen.sockets) {
      if (!allInterfaces(socket.address)) continue;
      report({
        messageId: 'listening',
        data: { address: socket.address, port: socket.port },
        capability: { kind: 'server' },
        field: 'launch.listen',
        evidence: `${socket.address}:${socket.port}`,
        evidenceKind: 'live',
      });
    }
    return;
  }
  if (facts !== undefined) return;
  context.skip?.(
    listen !== undefined
      ? listen.reason
      : 'the listen address is known from source (--source) or from a server mcp-preflight starts itself (a config target with both command and url)',
  );
});

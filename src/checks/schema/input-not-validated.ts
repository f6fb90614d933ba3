import { defineCheck } from '../../engine/define-check.js';
import { nothingProbed } from '../probe/probe-facts.js';

/**
 * schema/input-not-validated (probe): a probed tool answered a call whose arguments its own input
 * schema rejects (a required property left out, or one of the wrong type) with an ordinary result,
 * not a tool error (`isError: true`) or a JSON-RPC error (`-32602`). Servers MUST validate all tool
 * inputs. An unexpected extra property is not judged: SDKs commonly strip those, which is safe.
 */
export const inputNotValidated = defineCheck('schema/input-not-validated', (context) => {
  const { inventory, report } = context;
  if (nothingProbed(context)) return;
  for (const probed of inventory.probe?.tools ?? []) {
    const call = probed.invalid;
    if (call === undefined || probed.invalidKind === undefined || probed.invalidKind === 'unexpected-property') continue;
    if (call.outcome !== 'result' || call.isError === true) continue;
    report({
      messageId: 'accepted',
      data: { how: probed.invalidKind === 'missing-required' ? 'without its required arguments' : 'with an argument of the wrong type', sent: call.sent },
      capability: { kind: 'tool', name: probed.name },
      field: 'probe.invalid',
      evidence: call.sent,
    });
  }
});

import type { CheckFunction } from '../../engine/types.js';
import { findSecrets } from '../../secrets/find.js';
import { maskValue } from '../../secrets/mask.js';
import { modelVisibleText } from '../model-visible-text.js';

/**
 * secrets/secret-in-model-visible-text: a credential in anything the server shows the model or the
 * client (descriptions, instructions, schema defaults/examples/enums, names, resource URIs, log
 * notifications). The evidence is masked here, with the format it matched, because out of context
 * (a password after `password=`) the engine's masking could not recognise the bare value.
 */
export const secretInModelVisibleText: CheckFunction = ({ inventory, report }) => {
  for (const text of modelVisibleText(inventory)) {
    for (const secret of findSecrets(text.text)) {
      report({
        messageId: 'secretFound',
        data: { kind: secret.kind, field: text.field },
        capability: text.capability,
        field: text.field,
        evidence: `${secret.kind}: ${maskValue(secret.value, secret.kind)}`,
      });
    }
  }
};

import { defineCheck } from '../../engine/define-check.js';
import { isPlaceholderSecret } from '../../secrets/entropy.js';
import { findSecrets } from '../../secrets/find.js';
import { maskValue } from '../../secrets/mask.js';
import { modelVisibleText } from '../model-visible-text.js';
import { probedCalls } from '../probe/probe-facts.js';

/**
 * secrets/secret-in-model-visible-text: a credential in anything the server shows the model or the
 * client (descriptions, instructions, schema defaults/examples/enums, names, resource URIs, log
 * notifications). The evidence is masked here, with the format it matched, because out of context
 * (a password after `password=`) the engine's masking could not recognise the bare value. A value in
 * a credential's format that is a template (`ghp_xxxx…`, `AKIAXXXXXXXXXXXXXXXX`, `xoxb-your-token`)
 * is documentation, not a secret (src/secrets/entropy.ts, isPlaceholderSecret).
 */
export const secretInModelVisibleText = defineCheck('secrets/secret-in-model-visible-text', ({ inventory, report }) => {
  for (const text of modelVisibleText(inventory)) {
    for (const secret of findSecrets(text.text)) {
      if (isPlaceholderSecret(secret.value)) continue;
      report({
        messageId: 'secretFound',
        data: { kind: secret.kind, field: text.field },
        capability: text.capability,
        field: text.field,
        evidence: `${secret.kind}: ${maskValue(secret.value, secret.kind)}`,
      });
    }
  }
  // Under --probe: secrets in what tools, resources and prompts returned. The stored text is masked
  // already, so the collector recorded them (format and masked form) before masking. Secrets in
  // error answers are secrets/internal-detail-in-error's.
  const seen = new Set<string>();
  for (const { capability, field, record } of probedCalls(inventory)) {
    for (const secret of record.secrets ?? []) {
      // The same secret from the invalid and the valid call of one tool is one finding.
      const key = `${capability.kind}\u0000${capability.name ?? ''}\u0000${secret.kind}\u0000${secret.masked}`;
      if (secret.where === 'error' || seen.has(key)) continue;
      seen.add(key);
      const where = `${field}.${secret.where === 'structuredContent' ? 'structuredContent' : 'result'}`;
      report({ messageId: 'secretFound', data: { kind: secret.kind, field: where }, capability, field: where, evidence: `${secret.kind}: ${secret.masked}` });
    }
  }
});

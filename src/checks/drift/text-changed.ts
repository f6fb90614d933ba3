import { defineCheck } from '../../engine/define-check.js';
import { describeCapability } from '../../engine/format.js';
import { diffExcerpt } from '../../lock/word-diff.js';
import { bounded, changesOf } from './changes.js';

/** Evidence keeps the word diff (bounded: an oversized description must not bloat every report). */
const MAX_EVIDENCE = 2_000;

/** drift/description-changed: a capability's description differs from the locked one; the message shows the word diff. */
export const descriptionChanged = defineCheck('drift/description-changed', ({ inventory, report }) => {
  for (const change of changesOf(inventory, 'description')) {
    report({
      messageId: 'changed',
      data: { capability: describeCapability(change.capability), diff: diffExcerpt(change.diff) },
      capability: change.capability,
      field: 'description',
      evidence: bounded(change.diff, MAX_EVIDENCE),
    });
  }
});

/** drift/instructions-changed: the server's instructions differ from the locked ones. */
export const instructionsChanged = defineCheck('drift/instructions-changed', ({ inventory, report }) => {
  for (const change of changesOf(inventory, 'instructions')) {
    report({
      messageId: change.before === '' ? 'added' : change.after === '' ? 'removed' : 'changed',
      data: { diff: diffExcerpt(change.diff) },
      capability: change.capability,
      field: 'instructions',
      evidence: bounded(change.diff, MAX_EVIDENCE),
    });
  }
});

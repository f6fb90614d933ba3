import { defineCheck } from '../../engine/define-check.js';
import { RISK_CLASSES } from '../../inventory/risk.js';
import { describeCapability } from '../../engine/format.js';

/**
 * risk/class-mismatch: a capability whose class the config asserts (`risk.tools.<name>.class`, …)
 * is computed as another (`inventory.risk`, src/inventory/risk.ts). Points at the assertion.
 */
export const classMismatch = defineCheck('risk/class-mismatch', ({ inventory, report }) => {
  for (const row of inventory.risk ?? []) {
    const declared = row.declared?.class;
    if (!row.mismatch || declared === undefined) continue;
    // RISK_CLASSES runs from most to least risky: a higher index declared means the assertion is the weaker one.
    const understated = RISK_CLASSES.indexOf(declared) > RISK_CLASSES.indexOf(row.class);
    const at = row.declared?.at;
    report({
      messageId: understated ? 'understated' : 'overstated',
      data: { capability: describeCapability(row.capability), declared, computed: row.class, reasons: row.reasons.join('; ') },
      capability: row.capability,
      field: 'risk.class',
      evidence: `${declared}->${row.class}`,
      ...(at ? { location: { file: at.file, line: at.line, column: 1 } } : {}),
    });
  }
});

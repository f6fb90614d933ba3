import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { decideGate } from '../../src/gate/gate.js';

const note = { level: 'note' } as Finding;

describe('decideGate and incompletely discovered targets', () => {
  it('exits 3 for an incompletely discovered target, whatever the findings say', () => {
    const gate = decideGate([note], 0, { failOn: 'error', incompleteTargets: 1 });
    expect(gate).toMatchObject({ passed: false, exitCode: 3 });
    expect(gate.reasons).toEqual(['1 target was incompletely discovered']);
  });

  it('with allowIncomplete exits 1, never 0, even with no finding at all', () => {
    const gate = decideGate([], 0, { failOn: 'error', incompleteTargets: 2, allowIncomplete: true });
    expect(gate).toMatchObject({ passed: false, exitCode: 1 });
    expect(gate.reasons).toEqual(['2 targets were incompletely discovered (--allow-incomplete: failed, not passed)']);
  });

  it('a target that could not be reached stays exit 3 with allowIncomplete', () => {
    expect(decideGate([], 1, { failOn: 'error', incompleteTargets: 1, allowIncomplete: true }).exitCode).toBe(3);
  });

  it('passes when every target was seen whole', () => {
    expect(decideGate([note], 0, { failOn: 'error', incompleteTargets: 0 })).toMatchObject({ passed: true, exitCode: 0, reasons: [] });
  });
});

import type { Inventory } from '../../inventory/model.js';
import type { DriftChange } from '../../lock/drift.js';

/** The drift changes of one kind (`inventory.drift`, filled by `check --lockfile`). */
export function changesOf<K extends DriftChange['kind']>(inventory: Inventory, kind: K): Extract<DriftChange, { kind: K }>[] {
  return (inventory.drift?.changes ?? []).filter((change): change is Extract<DriftChange, { kind: K }> => change.kind === kind);
}

/** Bounds what goes into a one-line message; the evidence keeps more. */
export function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

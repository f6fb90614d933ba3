import type { HintName } from '../inventory/base-types.js';
import type { CapabilityKind, CapabilityRef, Inventory, ListKind } from '../inventory/model.js';
import { RISK_CLASSES, type RiskClass } from '../inventory/risk.js';
import type { DriftChange, DriftFacts } from './drift-types.js';
import { LOCKED_LISTS, lockTarget, type LockedCapability, type LockedTarget } from './lockfile.js';
import { ANNOTATION_DEFAULTS, HINTS, canonicalText } from './normalise.js';
import { compareSchemas } from './schema-diff.js';
import { wordDiff } from './word-diff.js';

// The fact types live in drift-types.ts: model.ts names them, and this module imports model.ts.
export type { DriftChange, DriftFacts } from './drift-types.js';

const KIND_OF: Record<ListKind, Exclude<CapabilityKind, 'server'>> = {
  tools: 'tool',
  resources: 'resource',
  resourceTemplates: 'resourceTemplate',
  prompts: 'prompt',
};

/** Read-only is the least risky; the lockfile's order (RISK_CLASSES) runs the other way. */
export function riskRank(risk: RiskClass): number {
  return RISK_CLASSES.length - 1 - RISK_CLASSES.indexOf(risk);
}

/** What a rename keeps: everything the model sees except the name. */
function identity(capability: LockedCapability): string {
  return canonicalText({
    description: capability.description,
    inputSchema: capability.inputSchema,
    uri: capability.uri,
    uriTemplate: capability.uriTemplate,
    arguments: capability.arguments,
  });
}

function key(capability: LockedCapability): string {
  return `${capability.name}\u0000${capability.uri ?? capability.uriTemplate ?? ''}`;
}

/** Why a live listing does not show the whole surface, if it does not. */
function incompleteListing(inventory: Inventory): string | undefined {
  // The same test the gate makes (incompleteListings, src/discovery/completeness.ts), in drift's
  // shorter words.
  const listing = inventory.listings.find((entry) => entry.requested && entry.complete === false);
  if (listing === undefined) return undefined;
  const why =
    listing.stop?.reason === 'error' || listing.stop === undefined
      ? `failed${listing.error ? ` (${listing.error.message})` : ''}`
      : `stopped early (${listing.stop.reason}${listing.stop.limit !== undefined ? ` ${listing.stop.limit}` : ''})`;
  return `${listing.list} listing ${why}`;
}

/** Hints that matter for risk: true is the risky value of each except readOnlyHint. */
function hintDirection(hint: HintName, before: boolean, after: boolean): 'riskier' | 'safer' | undefined {
  if (hint === 'idempotentHint') return undefined;
  const risky = hint === 'readOnlyHint' ? !after && before : after && !before;
  return risky ? 'riskier' : 'safer';
}

function compareCapability(before: LockedCapability, after: LockedCapability, ref: CapabilityRef, changes: DriftChange[]): void {
  if ((before.description ?? '') !== (after.description ?? '')) {
    changes.push({
      kind: 'description',
      capability: ref,
      before: before.description ?? '',
      after: after.description ?? '',
      diff: wordDiff(before.description ?? '', after.description ?? ''),
    });
  }
  if (ref.kind === 'tool') {
    const schema = compareSchemas(before.inputSchema, after.inputSchema);
    if (schema.loosened.length > 0) changes.push({ kind: 'schema', capability: ref, direction: 'loosened', changes: schema.loosened });
    if (schema.tightened.length > 0) changes.push({ kind: 'schema', capability: ref, direction: 'tightened', changes: schema.tightened });
    const hintsBefore = (before.annotations ?? {}) as Record<string, unknown>;
    const hintsAfter = (after.annotations ?? {}) as Record<string, unknown>;
    for (const hint of HINTS) {
      const was = typeof hintsBefore[hint] === 'boolean' ? hintsBefore[hint] : ANNOTATION_DEFAULTS[hint];
      const now = typeof hintsAfter[hint] === 'boolean' ? hintsAfter[hint] : ANNOTATION_DEFAULTS[hint];
      if (was === now) continue;
      const direction = hintDirection(hint, was, now);
      if (direction) changes.push({ kind: 'annotation', capability: ref, direction, hint, before: was, after: now });
    }
  }
  if (riskRank(after.risk) > riskRank(before.risk)) changes.push({ kind: 'risk', capability: ref, before: before.risk, after: after.risk });
}

/** Compares a collected inventory with its locked surface (absent: the target is not in the lock). */
export function compareWithLock(inventory: Inventory, locked: LockedTarget | undefined, lockfile: string): DriftFacts {
  if (locked === undefined) return { lockfile, locked: false, changes: [] };
  const live = lockTarget(inventory);
  const incomplete = incompleteListing(inventory);
  const changes: DriftChange[] = [];

  const instructionsBefore = locked.instructions?.text ?? '';
  const instructionsAfter = live.instructions?.text ?? '';
  if (instructionsBefore !== instructionsAfter) {
    changes.push({
      kind: 'instructions',
      capability: { kind: 'server' },
      before: instructionsBefore,
      after: instructionsAfter,
      diff: wordDiff(instructionsBefore, instructionsAfter),
    });
  }

  for (const list of LOCKED_LISTS) {
    const kind = KIND_OF[list];
    const before = new Map(locked[list].map((item) => [key(item), item]));
    const after = new Map(live[list].map((item) => [key(item), item]));
    const removed = [...before.values()].filter((item) => !after.has(key(item)));
    const added = [...after.values()].filter((item) => !before.has(key(item)));
    for (const [itemKey, now] of after) {
      const was = before.get(itemKey);
      if (was) compareCapability(was, now, { kind, name: now.name }, changes);
    }
    // A rename keeps everything but the name; each removed capability pairs with at most one added.
    const unpaired = new Set(removed);
    for (const now of added) {
      const was = [...unpaired].find((candidate) => identity(candidate) === identity(now));
      const ref: CapabilityRef = { kind, name: now.name };
      if (was) {
        unpaired.delete(was);
        changes.push({ kind: 'renamed', capability: ref, from: was.name });
        compareCapability(was, now, ref, changes);
      } else {
        changes.push({ kind: 'added', capability: ref, risk: now.risk });
      }
    }
    // A listing cut short cannot tell a removed capability from one not listed.
    if (incomplete === undefined) for (const was of unpaired) changes.push({ kind: 'removed', capability: { kind, name: was.name }, risk: was.risk });
  }
  return { lockfile, locked: true, ...(incomplete ? { incomplete } : {}), changes };
}

import type { SourceFacts, SourceRegistration } from '../source/types.js';
import type { Capability } from './model.js';

/**
 * The source registrations of a capability (same kind and name), in the order source analysis
 * found them. Looked up in an index built once per registration list: the risk ranking, the review
 * dossier and the kill-switch and audit rules each ask for every capability, and a search of the
 * list per capability was all pairs (10,000 tools x 10,000 registrations with --source, issue 18).
 */
export function registrationsOf(
  facts: Pick<SourceFacts, 'registrations'> | undefined,
  capability: Pick<Capability, 'kind' | 'name'>,
): readonly SourceRegistration[] {
  if (facts === undefined) return NONE;
  let index = indexes.get(facts.registrations);
  if (index === undefined) {
    index = new Map();
    for (const registration of facts.registrations) {
      const key = keyOf(registration.kind, registration.name);
      const list = index.get(key);
      if (list === undefined) index.set(key, [registration]);
      else list.push(registration);
    }
    indexes.set(facts.registrations, index);
  }
  return index.get(keyOf(capability.kind, capability.name)) ?? NONE;
}

const NONE: readonly SourceRegistration[] = Object.freeze([]);
const indexes = new WeakMap<readonly SourceRegistration[], Map<string, SourceRegistration[]>>();

/** Kind and name; an unnamed (dynamic) registration apart from every name. */
const keyOf = (kind: string, name: string | undefined): string => `${kind}\u0000${name === undefined ? '\u0001' : `=${name}`}`;

import type { CapabilityKind, ListKind } from '../../inventory/model.js';

/** Wire method, capability kind and declaring capability of each list (shared by the protocol rules). */
export const LIST_FACTS: Readonly<Record<ListKind, { method: string; kind: CapabilityKind; capability: string }>> = {
  tools: { method: 'tools/list', kind: 'tool', capability: 'tools' },
  resources: { method: 'resources/list', kind: 'resource', capability: 'resources' },
  resourceTemplates: { method: 'resources/templates/list', kind: 'resourceTemplate', capability: 'resources' },
  prompts: { method: 'prompts/list', kind: 'prompt', capability: 'prompts' },
};

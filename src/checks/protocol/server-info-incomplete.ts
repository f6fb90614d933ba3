import { defineCheck } from '../../engine/define-check.js';
import { truncateSafely } from '../../secrets/truncate.js';
import { stringListOption } from '../../engine/options.js';
import type { CapabilityRef } from '../../inventory/model.js';
import { isRecord, joinPath } from '../json-schema.js';

/**
 * protocol/server-info-incomplete: serverInfo that does not identify the server (missing or generic
 * name, missing or placeholder version) and icons with schemes clients MUST reject. Icons of tools,
 * resources, templates and prompts are checked too: they are rendered by the same clients.
 */

function compact(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function schemeOf(uri: string): string | undefined {
  return /^\s*([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
}

export const serverInfoIncomplete = defineCheck('protocol/server-info-incomplete', ({ inventory, rule, report }) => {
  const generic = new Set(stringListOption(rule, 'genericNames').map(compact));
  const placeholders = new Set(stringListOption(rule, 'placeholderVersions').map((version) => version.toLowerCase()));
  const unsafeSchemes = new Set(stringListOption(rule, 'unsafeIconSchemes').map((scheme) => scheme.toLowerCase()));
  const server: CapabilityRef = { kind: 'server' };
  const { name, version, icons } = inventory.server.info;

  if (name === undefined || name.trim() === '') {
    report({ messageId: 'missingName', capability: server, field: 'serverInfo.name', evidence: '(absent)' });
  } else if (generic.has(compact(name))) {
    report({ messageId: 'genericName', data: { name }, capability: server, field: 'serverInfo.name', evidence: name });
  }
  if (version === undefined || version.trim() === '') {
    report({ messageId: 'missingVersion', capability: server, field: 'serverInfo.version', evidence: '(absent)' });
  } else if (placeholders.has(version.trim().toLowerCase())) {
    report({ messageId: 'placeholderVersion', data: { version }, capability: server, field: 'serverInfo.version', evidence: version });
  }

  const iconSets: Array<{ capability: CapabilityRef; base: string; icons: unknown[] | undefined }> = [
    { capability: server, base: 'serverInfo.icons', icons },
    ...[...inventory.tools, ...inventory.resources, ...inventory.resourceTemplates, ...inventory.prompts].map((item) => ({
      capability: { kind: item.kind, name: item.name },
      base: 'icons',
      icons: item.icons,
    })),
  ];
  for (const set of iconSets) {
    for (const [index, icon] of (set.icons ?? []).entries()) {
      if (!isRecord(icon) || typeof icon.src !== 'string') continue;
      const scheme = schemeOf(icon.src);
      if (scheme === undefined || !unsafeSchemes.has(scheme)) continue;
      const field = `${joinPath(set.base, index)}.src`;
      report({ messageId: 'unsafeIcon', data: { field, scheme }, capability: set.capability, field, evidence: truncateSafely(icon.src, 120, '') });
    }
  }
});

import type { RiskDeclaration, RiskDeclarations } from '../inventory/risk.js';
import type { DeclaredOwners, OwnersDeclaration, OwnersRole } from '../repo/ownership.js';
import { positionOf, type ParsedYaml } from '../util/yaml-schema.js';

/**
 * The config's readiness sections, already validated by the schema: `owners` (who answers for the
 * server) and `risk` (what a capability's risk class is asserted to be, who approves its calls, its
 * tenant scope). Both keep the line they were written on, so findings can point at it.
 */

const OWNER_ROLES: readonly OwnersRole[] = ['code', 'operational', 'securityReview', 'dependencyUpdates'];
const RISK_KINDS = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value])
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => entry.trim())
    .filter(Boolean);

export function readOwners(raw: unknown, parsed: ParsedYaml, file: string): DeclaredOwners | undefined {
  if (raw === undefined || raw === null || typeof raw !== 'object') return undefined;
  const owners: OwnersDeclaration = {};
  const lines: DeclaredOwners['lines'] = {};
  for (const role of OWNER_ROLES) {
    const entries = list((raw as Record<string, unknown>)[role]);
    if (entries.length === 0) continue;
    owners[role] = entries;
    const line = positionOf(parsed, ['owners'], role)?.line;
    if (line !== undefined) lines[role] = line;
  }
  return { owners, file, line: positionOf(parsed, [], 'owners')?.line ?? 1, lines };
}

export function readRisk(raw: unknown, parsed: ParsedYaml, file: string): RiskDeclarations | undefined {
  if (raw === undefined || raw === null || typeof raw !== 'object') return undefined;
  const declarations: RiskDeclarations = {};
  for (const kind of RISK_KINDS) {
    const entries = (raw as Record<string, unknown>)[kind];
    if (entries === undefined || entries === null || typeof entries !== 'object') continue;
    const byName: Record<string, RiskDeclaration> = {};
    for (const [name, value] of Object.entries(entries as Record<string, Partial<RiskDeclaration>>)) {
      byName[name] = {
        ...(value.class !== undefined ? { class: value.class } : {}),
        ...(value.approval !== undefined ? { approval: value.approval } : {}),
        ...(value.tenant !== undefined ? { tenant: value.tenant } : {}),
        ...(value.note !== undefined ? { note: value.note } : {}),
        at: { file, line: positionOf(parsed, ['risk', kind], name)?.line ?? 1 },
      };
    }
    declarations[kind] = byName;
  }
  return declarations;
}

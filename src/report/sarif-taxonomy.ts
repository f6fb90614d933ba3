import type * as Sarif from 'sarif';
import type { Level, RuleMeta } from '../engine/types.js';

/**
 * How a rule is filed in GitHub code scanning, derived from the rule's own metadata so no pack has to
 * repeat it: a rule is a *security* rule when its pack lists the tag `security` (the packs already
 * tag exactly those), and only then does it get the `security` tag and a `security-severity`; every
 * other rule (hygiene, protocol conformance, readiness) gets `problem.severity` from its level, so a
 * documentation note never becomes a security alert. OWASP MCP Top 10 ids come from `owasp-mcpNN`
 * tags and from references titled "OWASP MCP Top 10, MCPNN …"; CWE tags from `external/cwe/cwe-N`
 * tags and from references titled "CWE-N …".
 */

export type RuleKind = 'security' | 'quality';

export function ruleKind(rule: Pick<RuleMeta, 'tags'>): RuleKind {
  return rule.tags.some((tag) => tag.trim() === 'security') ? 'security' : 'quality';
}

/** GitHub's `problem.severity` values for a non-security rule. */
export const PROBLEM_SEVERITY: Record<Level, 'error' | 'warning' | 'recommendation'> = {
  error: 'error',
  warning: 'warning',
  note: 'recommendation',
};

export const OWASP_MCP_TAXONOMY_NAME = 'OWASP MCP Top 10';

/**
 * The OWASP Top 10 for Model Context Protocol, version v0.1 (2025), as listed on
 * https://owasp.org/www-project-mcp-top-10/ (repository OWASP/www-project-mcp-top-10, tab_top10.md).
 */
export const OWASP_MCP_TOP_10: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'MCP01', name: 'Token Mismanagement & Secret Exposure' },
  { id: 'MCP02', name: 'Privilege Escalation via Scope Creep' },
  { id: 'MCP03', name: 'Tool Poisoning' },
  { id: 'MCP04', name: 'Software Supply Chain Attacks & Dependency Tampering' },
  { id: 'MCP05', name: 'Command Injection & Execution' },
  { id: 'MCP06', name: 'Intent Flow Subversion' },
  { id: 'MCP07', name: 'Insufficient Authentication & Authorization' },
  { id: 'MCP08', name: 'Lack of Audit and Telemetry' },
  { id: 'MCP09', name: 'Shadow MCP Servers' },
  { id: 'MCP10', name: 'Context Injection & Over-Sharing' },
];
const OWASP_MCP_URL = 'https://owasp.org/www-project-mcp-top-10/';

/**
 * The entry a security rule of a pack falls under when the rule names none itself: the whole pack
 * is about it (auth: MCP07; secrets: MCP01; audit: MCP08; injection: MCP03, and drift: MCP03, whose
 * "rug pulls", malicious updates to trusted tools, OWASP lists under tool poisoning).
 */
const PACK_OWASP_MCP: Readonly<Record<string, string>> = { auth: 'MCP07', secrets: 'MCP01', audit: 'MCP08', injection: 'MCP03', drift: 'MCP03' };

/**
 * `MCP05`, … for the rule, sorted, from its tags (`owasp-mcp05`) and its reference titles; else,
 * for a security rule of a built-in pack about one entry, that entry.
 */
export function owaspMcpIds(rule: Pick<RuleMeta, 'tags' | 'references'> & Partial<Pick<RuleMeta, 'pack' | 'custom'>>): string[] {
  const ids = new Set<string>();
  const add = (digits: string) => {
    const id = `MCP${digits.padStart(2, '0')}`;
    if (OWASP_MCP_TOP_10.some((entry) => entry.id === id)) ids.add(id);
  };
  for (const tag of rule.tags) {
    const match = /^owasp-mcp(\d{1,2})$/i.exec(tag.trim());
    if (match) add(match[1]!);
  }
  for (const reference of rule.references) {
    const match = /OWASP MCP Top 10\W+MCP(\d{1,2})\b/i.exec(reference.title);
    if (match) add(match[1]!);
  }
  const packDefault = rule.pack === undefined || rule.custom ? undefined : PACK_OWASP_MCP[rule.pack];
  if (ids.size === 0 && packDefault !== undefined && ruleKind(rule) === 'security') ids.add(packDefault);
  return [...ids].sort();
}

/**
 * Tags in display order: `security` (security rules only), the pack, the CWE and OWASP MCP tags
 * (GitHub shows at most 10, so these come before the pack's free-form tags), then the rest.
 */
export function classifiedTags(rule: Pick<RuleMeta, 'pack' | 'tags' | 'references'> & Partial<Pick<RuleMeta, 'custom'>>, max: number): string[] {
  const own = rule.tags.map((tag) => tag.trim()).filter((tag) => tag !== '' && tag !== 'security');
  // A CWE the rule's references cite counts as its tag too (external/cwe/cwe-N is what GitHub shows).
  const cited = rule.references.flatMap((reference) => /^CWE-(\d+)\b/.exec(reference.title.trim())?.[1] ?? []).map((id) => `external/cwe/cwe-${id}`);
  const cwe = [...new Set([...own.filter((tag) => /^external\/cwe\/cwe-\d+$/i.test(tag)).map((tag) => tag.toLowerCase()), ...cited])];
  const owasp = owaspMcpIds(rule).map((id) => `owasp-${id.toLowerCase()}`);
  const rest = own.filter((tag) => !/^external\/cwe\/cwe-\d+$/i.test(tag) && !/^owasp-mcp\d+$/i.test(tag));
  const tags = [...(ruleKind(rule) === 'security' ? ['security'] : []), rule.pack, ...cwe, ...owasp, ...rest];
  return [...new Set(tags)].slice(0, max);
}

/** The `properties` of a rule's reportingDescriptor that say how GitHub files it. */
export function severityProperties(rule: Pick<RuleMeta, 'tags' | 'level' | 'securitySeverity'>): Sarif.PropertyBag {
  return ruleKind(rule) === 'security' ? { 'security-severity': String(rule.securitySeverity) } : { 'problem.severity': PROBLEM_SEVERITY[rule.level] };
}

/** The rule's links into the OWASP MCP taxonomy (toolComponent index 0 of the run's `taxonomies`). */
export function owaspRelationships(
  rule: Pick<RuleMeta, 'tags' | 'references'> & Partial<Pick<RuleMeta, 'pack' | 'custom'>>,
): Sarif.ReportingDescriptorRelationship[] {
  return owaspMcpIds(rule).map((id) => ({
    target: {
      id,
      index: OWASP_MCP_TOP_10.findIndex((entry) => entry.id === id),
      toolComponent: { name: OWASP_MCP_TAXONOMY_NAME, index: 0 },
    },
    kinds: ['superset'],
  }));
}

/** The run's `taxonomies` entry for the OWASP MCP Top 10 (all ten, so indices are stable). */
export function owaspTaxonomy(): Sarif.ToolComponent {
  return {
    name: OWASP_MCP_TAXONOMY_NAME,
    version: 'v0.1',
    organization: 'OWASP',
    informationUri: OWASP_MCP_URL,
    shortDescription: { text: 'OWASP Top 10 for Model Context Protocol' },
    taxa: OWASP_MCP_TOP_10.map((entry) => ({ id: entry.id, name: entry.name, shortDescription: { text: entry.name } })),
  };
}

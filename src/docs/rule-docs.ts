import { stringify } from 'yaml';
import { PROBLEM_SEVERITY, ruleKind } from '../report/sarif-taxonomy.js';
import { BUILTIN_VOCABULARY } from '../engine/generated/vocabulary.js';
import type { PackRule } from '../engine/packs.js';
import { builtinRuleDocUrl, ruleShortName } from '../report/common.js';

/**
 * The rule documentation under docs/rules/, generated from the packs (one page per rule and an
 * index). scripts/generate-rule-docs.mjs writes it; test/docs/rule-docs.test.ts fails when the
 * checked-in pages differ from what the packs say.
 */

export const RULE_DOCS_DIR = 'docs/rules';
export const GENERATED_MARKER = '<!-- Generated from rules/*.yaml by scripts/generate-rule-docs.mjs (npm run docs:rules). Do not edit. -->';

export interface DocFile {
  /** POSIX path relative to the repository root. */
  path: string;
  content: string;
}

/** `docs/rules/<pack>/<name>.md`. */
export function ruleDocPath(rule: Pick<PackRule, 'id' | 'pack'>): string {
  return `${RULE_DOCS_DIR}/${rule.pack}/${ruleShortName(rule.id)}.md`;
}

function fence(code: string, language = ''): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(Math.max(3, longestRun + 1));
  return `${marks}${language}\n${code.replace(/\n+$/, '')}\n${marks}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function prettyJson(text: string): { code: string; language: string } {
  try {
    return { code: JSON.stringify(JSON.parse(text), null, 2), language: 'json' };
  } catch {
    return { code: text, language: '' };
  }
}

/** How GitHub files the rule's alerts (src/report/sarif-taxonomy.ts). */
function codeScanningCell(rule: PackRule): string {
  return ruleKind(rule) === 'security'
    ? `security alert, security-severity ${rule.securitySeverity}`
    : `quality alert, problem.severity \`${PROBLEM_SEVERITY[rule.level]}\``;
}

/** One rule's page. */
export function renderRulePage(rule: PackRule): string {
  const lines: string[] = [GENERATED_MARKER, '', `# \`${rule.id}\`: ${rule.title}`, ''];
  lines.push('| | |', '| --- | --- |');
  lines.push(`| Pack | \`${rule.pack}\` |`);
  lines.push(`| Default level | \`${rule.level}\` |`);
  lines.push(`| Facts needed | ${rule.facts.map((fact) => `\`${fact}\``).join(rule.factsMatch === 'any' ? ' or ' : ', ')} |`);
  lines.push(`| Code scanning | ${codeScanningCell(rule)} |`);
  lines.push(`| Precision | ${rule.precision} |`);
  lines.push(`| Tags | ${rule.tags.map((tag) => `\`${cell(tag)}\``).join(', ')} |`);
  lines.push(`| Specification revisions | ${rule.appliesTo ? rule.appliesTo.join(', ') : 'all'} |`);
  lines.push(`| Logic | ${rule.match ? 'declarative `match` (below)' : `check \`${rule.check ?? ''}\` in \`src/checks/\``} |`);
  lines.push('', '## Why it matters', '', rule.rationale.trim(), '', '## How to fix', '', rule.fix.trim(), '');
  if (rule.examples?.bad || rule.examples?.good) {
    lines.push('## Examples', '');
    if (rule.examples.bad) {
      const bad = prettyJson(rule.examples.bad);
      lines.push('Caught:', '', fence(bad.code, bad.language), '');
    }
    if (rule.examples.good) {
      const good = prettyJson(rule.examples.good);
      lines.push('Passes:', '', fence(good.code, good.language), '');
    }
  }
  lines.push('## Messages', '');
  for (const [id, template] of Object.entries(rule.messages)) lines.push(`- \`${id}\`: ${template.replace(/\n/g, ' ')}`);
  lines.push('');
  if (rule.match) lines.push('## Match', '', fence(stringify({ match: rule.match }, { lineWidth: 0 }), 'yaml'), '');
  if (rule.options && Object.keys(rule.options).length > 0) {
    lines.push('## Options', '', 'Defaults from the pack; override them per rule under `rules:` in `mcp-preflight.yaml`.', '');
    lines.push(fence(stringify(rule.options, { lineWidth: 0 }), 'yaml'), '');
    const shared = Object.keys((BUILTIN_VOCABULARY as Readonly<Record<string, object>>)[rule.id] ?? {});
    if (shared.length > 0) {
      lines.push(
        `Shared with the risk classes or the source collectors, which read the pack's values, not a project's (one definition; SHARED_VOCABULARY in src/engine/compile-packs.ts): ${shared.map((key) => `\`${key}\``).join(', ')}.`,
        '',
      );
    }
  }
  lines.push('## Configuration', '', fence(`rules:\n  ${rule.id}: off   # or note, warning, error`, 'yaml'), '');
  if (rule.pack !== 'suppression') lines.push(...suppressSection(rule));
  if (rule.references.length > 0) {
    lines.push('## References', '');
    for (const reference of rule.references) lines.push(`- [${reference.title.replace(/([\\[\]])/g, '\\$1')}](${reference.url})`);
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/** How to accept one finding of the rule on the record (docs/suppressions.md): the real syntax, both forms. */
function suppressSection(rule: PackRule): string[] {
  return [
    '## Suppressing a finding',
    '',
    "To accept one finding with a reason ([suppressions](../../suppressions.md)), write in the server's source, on or above the line the finding points at (the registration or the statement):",
    '',
    fence(`// mcp-preflight-disable-next-line ${rule.id} -- why this finding is acceptable here`, 'ts'),
    '',
    'or in `mcp-preflight.yaml`, for the capabilities a glob names:',
    '',
    fence(
      `suppress:\n  - rule: ${rule.id}\n    capability: "name_or_glob*"\n    reason: why these findings are acceptable\n    expires: "2026-12-31"   # optional: reported as suppression/expired after this day`,
      'yaml',
    ),
    '',
    'A suppression without a reason, naming an unknown rule, past its `expires` date or matching nothing suppresses nothing and is itself a `suppression/*` warning.',
    '',
  ];
}

/** docs/rules/README.md: every rule, by pack. */
export function renderRuleIndex(rules: readonly PackRule[]): string {
  const lines: string[] = [GENERATED_MARKER, '', '# Rules', ''];
  lines.push(
    `${rules.length} built-in rules. Levels: \`error\` is exploitable or breaks a MUST of the specification, \`warning\` is a risky default, \`note\` is hygiene. Change a level or switch a rule off under \`rules:\` in \`mcp-preflight.yaml\`; write your own rules in YAML with [custom packs](../custom-packs.md).`,
    '',
  );
  const packs = [...new Set(rules.map((rule) => rule.pack))].sort();
  for (const pack of packs) {
    lines.push(`## ${pack}`, '', '| rule | level | facts | title |', '| --- | --- | --- | --- |');
    for (const rule of rules.filter((candidate) => candidate.pack === pack)) {
      lines.push(
        `| [\`${rule.id}\`](${rule.pack}/${ruleShortName(rule.id)}.md) | ${rule.level} | ${rule.facts.join(rule.factsMatch === 'any' ? ' or ' : ', ')} | ${cell(rule.title)} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/** Every generated file, in path order. */
export function renderRuleDocs(rules: readonly PackRule[]): DocFile[] {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const files = sorted.map((rule) => ({ path: ruleDocPath(rule), content: renderRulePage(rule) }));
  files.push({ path: `${RULE_DOCS_DIR}/README.md`, content: renderRuleIndex(sorted) });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The URL SARIF and the text report link for a built-in rule; it must match ruleDocPath. */
export function ruleDocUrlFor(rule: Pick<PackRule, 'id' | 'pack'>): string {
  return builtinRuleDocUrl(rule);
}

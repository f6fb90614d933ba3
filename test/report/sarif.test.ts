import { describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { automationIds, renderSarif, truncate } from '../../src/report/sarif.js';
import { assertGithubContract, validateSarifSchema } from '../helpers/sarif-contract.js';
import { ROOT, RULES, failedTarget, finding, goodTarget, report, rule } from './fixture.js';

function parse(text: string): Sarif.Log {
  return JSON.parse(text) as Sarif.Log;
}

function resultsOf(log: Sarif.Log, run = 0): Sarif.Result[] {
  return log.runs[run]?.results ?? [];
}

describe('renderSarif', () => {
  const text = renderSarif(report());
  const log = parse(text);

  it('is valid SARIF 2.1.0 and meets the GitHub contract', () => {
    expect(validateSarifSchema(log)).toEqual([]);
    expect(() => assertGithubContract(log)).not.toThrow();
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
  });

  it('is byte-identical across renders and input orders', () => {
    expect(renderSarif(report())).toBe(text);
    const shuffled = report({ rules: [...RULES].reverse() });
    const good = shuffled.targets[0]!;
    good.findings.reverse();
    good.outcomes.reverse();
    expect(renderSarif(shuffled)).toBe(text);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('emits one run per target, each naming it with a distinct category', () => {
    expect(log.runs).toHaveLength(2);
    expect(log.runs.map((run) => run.automationDetails?.id)).toEqual(['mcp-preflight/server-a/', 'mcp-preflight/remote-b/']);
    const single = parse(renderSarif(report({ targets: [goodTarget()] })));
    expect(single.runs[0]?.automationDetails?.id).toBe('mcp-preflight/server-a/');
  });

  it('describes the driver and every enabled rule, fired or not', () => {
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({
      name: 'mcp-preflight',
      semanticVersion: '0.1.0',
      version: '0.1.0',
      informationUri: 'https://github.com/mcp-preflight/mcp-preflight',
    });
    expect(driver.rules?.map((r) => r.id)).toEqual([
      'design/shell-like-tool',
      'repo/missing-security-policy',
      'schema/missing-input-schema',
      'secrets/hardcoded-secret',
    ]);
    const shell = driver.rules![0]!;
    const docUrl = 'https://github.com/mcp-preflight/mcp-preflight/blob/main/docs/rules/design/shell-like-tool.md';
    expect(shell).toMatchObject({
      name: 'ShellLikeTool',
      shortDescription: { text: 'Title of design/shell-like-tool' },
      fullDescription: { text: 'Why design/shell-like-tool matters.' },
      helpUri: docUrl,
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'design', 'external/cwe/cwe-78', 'mcp'], precision: 'high', 'security-severity': '8.1' },
    });
    expect(shell.help?.markdown).toContain(docUrl);
    expect(shell.help?.markdown).toContain('How to fix design/shell-like-tool.');
    expect(shell.help?.markdown).toContain('[MCP specification](https://modelcontextprotocol.io/specification)');
    expect(shell.help?.text).toContain(docUrl);
    // The failed target's run lists the rules too.
    expect(log.runs[1]!.tool.driver.rules).toHaveLength(RULES.length);
  });

  it('keeps rule metadata inside GitHub limits', () => {
    const long = rule('design/long-one', { rationale: 'word '.repeat(400), tags: Array.from({ length: 15 }, (_, i) => `t${i}`) });
    const out = parse(renderSarif(report({ rules: [...RULES, long] })));
    const descriptor = out.runs[0]!.tool.driver.rules!.find((r) => r.id === 'design/long-one')!;
    expect(descriptor.fullDescription!.text.length).toBeLessThanOrEqual(1024);
    expect(descriptor.fullDescription!.text.endsWith('…')).toBe(true);
    expect(descriptor.fullDescription!.text).not.toMatch(/wor…$/);
    expect(descriptor.properties!.tags).toHaveLength(10);
    expect(descriptor.properties!.tags!.slice(0, 2)).toEqual(['design', 't0']);
    assertGithubContract(out);
  });

  it('files only rules tagged security as security alerts; the others get problem.severity', () => {
    const rules = log.runs[0]!.tool.driver.rules!;
    const byId = (id: string) => rules.find((r) => r.id === id)!;
    // schema/missing-input-schema (warning) and repo/missing-security-policy (note) are not tagged security.
    expect(byId('schema/missing-input-schema').properties).toMatchObject({ tags: ['schema', 'mcp'], 'problem.severity': 'warning' });
    expect(byId('schema/missing-input-schema').properties).not.toHaveProperty('security-severity');
    expect(byId('repo/missing-security-policy').properties).toMatchObject({ 'problem.severity': 'recommendation' });
    expect(byId('repo/missing-security-policy').properties!.tags).not.toContain('security');
    expect(byId('secrets/hardcoded-secret').properties).toMatchObject({ tags: ['security', 'secrets', 'owasp-mcp01', 'mcp'], 'security-severity': '7.5' });
    expect(byId('secrets/hardcoded-secret').properties).not.toHaveProperty('problem.severity');
  });

  it('links OWASP MCP Top 10 entries from tags and references, with the taxonomy in every run', () => {
    const owasp = rule('injection/poisoned', {
      tags: ['security', 'owasp-mcp03'],
      references: [{ title: 'OWASP MCP Top 10, MCP05 Command Injection & Execution', url: 'https://owasp.org/www-project-mcp-top-10/' }],
    });
    const out = parse(renderSarif(report({ rules: [...RULES, owasp] })));
    expect(validateSarifSchema(out)).toEqual([]);
    assertGithubContract(out);
    const run = out.runs[0]!;
    expect(run.taxonomies?.map((taxonomy) => taxonomy.name)).toEqual(['OWASP MCP Top 10']);
    const taxa = run.taxonomies![0]!.taxa!;
    expect(taxa.map((taxon) => taxon.id)).toEqual(['MCP01', 'MCP02', 'MCP03', 'MCP04', 'MCP05', 'MCP06', 'MCP07', 'MCP08', 'MCP09', 'MCP10']);
    const descriptor = run.tool.driver.rules!.find((r) => r.id === 'injection/poisoned')!;
    expect(descriptor.properties!.tags).toEqual(['security', 'injection', 'owasp-mcp03', 'owasp-mcp05']);
    expect(descriptor.relationships?.map((relation) => [relation.target.id, relation.target.index, taxa[relation.target.index!]!.id])).toEqual([
      ['MCP03', 2, 'MCP03'],
      ['MCP05', 4, 'MCP05'],
    ]);
    expect(run.tool.driver.rules!.find((r) => r.id === 'schema/missing-input-schema')!.relationships).toBeUndefined();
  });

  it('derives CWE tags from cited CWEs, and the OWASP entry of a pack about one, for security rules only', () => {
    const cwe = { title: 'CWE-306 Missing Authentication for Critical Function', url: 'https://cwe.mitre.org/data/definitions/306.html' };
    const rules = [
      rule('auth/open-door', { tags: ['security'], references: [cwe] }),
      rule('auth/hygiene-note', { tags: ['spec-should'], references: [cwe] }),
      rule('auth/custom-one', { tags: ['security'], references: [], custom: true }),
    ];
    const out = parse(renderSarif(report({ rules: [...RULES, ...rules] })));
    assertGithubContract(out);
    const tagsOf = (id: string) => out.runs[0]!.tool.driver.rules!.find((r) => r.id === id)!.properties!.tags;
    expect(tagsOf('auth/open-door')).toEqual(['security', 'auth', 'external/cwe/cwe-306', 'owasp-mcp07']);
    expect(tagsOf('auth/hygiene-note')).toEqual(['auth', 'external/cwe/cwe-306', 'spec-should']);
    expect(tagsOf('auth/custom-one')).toEqual(['security', 'auth']);
  });

  it('files runs under their stable run name, and under --category when given', () => {
    const [a, b] = report().targets;
    const named = parse(renderSarif(report({ targets: [{ ...a!, category: '@acme/files-server' }, b!] })));
    expect(named.runs.map((run) => run.automationDetails?.id)).toEqual(['mcp-preflight/acme-files-server/', 'mcp-preflight/remote-b/']);
    const single = parse(renderSarif({ ...report({ targets: [a!] }), category: 'mcp/files' }));
    expect(single.runs[0]!.automationDetails?.id).toBe('mcp/files/');
    const several = parse(renderSarif({ ...report(), category: 'mcp' }));
    expect(several.runs.map((run) => run.automationDetails?.id)).toEqual(['mcp/server-a/', 'mcp/remote-b/']);
    assertGithubContract(several);
  });

  it('locates every result: its own source line, else the target anchor', () => {
    const results = resultsOf(log);
    expect(results).toHaveLength(3);
    const [anchoredShell, anchoredSchema, sourced] = results;
    expect(anchoredShell!.ruleId).toBe('design/shell-like-tool');
    expect(anchoredSchema!.ruleId).toBe('schema/missing-input-schema');
    for (const anchored of [anchoredShell!, anchoredSchema!]) {
      expect(anchored.locations![0]!.physicalLocation).toEqual({
        artifactLocation: { uri: '.mcp.json', uriBaseId: '%SRCROOT%' },
        region: { startLine: 4, startColumn: 5, endLine: 4, endColumn: 5 },
      });
    }
    expect(sourced!.locations).toHaveLength(1);
    expect(sourced!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/my%20tools/add.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 7, endLine: 12, endColumn: 30 },
    });
    expect(log.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { description: { text: 'repository root' } } });
    expect(log.runs[0]!.columnKind).toBe('utf16CodeUnits');
    expect(text).not.toContain(ROOT);
  });

  it('points a source finding at its statement and lists the registration as a related location', () => {
    const target = goodTarget();
    target.findings = [
      finding('design/shell-like-tool', {
        capability: { kind: 'tool', name: 'run' },
        evidenceKind: 'source',
        location: { file: `${ROOT}/src/run.ts`, line: 20, column: 3, endLine: 20, endColumn: 40 },
        relatedLocations: [{ location: { file: `${ROOT}/src/server.ts`, line: 8, column: 21 }, message: 'tool "run" is registered here' }],
      }),
    ];
    const sourced = parse(renderSarif(report({ targets: [target] })));
    expect(validateSarifSchema(sourced)).toEqual([]);
    expect(() => assertGithubContract(sourced)).not.toThrow();
    const [result] = resultsOf(sourced);
    expect(result!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('src/run.ts');
    expect(result!.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'src/server.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 8, startColumn: 21, endLine: 8, endColumn: 21 },
        },
        message: { text: 'tool "run" is registered here' },
      },
    ]);
    // A finding with nothing related carries no empty list.
    expect(resultsOf(log).every((other) => other.relatedLocations === undefined)).toBe(true);
  });

  it('carries rule index, level, message, capability and fingerprint on each result', () => {
    const sourced = resultsOf(log)[2]!;
    const rules = log.runs[0]!.tool.driver.rules!;
    expect(rules[sourced.ruleIndex!]!.id).toBe(sourced.ruleId);
    expect(sourced).toMatchObject({
      ruleId: 'secrets/hardcoded-secret',
      level: 'error',
      message: { text: 'Hard-coded secret sk-****abcd in the tool handler.' },
      partialFingerprints: { 'mcpPreflight/v1': 'a'.repeat(64) },
      properties: { capability: { kind: 'tool', name: 'add_numbers' }, field: 'handler', evidence: 'sk-****abcd' },
    });
    expect(sourced.partialFingerprints).not.toHaveProperty('primaryLocationLineHash');
    expect(sourced.locations![0]!.logicalLocations).toEqual([{ name: 'add_numbers', kind: 'function', fullyQualifiedName: 'tool:add_numbers' }]);
  });

  it("gives each result its finding's level, which may differ from the rule's default", () => {
    const target = goodTarget();
    // schema/missing-input-schema defaults to warning here; one finding of it is a note, one a warning.
    target.findings = [
      finding('schema/missing-input-schema', { level: 'note', capability: { kind: 'tool', name: 'get_a' }, fingerprint: 'f-note' }),
      finding('schema/missing-input-schema', { level: 'warning', capability: { kind: 'tool', name: 'delete_a' }, fingerprint: 'f-warning' }),
    ];
    const log = parse(renderSarif(report({ targets: [target] })));
    const levels = resultsOf(log)
      .map((result) => [(result.properties?.capability as { name?: string } | undefined)?.name, result.level])
      .sort();
    expect(levels).toEqual([
      ['delete_a', 'warning'],
      ['get_a', 'note'],
    ]);
    const rule = log.runs[0]!.tool.driver.rules!.find((candidate) => candidate.id === 'schema/missing-input-schema');
    expect(rule?.defaultConfiguration?.level).toBe('warning');
  });

  it('names the server in logical locations and omits an absent capability name', () => {
    const target = goodTarget();
    target.findings = [finding('repo/missing-security-policy', { level: 'note' })];
    const result = resultsOf(parse(renderSarif(report({ targets: [target] }))))[0]!;
    expect(result.properties?.capability).toEqual({ kind: 'server' });
    expect(result.locations![0]!.logicalLocations).toEqual([{ name: 'Server A', kind: 'module', fullyQualifiedName: 'server:Server A' }]);
  });

  it('records a failed target as an unsuccessful invocation with no results', () => {
    const run = log.runs[1]!;
    expect(run.results).toEqual([]);
    expect(run.invocations).toHaveLength(1);
    const invocation = run.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications![0]).toMatchObject({
      level: 'error',
      message: { text: failedTarget().failure!.message },
    });
  });

  it('reports skipped rules as note notifications, never silently', () => {
    const invocation = log.runs[0]!.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'note',
        message: { text: 'rule repo/missing-security-policy skipped: no repo facts' },
        associatedRule: { id: 'repo/missing-security-policy', index: 1 },
      },
    ]);
  });

  it('falls back to the basename for files outside the root and says so', () => {
    const target = goodTarget();
    target.findings = [finding('schema/missing-input-schema', { location: { file: '/opt/elsewhere/lib/x.ts', line: 3, column: 1 } })];
    const out = parse(renderSarif(report({ targets: [target] })));
    const result = resultsOf(out)[0]!;
    expect(result.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('x.ts');
    expect(result.properties?.pathOutsideRoot).toBe(true);
    const notes = out.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    expect(notes.some((n) => n.level === 'warning' && n.message.text!.includes('outside the SARIF root'))).toBe(true);
    expect(JSON.stringify(out)).not.toContain('/opt/elsewhere');
    assertGithubContract(out);
  });

  it('fills a full region when columns and end are unknown or out of range', () => {
    const target = goodTarget();
    target.findings = [
      finding('schema/missing-input-schema', { location: { file: `${ROOT}/a.ts`, line: 0, column: 0 } }),
      finding('schema/missing-input-schema', {
        location: { file: `${ROOT}/b.ts`, line: 5, column: 9, endLine: 7 },
        fingerprint: 'other',
      }),
    ];
    const [first, second] = resultsOf(parse(renderSarif(report({ targets: [target] }))));
    expect(first!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(second!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 5, startColumn: 9, endLine: 7, endColumn: 1 });
  });

  it('keeps the most severe 5,000 results of a run and adds a notification', () => {
    const target = goodTarget();
    target.findings = Array.from({ length: 5003 }, (_, i) =>
      finding('schema/missing-input-schema', {
        level: i < 3 ? 'error' : 'note',
        fingerprint: `fp-${String(i).padStart(5, '0')}`,
        location: { file: `${ROOT}/src/f.ts`, line: 5003 - i, column: 1 },
      }),
    );
    const out = parse(renderSarif(report({ targets: [target] })));
    const results = resultsOf(out);
    expect(results).toHaveLength(5000);
    expect(results.filter((r) => r.level === 'error')).toHaveLength(3);
    const notes = out.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    expect(notes.some((n) => n.level === 'warning' && n.message.text!.startsWith('3 results left out'))).toBe(true);
    expect(validateSarifSchema(out)).toEqual([]);
    assertGithubContract(out);
  });

  it('renders server text that contains the library placeholder', () => {
    const target = goodTarget();
    target.findings = [
      finding('schema/missing-input-schema', { capability: { kind: 'tool', name: 'SARIF_BUILDER_INVALID' }, message: 'SARIF_BUILDER_INVALID' }),
    ];
    const out = parse(renderSarif(report({ targets: [target] })));
    expect(resultsOf(out)[0]!.message.text).toBe('SARIF_BUILDER_INVALID');
  });

  it('refuses more than 20 runs with a clear error', () => {
    const targets = Array.from({ length: 21 }, (_, i) => ({ ...goodTarget(), target: { ...goodTarget().target, name: `s${i}` } }));
    expect(() => renderSarif(report({ targets }))).toThrow(/at most 20 runs/);
  });

  it('refuses a finding whose rule is not listed', () => {
    const target = goodTarget();
    target.findings = [finding('design/unknown-rule')];
    expect(() => renderSarif(report({ targets: [target] }))).toThrow(/design\/unknown-rule/);
  });

  it('emits an empty, successful run for a clean target', () => {
    const target = goodTarget();
    target.findings = [];
    target.outcomes = [];
    const out = parse(renderSarif(report({ targets: [target] })));
    expect(out.runs[0]!.results).toEqual([]);
    expect(out.runs[0]!.invocations).toEqual([{ executionSuccessful: true }]);
    expect(validateSarifSchema(out)).toEqual([]);
    assertGithubContract(out);
  });
});

describe('automationIds', () => {
  it('slugs target names and keeps colliding slugs distinct', () => {
    expect(automationIds(['Server A', 'server-a', 'Café Prod!', '***'])).toEqual([
      'mcp-preflight/server-a/',
      'mcp-preflight/server-a-2/',
      'mcp-preflight/cafe-prod/',
      'mcp-preflight/target-4/',
    ]);
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair and stays within the limit', () => {
    const cut = truncate(`${'a'.repeat(8)}😀😀`, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
    expect(truncate('short', 10)).toBe('short');
  });
});

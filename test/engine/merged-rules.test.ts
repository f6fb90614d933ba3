import { describe, expect, it } from 'vitest';
import { parseRuleLevels } from '../../src/cli/rule-flags.js';
import { checkRuleIds, ConfigError, parseConfig } from '../../src/config/load.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { loadBuiltinRules, type PackRule } from '../../src/engine/packs.js';
import { MERGED_RULE_IDS } from '../../src/engine/rule-aliases.js';
import { findRule, runRules } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import { assessRisk } from '../../src/inventory/risk.js';
import type { Inventory } from '../../src/inventory/model.js';
import type { CodeSite, SourceFacts } from '../../src/source/types.js';
import { applySuppressions } from '../../src/suppress/apply.js';
import { inventory, tool } from '../helpers/inventory.js';

// One rule per concern (issue 13): the merged rules judge whichever evidence was collected, say
// which in `evidenceKind`, judge source sites with the words in their options, and old ids are
// refused with the new id named.

const rules = loadBuiltinRules();
const rule = (id: string): PackRule => rules.find((candidate) => candidate.id === id)!;
const withOptions = (id: string, options: Record<string, unknown>): PackRule => ({ ...rule(id), options: { ...rule(id).options, ...options } });

const ROOT = '/project';
function site(kind: CodeSite['kind'], what: string, line: number, detail: CodeSite['detail'] = {}): CodeSite {
  return { kind, what, detail, location: { file: `${ROOT}/src/server.ts`, line, column: 1 } };
}
function withSource(sites: CodeSite[], base: Partial<Inventory> = {}): Inventory {
  const source: SourceFacts = { root: ROOT, files: 1, callDepth: 3, registrations: [], sites, dependencies: [], durationMs: 1 };
  return inventory({ ...base, facts: [...(base.facts ?? ['live']), 'source'], source });
}
const shape = (finding: Finding) => `${finding.messageId} ${finding.evidenceKind}`;

describe('merged rules', () => {
  it('no rule id ends in -in-source or -probed, and every old id names a rule that exists', () => {
    expect(rules.map((candidate) => candidate.id).filter((id) => /-(in-source|probed)$/.test(id))).toEqual([]);
    for (const entry of MERGED_RULE_IDS) {
      expect(
        rules.some((candidate) => candidate.id === entry.into),
        entry.old,
      ).toBe(true);
      expect(rule(entry.into).facts, entry.into).toContain(entry.evidence);
      expect(rule(entry.into).factsMatch, entry.into).toBe('any');
    }
  });

  it('judges the listing and the source in one rule, and each finding says which evidence it rests on', () => {
    const spawn = site('process-spawn', 'child_process.exec', 12, { dynamicCommand: true, shell: true });
    const inv = withSource([spawn], { tools: [tool('run_command')] });
    inv.source!.registrations.push({
      kind: 'tool',
      name: 'run_command',
      location: { file: `${ROOT}/src/server.ts`, line: 10, column: 1 },
      handler: { reaches: [spawn] },
    } as never);
    const run = runRules(inv, [rule('design/shell-like-tool')], { targetId: 't' });
    expect(run.findings.map(shape).sort()).toEqual(['shellCommand source', 'shellName live']);
  });

  it('keeps the fingerprint of the evidence the surviving id always judged, and adds the kind for taken-over evidence', () => {
    const spawn = site('process-spawn', 'child_process.exec', 12, { dynamicCommand: true });
    const inv = withSource([spawn], { tools: [tool('run_command')] });
    inv.source!.registrations.push({
      kind: 'tool',
      name: 'run_command',
      location: { file: `${ROOT}/src/server.ts`, line: 10, column: 1 },
      handler: { reaches: [spawn] },
    } as never);
    const run = runRules(inv, [rule('design/shell-like-tool')], { targetId: 't' });
    const live = run.findings.find((finding) => finding.evidenceKind === 'live')!;
    const source = run.findings.find((finding) => finding.evidenceKind === 'source')!;
    const parts = (finding: Finding) => ({
      ruleId: finding.ruleId,
      targetId: 't',
      capability: finding.capability,
      field: finding.field,
      evidence: finding.evidence,
    });
    expect(live.fingerprint).toBe(fingerprint(parts(live)));
    expect(source.fingerprint).toBe(fingerprint({ ...parts(source), evidenceKind: 'source' }));
    expect(source.fingerprint).not.toBe(fingerprint(parts(source)));
  });

  it('runs on source alone when no HTTP probe ran, and is skipped (not passed) with neither', () => {
    const sourceOnly = withSource([site('cors', 'cors', 5, { origin: '*', defaulted: true })], { facts: [] });
    const run = runRules(sourceOnly, [rule('transport/permissive-cors')], { targetId: 't' });
    expect(run.findings.map(shape)).toEqual(['anyOrigin source']);
    const neither = runRules(inventory(), [rule('transport/permissive-cors')], { targetId: 't' });
    expect(neither.outcomes).toEqual([
      { ruleId: 'transport/permissive-cors', status: 'skipped', reason: expect.stringMatching(/^needs http or source facts/) },
    ]);
  });

  it('transport/permissive-cors judges the collected origin with its permissiveOrigins option', () => {
    const sites = [
      site('cors', 'cors', 5, { origin: '*', defaulted: true }),
      site('cors', 'origin', 6, { origin: 'https://app.example' }),
      site('cors', 'res.setHeader', 7, { origin: 'dynamic', code: 'req.headers.origin' }),
    ];
    const judged = (candidate: PackRule) =>
      runRules(withSource(sites), [candidate], { targetId: 't' }).findings.map((finding) => `${finding.messageId} ${finding.location?.line}`);
    expect(judged(rule('transport/permissive-cors'))).toEqual(['anyOrigin 5', 'reflectedInSource 7']);
    expect(judged(withOptions('transport/permissive-cors', { permissiveOrigins: ['https://app.example'] }))).toEqual(['anyOrigin 6', 'reflectedInSource 7']);
    expect(judged(withOptions('transport/permissive-cors', { originReads: ['x-forwarded-origin'] }))).toEqual(['anyOrigin 5']);
  });

  it('auth/weak-session-id judges the generator code with its weak and strong words', () => {
    const sites = [
      site('session-id-generator', 'sessionIdGenerator', 3, { code: '() => String(++counter)', generator: '() => String(++counter)' }),
      site('session-id-generator', 'sessionIdGenerator', 4, { code: '() => randomUUID()', generator: '() => randomUUID()' }),
    ];
    const judged = (candidate: PackRule) =>
      runRules(withSource(sites), [candidate], { targetId: 't' }).findings.map((finding) => `${finding.messageId} ${finding.location?.line}`);
    expect(judged(rule('auth/weak-session-id'))).toEqual(['weakGenerator 3']);
    expect(judged(withOptions('auth/weak-session-id', { weakGenerators: ['randomUUID'], strongGenerators: ['counter'] }))).toEqual(['weakGenerator 4']);
  });

  it('auth/unauthenticated-http takes its authentication packages from its options', () => {
    const inv = withSource([site('http-transport', 'StreamableHTTPServerTransport', 9)]);
    inv.source!.dependencies.push('my-auth');
    expect(runRules(inv, [rule('auth/unauthenticated-http')], { targetId: 't' }).findings.map(shape)).toEqual(['noAuth source']);
    expect(runRules(inv, [withOptions('auth/unauthenticated-http', { authPackages: ['my-auth'] })], { targetId: 't' }).findings).toEqual([]);
  });

  it('secrets/secret-logged judges what a log call reads with its secretNames', () => {
    const sites = [
      site('log-call', 'logger.info', 2, { reads: 'identifier user\nproperty config.apiKey apiKey' }),
      site('log-call', 'logger.info', 3, { reads: 'property token.length length' }),
      site('log-call', 'console.error', 4, { reads: 'env' }),
    ];
    const judged = (candidate: PackRule) =>
      runRules(withSource(sites), [candidate], { targetId: 't' })
        .findings.map((finding) => `${finding.location?.line} ${finding.data.secret}`)
        .sort();
    expect(judged(rule('secrets/secret-logged'))).toEqual(['2 config.apiKey', '4 process.env']);
    expect(judged(withOptions('secrets/secret-logged', { secretNames: ['user'] }))).toEqual(['2 user', '4 process.env']);
  });

  it('auth/token-in-query judges query-string reads with its tokenParameters', () => {
    const sites = [
      site('query-read', 'url.searchParams.get', 2, { parameter: 'page' }),
      site('query-read', 'url.searchParams.get', 3, { parameter: 'access_token' }),
    ];
    const judged = (candidate: PackRule) =>
      runRules(withSource(sites), [candidate], { targetId: 't' }).findings.map((finding) => `${finding.location?.line} ${finding.evidence}`);
    // The evidence's ordinal counts credential reads only (line-free fingerprints as before).
    expect(judged(rule('auth/token-in-query'))).toEqual(['3 url.searchParams.get']);
    expect(judged(withOptions('auth/token-in-query', { tokenParameters: ['page', 'access_token'] }))).toEqual([
      '2 url.searchParams.get',
      '3 url.searchParams.get#2',
    ]);
  });

  it('the risk classes read the design pack’s command parameters: argv and bash_command rank exec', () => {
    const schema = (name: string) => ({ type: 'object', properties: { [name]: { type: 'string' } }, additionalProperties: false });
    for (const name of ['argv', 'bash_command']) {
      const candidate = tool('do_thing', { inputSchema: schema(name) });
      const inv = inventory({ tools: [candidate] });
      expect(assessRisk(candidate, inv).class, name).toBe('exec');
      expect(
        runRules(inv, [rule('design/shell-like-tool')], { targetId: 't' }).findings.map((finding) => finding.messageId),
        name,
      ).toEqual(['commandParameter']);
    }
  });
});

describe('old rule ids', () => {
  it('are refused in the config with the new id named, on their line', () => {
    const config = parseConfig('rules:\n  design/shell-like-tool-in-source: off\n', '/tmp/old-id.yaml');
    expect(() => checkRuleIds(config, rules)).toThrow(ConfigError);
    expect(() => checkRuleIds(config, rules)).toThrow(
      /old-id\.yaml:2:3: rule id "design\/shell-like-tool-in-source" in "rules": design\/shell-like-tool-in-source was merged into design\/shell-like-tool/,
    );
  });

  it('are refused by --rule with the new id named', () => {
    expect(() => parseRuleLevels(['design/raw-sql-tool-in-source=off'], rules)).toThrow(
      '--rule design/raw-sql-tool-in-source=off: design/raw-sql-tool-in-source was merged into design/raw-sql-tool; use the new id',
    );
  });

  it('are refused by explain with the new id named', () => {
    expect(() => findRule(rules, 'output/unbounded-output-probed')).toThrow('output/unbounded-output-probed was merged into output/unbounded-output');
  });

  it('make a suppression an unknown-rule problem that names the new id', () => {
    const suppression = {
      kind: 'config' as const,
      rules: ['transport/permissive-cors-in-source'],
      reason: 'dev only',
      scope: { form: 'config' as const },
      at: { file: '/p/mcp-preflight.yaml', line: 3, column: 5 },
      text: 'suppress transport/permissive-cors-in-source',
    };
    const results = [{ target: inventory().target, inventory: inventory(), findings: [], outcomes: [] }];
    const problems = applySuppressions(results as never, {
      inline: new Map(),
      config: [suppression as never],
      knownRuleIds: rules.map((candidate) => candidate.id),
      today: '2026-01-01',
    });
    expect(problems.get('test-server')).toEqual([
      expect.objectContaining({ problem: 'unknown-rule', rule: 'transport/permissive-cors-in-source', suggestion: 'transport/permissive-cors', merged: true }),
    ]);
    const facts = { count: 1, problems: problems.get('test-server')! };
    const run = runRules(inventory({ facts: ['suppress'], suppressions: facts } as never), [rule('suppression/unknown-rule')], { targetId: 't' });
    expect(run.findings.map((finding) => finding.message)).toEqual([expect.stringContaining('which was merged into "transport/permissive-cors"')]);
  });
});

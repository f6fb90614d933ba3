import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinRules, type PackRule } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import { sourceOnlyInventory } from '../../src/source/index.js';
import { repoRoot } from '../helpers/fixtures.js';

const projects = resolve(repoRoot, 'fixtures', 'projects');
// Rules that judge source alone, or source among other evidence (`factsMatch: any`).
const sourceRules = (): PackRule[] =>
  loadBuiltinRules().filter((rule) => (rule.facts.length === 1 && rule.facts[0] === 'source') || (rule.factsMatch === 'any' && rule.facts.includes('source')));

async function findingsFor(project: string): Promise<Finding[]> {
  const inventory = await sourceOnlyInventory(join(projects, project));
  return runRules(inventory, sourceRules(), { targetId: project }).findings;
}

/** `// BAD: <rule name>` markers: file, line and the rule's short name. */
function markers(project: string): Array<{ file: string; line: number; rule: string }> {
  const directory = join(projects, project, 'src');
  return readdirSync(directory).flatMap((name) =>
    readFileSync(join(directory, name), 'utf8')
      .split('\n')
      .flatMap((text, index) => [...text.matchAll(/BAD: ([a-z-]+)/g)].map((match) => ({ file: join(directory, name), line: index + 1, rule: match[1]! }))),
  );
}

const REGISTRATION_LEVEL = ['runtime/no-handler-timeout', 'runtime/no-concurrency-guard', 'auth/missing-per-call-authorization', 'output/external-content-unmarked'];

describe('source rules on fixture projects (source-only inventory)', () => {
  let bad: Finding[];
  let noAuth: Finding[];
  let good: Finding[];
  beforeAll(async () => {
    [bad, noAuth, good] = await Promise.all([findingsFor('rules-bad'), findingsFor('rules-bad-noauth'), findingsFor('rules-good')]);
  });

  it('every source rule catches its bad fixture', () => {
    const caught = new Set([...bad, ...noAuth].map((finding) => finding.ruleId));
    expect(sourceRules().map((rule) => rule.id).filter((id) => !caught.has(id))).toEqual([]);
  });

  it('each planted problem is reported on its line by its rule', () => {
    const all = [...bad, ...noAuth];
    const planted = [...markers('rules-bad'), ...markers('rules-bad-noauth')];
    expect(planted.length).toBeGreaterThan(15);
    for (const marker of planted) {
      const hit = all.find((finding) => finding.ruleId.endsWith(`/${marker.rule}`) && finding.location?.file === marker.file && finding.location.line === marker.line);
      expect(hit === undefined ? `${marker.rule} missing at ${marker.file}:${marker.line}` : 'found').toBe('found');
    }
  });

  it('registration-level rules point at the registering line of their tool', () => {
    const server = join(projects, 'rules-bad', 'src', 'server.ts');
    const text = readFileSync(server, 'utf8').split('\n');
    for (const finding of bad.filter((f) => REGISTRATION_LEVEL.includes(f.ruleId) && f.ruleId !== 'output/external-content-unmarked')) {
      expect(text[finding.location!.line - 1]).toContain(`'${finding.capability.name}'`);
    }
  });

  it('passes the project where every mitigation is in place', () => {
    expect(good.map((finding) => `${finding.ruleId} ${finding.message}`)).toEqual([]);
  });

  it('judges the source-only inventory with the capability rules too (origin: source)', async () => {
    const inventory = await sourceOnlyInventory(join(projects, 'rules-bad'));
    expect(inventory.target.kind).toBe('source');
    expect(inventory.facts).toEqual(['source']);
    expect(inventory.tools.map((tool) => tool.name).sort()).toEqual(['calc', 'env', 'fetch_page', 'query', 'read_file', 'run']);
    expect(inventory.tools.every((tool) => tool.origin.source !== undefined && tool.origin.live === undefined)).toBe(true);
    const run = runRules(inventory, loadBuiltinRules().filter((rule) => rule.id === 'design/shell-like-tool'), { targetId: 'x' });
    // The listing built from source (tool "run" takes a command) and the handler's `exec` call, both source evidence.
    expect(run.outcomes).toEqual([{ ruleId: 'design/shell-like-tool', status: 'ran', findings: 2 }]);
    expect(run.findings.map((finding) => `${finding.messageId} ${finding.evidenceKind}`).sort()).toEqual(['commandParameter source', 'shellCommand source']);
    const listed = run.findings.find((finding) => finding.messageId === 'commandParameter')!;
    expect(listed.location?.line).toBe(readFileSync(join(projects, 'rules-bad/src/server.ts'), 'utf8').split('\n').findIndex((line) => line.includes("'run'")) + 1);
  });
});

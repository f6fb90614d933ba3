import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../src/engine/packs.js';
import { runRules } from '../src/engine/run.js';
import type { RuleMeta } from '../src/engine/types.js';
import {
  evaluateCorpus,
  judgementCoverage,
  liveRules,
  loadCorpus,
  scopeOf,
  serverKey,
} from './corpus/corpus.mjs';

interface KnownFalsePositive {
  rule: string;
  server: string;
  capability: string;
}

// The precision corpus (test/corpus/): discovery dumps of real MCP servers from npm and a human
// judgement of each capability. Every built-in live rule runs over every dump; an error or warning
// on a capability judged clean (or judged for other rules only) is a false positive and fails here,
// unless judgements.yaml lists it under knownFalsePositives. Figures: `npm run corpus:figures`.

const corpus = loadCorpus();
const builtin = loadBuiltinRules();
const rules: RuleMeta[] = liveRules(builtin);
// One pass of every rule over every dump, shared by the assertions below. It takes seconds alone and
// far longer on a loaded machine: the hook's limit only guards against a hang (CPU time is not under test).
let evaluated: ReturnType<typeof evaluateCorpus> | undefined;
const results = (): ReturnType<typeof evaluateCorpus> => (evaluated ??= evaluateCorpus(corpus, rules, runRules));
const EVALUATION_HANG_GUARD_MS = 15 * 60_000;

describe('precision corpus', () => {
  beforeAll(() => {
    results();
  }, EVALUATION_HANG_GUARD_MS);

  it('holds at least 25 servers from at least 15 npm scopes or authors', () => {
    expect(corpus.dumps.length).toBeGreaterThanOrEqual(25);
    expect(new Set(corpus.dumps.map((dump) => scopeOf(dump.package))).size).toBeGreaterThanOrEqual(15);
    for (const dump of corpus.dumps) {
      expect(dump.file).toBe(`${dump.package.replace('/', '__')}@${dump.version}.json`);
      expect(dump.inventory.facts).toContain('live');
      // Dumps are data from public packages: no machine paths of whoever collected them.
      expect(JSON.stringify(dump)).not.toMatch(/\/tmp\/corpus|\/root\//);
    }
  });

  it('judges every capability of every dump, and nothing else', () => {
    const { missing, stale } = judgementCoverage(corpus);
    expect(missing, 'capabilities without a judgement').toEqual([]);
    expect(stale, 'judgements naming nothing in the dumps').toEqual([]);
  });

  it('runs live rules only: every built-in rule that can judge live facts alone, and no other', () => {
    const live = new Set(rules.map((rule) => rule.id));
    for (const rule of builtin) {
      const liveOnly = rule.facts.includes('live') && (rule.factsMatch === 'any' || rule.facts.every((fact) => fact === 'live'));
      expect(live.has(rule.id), `${rule.id} (facts: ${rule.facts.join(', ')})`).toBe(liveOnly);
    }
    // Both sides exist: the filter is not "all" or "none".
    expect(live.size).toBeGreaterThan(0);
    expect(builtin.length).toBeGreaterThan(live.size);
    const ran = [...new Set(results().map((result) => result.ruleId))];
    expect(ran.filter((id) => !live.has(id)), 'findings of rules that are not live-only').toEqual([]);
  });

  it('raises no error or warning on a capability judged clean', () => {
    const failures = results()
      .filter((result) => (result.verdict === 'falsePositive' && !result.known) || result.verdict === 'unjudged')
      .map((result) => `${result.ruleId} [${result.level}] ${result.server} ${result.capability} (${result.verdict}): ${result.message}`);
    expect(failures).toEqual([]);
  });

  it('lists no stale known false positive', () => {
    const stale = corpus.knownFalsePositives
      .filter((entry: KnownFalsePositive) => !results().some((result) => result.known && result.ruleId === entry.rule && result.server === entry.server && result.capability === entry.capability))
      .map((entry: KnownFalsePositive) => `${entry.rule} ${entry.server} ${entry.capability}`);
    expect(stale, 'knownFalsePositives entries the rules no longer raise').toEqual([]);
  });

  it('keys every dump by package and version', () => {
    expect(new Set(corpus.dumps.map(serverKey)).size).toBe(corpus.dumps.length);
  });
});

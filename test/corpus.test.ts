import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../src/engine/packs.js';
import { runRules } from '../src/engine/run.js';
import type { RuleMeta } from '../src/engine/types.js';
import {
  CATEGORIES,
  CORPUS_DIR,
  belowFloors,
  capabilityKeys,
  corpusFigures,
  evaluateCorpus,
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

// The corpus (test/corpus/): discovery dumps of real MCP servers from npm and a security reviewer's
// judgement of each capability (judgements/<dump>.yaml). Every built-in live rule runs over every
// dump; an error or warning on a capability whose judgement does not list the rule is a false
// positive and fails here, unless the judgement file lists it under knownFalsePositives. Recall of
// the reviewer's problems and precision per rule and category must stay at or above the committed
// floors (corpus/floors.json). Figures: `npm run corpus:figures`; floors: `-- --write-floors`.

const corpus = loadCorpus();
const floors = JSON.parse(readFileSync(join(CORPUS_DIR, 'floors.json'), 'utf8'));
const builtin = loadBuiltinRules();
const rules: RuleMeta[] = liveRules(builtin);
// One pass of every rule over every dump, shared by the assertions below. It takes seconds alone and
// far longer on a loaded machine: the hook's limit only guards against a hang (CPU time is not under test).
let evaluated: ReturnType<typeof evaluateCorpus> | undefined;
const results = (): ReturnType<typeof evaluateCorpus> => (evaluated ??= evaluateCorpus(corpus, rules, runRules));
const EVALUATION_HANG_GUARD_MS = 15 * 60_000;

describe('corpus', () => {
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

  it('judges every capability of every dump (loadCorpus throws otherwise) with at least one reviewer problem somewhere', () => {
    // Distinct keys: a server may list two capabilities of one kind under one name (mcp-server-filesystem@0.6.2
    // has two resource templates named "File Resource"); one judgement then covers both.
    for (const dump of corpus.dumps) expect(corpus.judgements.get(serverKey(dump))?.size, serverKey(dump)).toBe(new Set(capabilityKeys(dump.inventory)).size);
    const problems = [...corpus.judgements.values()].flatMap((judged) => [...judged.values()].flatMap((judgement) => judgement.problems));
    expect(problems.length).toBeGreaterThan(0);
  });

  it('maps every live rule to a category, and only built-in rules', () => {
    const mapped = new Set([...corpus.categories.values()].flat());
    expect([...corpus.categories.keys()].sort()).toEqual([...CATEGORIES].sort());
    expect(
      rules.filter((rule) => !mapped.has(rule.id)).map((rule) => rule.id),
      'live rules in no category of categories.yaml',
    ).toEqual([]);
    const known = new Set(builtin.map((rule) => rule.id));
    expect(
      [...mapped].filter((id) => !known.has(id)),
      'categories.yaml rule ids that are no built-in rule',
    ).toEqual([]);
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
    expect(
      ran.filter((id) => !live.has(id)),
      'findings of rules that are not live-only',
    ).toEqual([]);
  });

  it('raises no error or warning on a capability whose judgement does not list the rule (must-not-flag included)', () => {
    const failures = results()
      .filter((result) => (result.verdict === 'falsePositive' && !result.known) || result.verdict === 'unjudged')
      .map(
        (result) =>
          `${result.ruleId} [${result.level}] ${result.server} ${result.capability} (${result.mustNotFlag ? 'mustNotFlag' : result.verdict}): ${result.message}`,
      );
    expect(failures).toEqual([]);
  });

  it('keeps recall and precision at or above the committed floors (test/corpus/floors.json)', () => {
    const figures = corpusFigures(corpus, results());
    expect(belowFloors(figures, floors), 'figures below their floor: fix the regression, or lower the floor in a commit that says why').toEqual([]);
    expect(figures.mustNotFlag.flaggedUnknown).toBe(0);
  });

  it('lists no stale known false positive', () => {
    const stale = corpus.knownFalsePositives
      .filter(
        (entry: KnownFalsePositive) =>
          !results().some((result) => result.known && result.ruleId === entry.rule && result.server === entry.server && result.capability === entry.capability),
      )
      .map((entry: KnownFalsePositive) => `${entry.rule} ${entry.server} ${entry.capability}`);
    expect(stale, 'knownFalsePositives entries the rules no longer raise').toEqual([]);
  });

  it('keys every dump by package and version', () => {
    expect(new Set(corpus.dumps.map(serverKey)).size).toBe(corpus.dumps.length);
  });
});

describe('corpus validation', () => {
  // A copy of the corpus reduced to one dump, with its judgement file replaced per case.
  const DUMP = 'mcp-hello-world@1.1.2';
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'corpus-validation-'));
    mkdirSync(join(dir, 'servers'));
    mkdirSync(join(dir, 'judgements'));
    cpSync(join(CORPUS_DIR, 'servers', `${DUMP}.json`), join(dir, 'servers', `${DUMP}.json`));
    cpSync(join(CORPUS_DIR, 'categories.yaml'), join(dir, 'categories.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const REST = [
    '  tool echo: clean',
    '  tool add: clean',
    '  resource hello: clean',
    '  resourceTemplate greeting: clean',
    '  prompt helpful-assistant: clean',
  ];
  const load = (debug: string[], extra: string[] = REST): (() => unknown) => {
    writeFileSync(
      join(dir, 'judgements', `${DUMP}.yaml`),
      ['server: mcp-hello-world@1.1.2', 'capabilities:', '  server: clean', ...debug, ...extra, ''].join('\n'),
    );
    return () => loadCorpus(dir);
  };
  const problem = (category: string, level: string): string[] => [
    '  tool debug:',
    '    problems:',
    `      - {category: ${category}, level: ${level}, why: "accepts any field"}`,
  ];

  it('loads a well-formed file: problems, rules, mustNotFlag', () => {
    const corpusCopy = load(
      [...problem('schema-loose', 'warning'), '    rules: [schema/open-input-schema]'],
      ['  tool echo:', '    mustNotFlag: "closed schema, one string"', ...REST.slice(1)],
    )() as ReturnType<typeof loadCorpus>;
    const judged = corpusCopy.judgements.get('mcp-hello-world@1.1.2');
    expect(judged?.get('tool debug')?.problems).toEqual([{ category: 'schema-loose', level: 'warning', why: 'accepts any field' }]);
    expect(judged?.get('tool echo')?.mustNotFlag).toBe('closed schema, one string');
  });

  it('rejects an unknown category', () => {
    expect(load(problem('too-loose', 'warning'))).toThrow(/tool debug problem 1: unknown category "too-loose"/);
  });

  it('rejects a bad level', () => {
    expect(load(problem('schema-loose', 'high'))).toThrow(/tool debug problem 1: bad level "high"/);
  });

  it('rejects a capability the dump does not have', () => {
    expect(load(['  tool debug: clean', '  tool nonexistent: clean'])).toThrow(/tool nonexistent: unknown capability/);
  });

  it('rejects a dump capability left unjudged', () => {
    expect(load([])).toThrow(/tool debug: not judged/);
  });

  it('rejects a rule that serves none of the problem categories, and rules with mustNotFlag', () => {
    expect(load([...problem('path-traversal', 'warning'), '    rules: [schema/open-input-schema]'])).toThrow(
      /rule schema\/open-input-schema finds schema-loose, none of this capability's problem categories \(path-traversal\)/,
    );
    expect(load(['  tool debug:', '    mustNotFlag: "fine"', '    rules: [schema/open-input-schema]'])).toThrow(/mustNotFlag cannot list rules/);
  });

  it('rejects a judgement file without a dump', () => {
    load(['  tool debug: clean']);
    writeFileSync(join(dir, 'judgements', 'ghost@1.0.0.yaml'), 'server: ghost@1.0.0\n');
    try {
      expect(() => loadCorpus(dir)).toThrow(/judgements\/ghost@1\.0\.0\.yaml: no dump/);
    } finally {
      rmSync(join(dir, 'judgements', 'ghost@1.0.0.yaml'));
    }
  });
});

interface Bucket {
  found: number;
  total: number;
  recall: number | null;
}
interface Figures {
  recall: { overall: Record<'errorWarning' | 'note', Bucket>; categories: Record<string, Record<'errorWarning' | 'note', Bucket>> };
  precision: { rules: Record<string, { precision: number | null }>; categories: Record<string, { precision: number | null }> };
  mustNotFlag: { judgements: number; flagged: number; flaggedUnknown: number; rate: number | null };
}

describe('corpus figures', () => {
  // A hand-made corpus: one server, two capabilities, findings given directly.
  const categories = new Map([
    ['path-traversal', ['design/unrestricted-path']],
    ['annotation-missing-readonly', ['annotations/missing-annotations']],
  ]);
  const judged = new Map([
    [
      'tool read',
      {
        clean: false,
        rules: ['design/unrestricted-path'],
        problems: [
          { category: 'path-traversal', level: 'warning', why: 'any path' },
          { category: 'annotation-missing-readonly', level: 'note', why: 'no readOnlyHint' },
        ],
      },
    ],
    ['tool confined', { clean: false, rules: [], problems: [], mustNotFlag: 'confined at run time' }],
  ]);
  const fake = { categories, judgements: new Map([['s@1', judged]]) } as unknown as ReturnType<typeof loadCorpus>;
  const figuresOf = (results: ReturnType<typeof result>[]): Figures => corpusFigures(fake, results) as unknown as Figures;
  const result = (capability: string, ruleId: string, level: string, verdict: string, extra: Record<string, boolean> = {}) => ({
    server: 's@1',
    capability,
    ruleId,
    level,
    message: '',
    verdict,
    known: false,
    mustNotFlag: false,
    ...extra,
  });

  it('finds an error/warning problem only with an error/warning finding of a rule serving its category; a note problem at any level', () => {
    const noteOnly = figuresOf([
      result('tool read', 'design/unrestricted-path', 'note', 'note'),
      result('tool read', 'annotations/missing-annotations', 'note', 'note'),
    ]);
    expect(noteOnly.recall.overall.errorWarning).toMatchObject({ found: 0, total: 1 });
    expect(noteOnly.recall.overall.note).toMatchObject({ found: 1, total: 1 });
    const warning = figuresOf([result('tool read', 'design/unrestricted-path', 'warning', 'expected')]);
    expect(warning.recall.categories['path-traversal']?.errorWarning.recall).toBe(1);
    expect(warning.recall.overall.note.recall).toBe(0);
    // A finding on another capability finds nothing here.
    const elsewhere = figuresOf([result('tool confined', 'design/unrestricted-path', 'warning', 'falsePositive', { mustNotFlag: true, known: true })]);
    expect(elsewhere.recall.overall.errorWarning.found).toBe(0);
    expect(elsewhere.mustNotFlag).toMatchObject({ judgements: 1, flagged: 1, flaggedUnknown: 0, rate: 1 });
    expect(elsewhere.precision.rules['design/unrestricted-path']?.precision).toBe(0);
    expect(elsewhere.precision.categories['path-traversal']?.precision).toBe(0);
  });

  it('reports every figure below its floor, and none at or above it', () => {
    const figures = figuresOf([
      result('tool read', 'design/unrestricted-path', 'warning', 'expected'),
      result('tool confined', 'design/unrestricted-path', 'warning', 'falsePositive'),
    ]);
    expect(belowFloors(figures, { recall: { overall: { errorWarning: 1, note: 0 } }, precision: { rules: { 'design/unrestricted-path': 0.5 } } })).toEqual([]);
    expect(
      belowFloors(figures, {
        recall: { overall: { errorWarning: 1, note: 0.5 } },
        precision: { rules: { 'design/unrestricted-path': 0.6 }, categories: { 'path-traversal': 0.6 } },
      }),
    ).toEqual([
      'recall overall note: 0.000 < floor 0.5',
      'precision design/unrestricted-path: 0.500 < floor 0.6',
      'precision path-traversal: 0.500 < floor 0.6',
    ]);
  });
});

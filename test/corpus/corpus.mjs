// The corpus: discovery dumps of real MCP servers published on npm (servers/*.json) and a security
// reviewer's judgement of every capability in them (judgements/<dump>.yaml, one file per dump; format
// in README.md). Plain JavaScript so that both the vitest suite (test/corpus.test.ts, over src/) and
// scripts/corpus-figures.mjs (over dist/) share one reading of the data. No network, no install:
// everything here reads files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));
/** Finding levels a judgement is about; notes are hygiene. */
export const JUDGED_LEVELS = new Set(['error', 'warning']);
/** Levels a reviewer gives a problem. */
export const PROBLEM_LEVELS = new Set(['error', 'warning', 'note']);
/** The reviewer's categories of problems, in the order the figures list them. */
export const CATEGORIES = [
  'over-broad',
  'schema-missing',
  'schema-loose',
  'annotation-missing-destructive',
  'annotation-missing-readonly',
  'prompt-injection-text',
  'secret-exposure',
  'auth-missing',
  'transport',
  'output-unbounded',
  'ownership',
  'kill-switch',
  'path-traversal',
  'other',
];
const KINDS = new Set(['server', 'tool', 'resource', 'resourceTemplate', 'prompt']);
const JUDGEMENT_FIELDS = new Set(['problems', 'rules', 'reason', 'mustNotFlag']);
const PROBLEM_FIELDS = new Set(['category', 'level', 'why']);
const FILE_FIELDS = new Set(['server', 'capabilities', 'knownFalsePositives']);

/** `tool read_file`, `resource Kubernetes Pods`, `server`: how a judgement file names a capability. */
export function capabilityKey(ref) {
  return ref.name === undefined || ref.kind === 'server' ? ref.kind : `${ref.kind} ${ref.name}`;
}

/** `<package>@<version>`, the `server:` of a judgement file. */
export function serverKey(dump) {
  return `${dump.package}@${dump.version}`;
}

/** Every capability of an inventory, server first, as judgement keys. */
export function capabilityKeys(inventory) {
  return [
    'server',
    ...inventory.tools.map((item) => `tool ${item.name}`),
    ...inventory.resources.map((item) => `resource ${item.name}`),
    ...inventory.resourceTemplates.map((item) => `resourceTemplate ${item.name}`),
    ...inventory.prompts.map((item) => `prompt ${item.name}`),
  ];
}

/** The npm scope, or the package name for an unscoped package: a stand-in for "author". */
export function scopeOf(packageName) {
  return packageName.startsWith('@') ? packageName.split('/')[0] : packageName;
}

const isText = (value) => typeof value === 'string' && value.trim() !== '' && !value.includes('\n');

/** categories.yaml: every category, each a list of rule ids. Returns Map category -> rule ids. */
function readCategories(dir, errors) {
  const where = 'categories.yaml';
  let data;
  try {
    data = parse(readFileSync(join(dir, where), 'utf8'));
  } catch (error) {
    errors.push(`${where}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return new Map();
  }
  const categories = new Map();
  for (const [category, rules] of Object.entries(data ?? {})) {
    if (!CATEGORIES.includes(category)) {
      errors.push(`${where}: unknown category "${category}" (one of: ${CATEGORIES.join(', ')})`);
      continue;
    }
    if (!Array.isArray(rules) || !rules.every((rule) => typeof rule === 'string')) {
      errors.push(`${where}: ${category} must be a list of rule ids ([] when no rule finds it)`);
      continue;
    }
    categories.set(category, rules);
  }
  for (const category of CATEGORIES)
    if (!categories.has(category) && data?.[category] === undefined) errors.push(`${where}: category "${category}" is missing (use [] when no rule finds it)`);
  return categories;
}

/** Map rule id -> Set of the categories it serves. */
export function categoriesByRule(categories) {
  const byRule = new Map();
  for (const [category, rules] of categories) {
    for (const rule of rules) {
      if (!byRule.has(rule)) byRule.set(rule, new Set());
      byRule.get(rule).add(category);
    }
  }
  return byRule;
}

function normaliseJudgement(value, where, byRule, errors) {
  if (value === 'clean') return { clean: true, problems: [], rules: [] };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${where}: must be "clean" or a map with problems / rules / reason / mustNotFlag`);
    return undefined;
  }
  for (const field of Object.keys(value))
    if (!JUDGEMENT_FIELDS.has(field)) errors.push(`${where}: unknown field "${field}" (problems, rules, reason, mustNotFlag)`);
  const problems = [];
  if (value.problems !== undefined) {
    if (!Array.isArray(value.problems) || value.problems.length === 0) errors.push(`${where}: problems must be a non-empty list`);
    else {
      value.problems.forEach((problem, index) => {
        const at = `${where} problem ${index + 1}`;
        if (problem === null || typeof problem !== 'object') {
          errors.push(`${at}: must be {category, level, why}`);
          return;
        }
        for (const field of Object.keys(problem)) if (!PROBLEM_FIELDS.has(field)) errors.push(`${at}: unknown field "${field}" (category, level, why)`);
        if (!CATEGORIES.includes(problem.category)) errors.push(`${at}: unknown category "${problem.category}" (one of: ${CATEGORIES.join(', ')})`);
        if (!PROBLEM_LEVELS.has(problem.level)) errors.push(`${at}: bad level "${problem.level}" (error, warning or note)`);
        if (!isText(problem.why)) errors.push(`${at}: why must be one non-empty line`);
        problems.push({ category: problem.category, level: problem.level, why: problem.why });
      });
    }
  }
  let rules = [];
  if (value.rules !== undefined) {
    if (!Array.isArray(value.rules) || value.rules.length === 0 || !value.rules.every((rule) => typeof rule === 'string'))
      errors.push(`${where}: rules must be a non-empty list of rule ids`);
    else rules = value.rules;
  }
  if (value.reason !== undefined && !isText(value.reason)) errors.push(`${where}: reason must be one non-empty line`);
  if (value.mustNotFlag !== undefined && !isText(value.mustNotFlag))
    errors.push(`${where}: mustNotFlag must be one non-empty line saying why it is built right`);
  if (problems.length === 0 && value.mustNotFlag === undefined) errors.push(`${where}: a judgement other than "clean" needs problems or mustNotFlag`);
  if (rules.length > 0 && problems.length === 0) errors.push(`${where}: rules need the problems they find`);
  if (value.mustNotFlag !== undefined) {
    if (rules.length > 0) errors.push(`${where}: mustNotFlag cannot list rules (no error or warning may fire on it)`);
    if (problems.some((problem) => problem.level !== 'note')) errors.push(`${where}: mustNotFlag allows note-level problems only`);
  }
  const served = new Set(problems.map((problem) => problem.category));
  for (const rule of rules) {
    const categories = byRule.get(rule);
    if (categories === undefined) errors.push(`${where}: rule ${rule} is in no category of categories.yaml`);
    else if (![...categories].some((category) => served.has(category)))
      errors.push(`${where}: rule ${rule} finds ${[...categories].join('/')}, none of this capability's problem categories (${[...served].join(', ')})`);
  }
  return { clean: false, problems, rules, reason: value.reason, mustNotFlag: value.mustNotFlag };
}

/**
 * Loads dumps, categories, judgements, known false positives and the servers not enumerated.
 * Throws one Error listing every malformed entry: an unknown category or field, a bad level, a
 * judgement naming no capability of its dump, a capability of the dump left unjudged, a dump
 * without a judgement file or a judgement file without a dump.
 */
export function loadCorpus(dir = CORPUS_DIR) {
  const errors = [];
  const serversDir = join(dir, 'servers');
  const judgementsDir = join(dir, 'judgements');
  const dumps = readdirSync(serversDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(join(serversDir, file), 'utf8')) }));
  const categories = readCategories(dir, errors);
  const byRule = categoriesByRule(categories);
  const judgementFiles = existsSync(judgementsDir) ? readdirSync(judgementsDir).filter((file) => file.endsWith('.yaml')) : [];
  const dumpBases = new Set(dumps.map((dump) => dump.file.replace(/\.json$/, '')));
  for (const file of judgementFiles)
    if (!dumpBases.has(file.replace(/\.yaml$/, ''))) errors.push(`judgements/${file}: no dump servers/${file.replace(/\.yaml$/, '.json')}`);
  const judgements = new Map();
  const knownFalsePositives = [];
  for (const dump of dumps) {
    const server = serverKey(dump);
    const file = `judgements/${dump.file.replace(/\.json$/, '.yaml')}`;
    if (!existsSync(join(dir, file))) {
      errors.push(`${file}: missing: servers/${dump.file} has no judgement file`);
      continue;
    }
    let data;
    try {
      data = parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      errors.push(`${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      continue;
    }
    for (const field of Object.keys(data ?? {}))
      if (!FILE_FIELDS.has(field)) errors.push(`${file}: unknown field "${field}" (server, capabilities, knownFalsePositives)`);
    if (data?.server !== server) errors.push(`${file}: server is ${JSON.stringify(data?.server)}, the dump is ${server}`);
    const keys = capabilityKeys(dump.inventory);
    const present = new Set(keys);
    const map = new Map();
    for (const [key, value] of Object.entries(data?.capabilities ?? {})) {
      const where = `${file}: ${key}`;
      if (!KINDS.has(key.split(' ')[0])) errors.push(`${where}: does not start with a capability kind (${[...KINDS].join(', ')})`);
      else if (!present.has(key)) errors.push(`${where}: unknown capability: the dump has no such ${key.split(' ')[0]}`);
      const judgement = normaliseJudgement(value, where, byRule, errors);
      if (judgement !== undefined) map.set(key, judgement);
    }
    for (const key of keys) if (!map.has(key)) errors.push(`${file}: ${key}: not judged (every capability of the dump needs a judgement)`);
    judgements.set(server, map);
    for (const entry of data?.knownFalsePositives ?? []) {
      const missing = ['rule', 'capability', 'reason'].filter((field) => typeof entry?.[field] !== 'string');
      if (missing.length > 0) errors.push(`${file}: knownFalsePositives entry needs ${missing.join(', ')}: ${JSON.stringify(entry)}`);
      else if (!present.has(entry.capability)) errors.push(`${file}: knownFalsePositives names unknown capability "${entry.capability}"`);
      else knownFalsePositives.push({ ...entry, server });
    }
  }
  let notEnumerated = [];
  if (existsSync(join(dir, 'not-enumerated.yaml'))) {
    notEnumerated = parse(readFileSync(join(dir, 'not-enumerated.yaml'), 'utf8')) ?? [];
    if (!Array.isArray(notEnumerated)) errors.push('not-enumerated.yaml: must be a list of {package, version, reason}');
    else
      for (const entry of notEnumerated)
        if (!['package', 'version', 'reason'].every((field) => typeof entry?.[field] === 'string'))
          errors.push(`not-enumerated.yaml: entry needs package, version and reason as strings: ${JSON.stringify(entry)}`);
  }
  if (errors.length > 0) throw new Error(`test/corpus is malformed (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${errors.join('\n')}`);
  return { dumps, categories, judgements, knownFalsePositives, notEnumerated };
}

/** Rules a live scan can run: they need live facts alone, or judge live facts among other evidence (`factsMatch: any`). */
export function liveRules(rules) {
  return rules.filter((rule) => judgesLiveAlone(rule));
}

export function judgesLiveAlone(rule) {
  return rule.facts.includes('live') && (rule.factsMatch === 'any' || rule.facts.every((fact) => fact === 'live'));
}

/**
 * Runs the rules over every dump and classifies each finding:
 * - `note`: a note-level finding (hygiene; not judged for precision),
 * - `expected`: the capability's judgement lists the rule,
 * - `falsePositive`: error/warning on a capability whose judgement does not list the rule,
 * - `unjudged`: the capability has no judgement at all.
 * A false positive listed in knownFalsePositives keeps its class and gets `known: true`;
 * `mustNotFlag: true` marks an error/warning on a capability judged mustNotFlag.
 */
export function evaluateCorpus(corpus, rules, runRules) {
  const results = [];
  for (const dump of corpus.dumps) {
    const server = serverKey(dump);
    const judged = corpus.judgements.get(server) ?? new Map();
    const run = runRules(dump.inventory, rules, { targetId: server });
    for (const finding of run.findings) {
      const capability = capabilityKey(finding.capability);
      const judgement = judged.get(capability);
      let verdict;
      if (!JUDGED_LEVELS.has(finding.level)) verdict = 'note';
      else if (judgement === undefined) verdict = 'unjudged';
      else if (judgement.rules.includes(finding.ruleId)) verdict = 'expected';
      else verdict = 'falsePositive';
      const known =
        verdict === 'falsePositive' &&
        corpus.knownFalsePositives.some((entry) => entry.rule === finding.ruleId && entry.server === server && entry.capability === capability);
      const mustNotFlag = verdict === 'falsePositive' && judgement?.mustNotFlag !== undefined;
      results.push({ server, capability, ruleId: finding.ruleId, level: finding.level, message: finding.message, verdict, known, mustNotFlag });
    }
  }
  return results;
}

/**
 * Every reviewer problem and whether a rule found it: a rule serving its category reported on its
 * capability, at error or warning for an error/warning problem, at any level for a note problem.
 */
export function problemRecall(corpus, results) {
  const byRule = categoriesByRule(corpus.categories);
  const findings = new Map();
  for (const result of results) {
    const key = `${result.server}\u0000${result.capability}`;
    if (!findings.has(key)) findings.set(key, []);
    findings.get(key).push(result);
  }
  const problems = [];
  for (const [server, judged] of corpus.judgements) {
    for (const [capability, judgement] of judged) {
      const here = findings.get(`${server}\u0000${capability}`) ?? [];
      for (const problem of judgement.problems) {
        const severe = JUDGED_LEVELS.has(problem.level);
        const foundBy = [
          ...new Set(
            here
              .filter((result) => byRule.get(result.ruleId)?.has(problem.category) && (!severe || JUDGED_LEVELS.has(result.level)))
              .map((result) => result.ruleId),
          ),
        ];
        problems.push({ server, capability, ...problem, severe, found: foundBy.length > 0, foundBy });
      }
    }
  }
  return problems;
}

const ratio = (hit, total) => (total === 0 ? null : hit / total);

/**
 * The figures the floors are about: recall per category and overall (error+warning problems, note
 * problems), precision per rule and per category (error/warning findings of the rules serving it;
 * known false positives count as false), and the must-not-flag rate.
 */
export function corpusFigures(corpus, results) {
  const problems = problemRecall(corpus, results);
  const recall = { overall: { errorWarning: { found: 0, total: 0 }, note: { found: 0, total: 0 } }, categories: {} };
  for (const category of CATEGORIES) recall.categories[category] = { errorWarning: { found: 0, total: 0 }, note: { found: 0, total: 0 } };
  for (const problem of problems) {
    const bucket = problem.severe ? 'errorWarning' : 'note';
    for (const row of [recall.overall, recall.categories[problem.category]]) {
      row[bucket].total++;
      if (problem.found) row[bucket].found++;
    }
  }
  for (const row of [recall.overall, ...Object.values(recall.categories)])
    for (const bucket of Object.values(row)) bucket.recall = ratio(bucket.found, bucket.total);
  const rules = {};
  for (const result of results) {
    if (result.verdict === 'note') continue;
    rules[result.ruleId] ??= { truePositives: 0, falsePositives: 0 };
    if (result.verdict === 'expected') rules[result.ruleId].truePositives++;
    else rules[result.ruleId].falsePositives++;
  }
  for (const row of Object.values(rules)) row.precision = ratio(row.truePositives, row.truePositives + row.falsePositives);
  const categories = {};
  for (const category of CATEGORIES) {
    const row = { truePositives: 0, falsePositives: 0 };
    for (const rule of corpus.categories.get(category) ?? []) {
      row.truePositives += rules[rule]?.truePositives ?? 0;
      row.falsePositives += rules[rule]?.falsePositives ?? 0;
    }
    row.precision = ratio(row.truePositives, row.truePositives + row.falsePositives);
    categories[category] = row;
  }
  const mustNotFlag = { judgements: 0, flagged: 0, flaggedUnknown: 0 };
  for (const [server, judged] of corpus.judgements) {
    for (const [capability, judgement] of judged) {
      if (judgement.mustNotFlag === undefined) continue;
      mustNotFlag.judgements++;
      const hits = results.filter((result) => result.mustNotFlag && result.server === server && result.capability === capability);
      if (hits.length > 0) mustNotFlag.flagged++;
      if (hits.some((result) => !result.known)) mustNotFlag.flaggedUnknown++;
    }
  }
  mustNotFlag.rate = ratio(mustNotFlag.flagged, mustNotFlag.judgements);
  return { problems, recall, precision: { rules, categories }, mustNotFlag };
}

/** Rounds a ratio down to three decimals: the committed floor of a figure. */
export function floorOf(value) {
  return value === null ? null : Math.floor(value * 1000 + 1e-9) / 1000;
}

/** The floors a figures object meets exactly (floors.json's shape). */
export function floorsOf(figures) {
  const floors = { recall: { overall: {}, categories: {} }, precision: { rules: {}, categories: {} } };
  for (const bucket of ['errorWarning', 'note']) floors.recall.overall[bucket] = floorOf(figures.recall.overall[bucket].recall);
  for (const [category, row] of Object.entries(figures.recall.categories)) {
    const entry = {};
    for (const bucket of ['errorWarning', 'note']) if (row[bucket].recall !== null) entry[bucket] = floorOf(row[bucket].recall);
    if (Object.keys(entry).length > 0) floors.recall.categories[category] = entry;
  }
  for (const [rule, row] of Object.entries(figures.precision.rules).sort(([a], [b]) => (a < b ? -1 : 1)))
    if (row.precision !== null) floors.precision.rules[rule] = floorOf(row.precision);
  for (const [category, row] of Object.entries(figures.precision.categories))
    if (row.precision !== null) floors.precision.categories[category] = floorOf(row.precision);
  return floors;
}

/** Every figure below its committed floor, as `name: figure < floor` lines. */
export function belowFloors(figures, floors) {
  const failures = [];
  const check = (name, value, floor) => {
    // No figure (a rule without judged findings, a category without problems) is nothing to fall short of.
    if (floor === undefined || floor === null || value === null || value === undefined) return;
    if (value < floor) failures.push(`${name}: ${value.toFixed(3)} < floor ${floor}`);
  };
  for (const bucket of ['errorWarning', 'note']) check(`recall overall ${bucket}`, figures.recall.overall[bucket].recall, floors.recall?.overall?.[bucket]);
  for (const [category, entry] of Object.entries(floors.recall?.categories ?? {}))
    for (const [bucket, floor] of Object.entries(entry)) check(`recall ${category} ${bucket}`, figures.recall.categories[category]?.[bucket]?.recall, floor);
  for (const [rule, floor] of Object.entries(floors.precision?.rules ?? {}))
    check(`precision ${rule}`, figures.precision.rules[rule]?.precision ?? null, floor);
  for (const [category, floor] of Object.entries(floors.precision?.categories ?? {}))
    check(`precision ${category}`, figures.precision.categories[category]?.precision ?? null, floor);
  return failures;
}

// The precision corpus: discovery dumps of real MCP servers published on npm (servers/*.json) and a
// human judgement of every capability in them (judgements.yaml). Plain JavaScript so that both the
// vitest suite (test/corpus.test.ts, over src/) and scripts/corpus-figures.mjs (over dist/) share
// one reading of the data. No network, no install: everything here reads files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));
export const JUDGED_LEVELS = new Set(['error', 'warning']);
const KINDS = new Set(['server', 'tool', 'resource', 'resourceTemplate', 'prompt']);

/** `tool read_file`, `resource Kubernetes Pods`, `server`: how judgements.yaml names a capability. */
export function capabilityKey(ref) {
  return ref.name === undefined || ref.kind === 'server' ? ref.kind : `${ref.kind} ${ref.name}`;
}

/** `<package>@<version>`, the key of a server in judgements.yaml. */
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

function normaliseJudgement(server, key, value) {
  if (value === 'clean') return { clean: true, rules: [] };
  const rules = Array.isArray(value) ? value : value?.rules;
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every((rule) => typeof rule === 'string')) {
    throw new Error(`judgements.yaml: ${server} "${key}" must be "clean", a list of rule ids or {rules, reason}`);
  }
  return { clean: false, rules, reason: Array.isArray(value) ? undefined : value.reason };
}

/** Loads dumps, judgements and known false positives; throws on malformed data. */
export function loadCorpus(dir = CORPUS_DIR) {
  const serversDir = join(dir, 'servers');
  const dumps = readdirSync(serversDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(join(serversDir, file), 'utf8')) }));
  const data = parse(readFileSync(join(dir, 'judgements.yaml'), 'utf8'));
  const judgements = new Map();
  for (const [server, entries] of Object.entries(data.servers ?? {})) {
    const map = new Map();
    for (const [key, value] of Object.entries(entries ?? {})) {
      const kind = key.split(' ')[0];
      if (!KINDS.has(kind)) throw new Error(`judgements.yaml: ${server} "${key}" does not start with a capability kind`);
      map.set(key, normaliseJudgement(server, key, value));
    }
    judgements.set(server, map);
  }
  const knownFalsePositives = (data.knownFalsePositives ?? []).map((entry) => {
    for (const field of ['rule', 'server', 'capability', 'reason']) {
      if (typeof entry[field] !== 'string') throw new Error(`judgements.yaml: knownFalsePositives entry needs "${field}": ${JSON.stringify(entry)}`);
    }
    return entry;
  });
  return { dumps, judgements, knownFalsePositives, notEnumerated: data.notEnumerated ?? [] };
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
 * - `note`: a note-level finding (hygiene; not judged),
 * - `expected`: the capability's judgement lists the rule,
 * - `falsePositive`: error/warning on a capability judged clean, or judged for other rules only,
 * - `unjudged`: the capability has no judgement at all.
 * A false positive listed in knownFalsePositives keeps its class and gets `known: true`.
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
      results.push({ server, capability, ruleId: finding.ruleId, level: finding.level, message: finding.message, verdict, known });
    }
  }
  return results;
}

/** Judgement keys that name nothing in the dumps, and capabilities left without a judgement. */
export function judgementCoverage(corpus) {
  const missing = [];
  const stale = [];
  const dumpKeys = new Set(corpus.dumps.map(serverKey));
  for (const server of corpus.judgements.keys()) if (!dumpKeys.has(server)) stale.push(server);
  for (const dump of corpus.dumps) {
    const server = serverKey(dump);
    const judged = corpus.judgements.get(server) ?? new Map();
    const keys = capabilityKeys(dump.inventory);
    for (const key of keys) if (!judged.has(key)) missing.push(`${server} ${key}`);
    const present = new Set(keys);
    for (const key of judged.keys()) if (!present.has(key)) stale.push(`${server} ${key}`);
  }
  return { missing, stale };
}

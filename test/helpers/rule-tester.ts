import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinRules, type PackRule, type RuleOptions } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { Finding, Level } from '../../src/engine/types.js';
import type { CapabilityRef, Inventory } from '../../src/inventory/model.js';
import { sourceOnlyInventory } from '../../src/source/index.js';
import { repoRoot } from './fixtures.js';

/**
 * One RuleTester for every fact kind, shaped like ESLint's: `ruleTester.run(id, { valid, invalid })`
 * defines one vitest case per entry; an invalid case asserts the exact set of findings (message id,
 * capability, field or line), nothing more, nothing less; a valid case asserts none. Every call also
 * records its cases, so test/rules/meta.test.ts can find rules without cases, message ids never
 * exercised and doc examples not shown. Packs are loaded once per test process and shared.
 */

/**
 * What one finding must be. `field`, `line` and `level` are compared when given (undefined `field` = no field);
 * `data` (the keys given, as ESLint's RuleTester does) and `message` (the whole text) when given.
 */
export interface Expected {
  messageId: string;
  capability: CapabilityRef;
  field?: string;
  line?: number;
  /** Compared when given: the finding's level (a check may set it per finding). */
  level?: Level;
  data?: Record<string, string | number>;
  message?: string;
}

export interface ValidCase {
  name: string;
  /** The facts the rule judges: an inventory (live, probe, http, repo, lock, suppress facts) or a source fixture project. */
  facts: Inventory | (() => Inventory | Promise<Inventory>);
  /** Replaces options of the rule (merged over the pack's). */
  options?: RuleOptions;
  /** This case is the rule's documented `examples.bad` / `examples.good`, in facts. */
  docExample?: 'bad' | 'good';
}

export interface InvalidCase extends ValidCase {
  errors: Expected[];
}

export interface RuleCases {
  valid: ValidCase[];
  invalid: InvalidCase[];
}

/** One registered case, as the meta-test sees it. */
export interface RecordedCase {
  ruleId: string;
  kind: 'valid' | 'invalid';
  name: string;
  messageIds: string[];
  docExample?: 'bad' | 'good';
  /** For a marker in a source fixture: the code line it is about (a doc example must be written on it). */
  code?: string;
}

const recorded: RecordedCase[] = [];
/**
 * The tests the case files declare, defined only by defineRegisteredTests(): test files share a
 * worker's module cache (vitest isolate: false), so a case file runs its body once per worker, for
 * whichever test file imported it first (the meta-test reads the cases, rules.test.ts runs them).
 */
const definitions: Array<() => void> = [];

/** Declares tests to be defined by the test file that runs the cases (rules.test.ts). */
export function registerTests(define: () => void): void {
  definitions.push(define);
}

/** Defines every test the case files declared, in the calling test file. */
export function defineRegisteredTests(): void {
  for (const define of definitions) define();
}

export function recordedCases(): readonly RecordedCase[] {
  return recorded;
}

let shared: PackRule[] | undefined;
export function builtinRules(): PackRule[] {
  shared ??= loadBuiltinRules();
  return shared;
}

/**
 * A concern's id while the `-in-source` / `-probed` variants of nine rules still exist (issue 13,
 * build item 1 merges them): cases and markers are written against the concern, and run every
 * variant of it. Once the ids are merged this is the identity.
 */
export function concernOf(ruleId: string): string {
  return ruleId.replace(/-(in-source|probed)$/, '');
}

/** The loaded rules of one concern; an unknown id fails the case rather than passing it. */
export function rulesOf(concern: string): PackRule[] {
  const rules = builtinRules().filter((rule) => concernOf(rule.id) === concern);
  if (rules.length === 0) throw new Error(`no built-in rule "${concern}"`);
  return rules;
}

/** Runs a concern's rules (with options merged over the pack's): the findings, and whether any of them ran (not skipped). */
export async function judge(concern: string, facts: ValidCase['facts'], options?: RuleOptions): Promise<{ findings: Finding[]; ran: boolean }> {
  const inventory = typeof facts === 'function' ? await facts() : facts;
  const rules = rulesOf(concern).map((rule) => (options === undefined ? rule : { ...rule, options: { ...rule.options, ...options } }));
  const run = runRules(inventory, rules, { targetId: 'test-server' });
  return { findings: run.findings, ran: run.outcomes.some((outcome) => outcome.status === 'ran') };
}

export async function findingsOf(concern: string, facts: ValidCase['facts'], options?: RuleOptions): Promise<Finding[]> {
  return (await judge(concern, facts, options)).findings;
}

const capabilityText = (capability: CapabilityRef) => `${capability.kind}${capability.name === undefined ? '' : ` "${capability.name}"`}`;

/**
 * Asserts that `findings` are exactly `errors`, as sorted lists (a missing and an extra finding both
 * show). Message id and capability are always compared; `field` when an expectation names the key
 * (`field: undefined` = no field), `line` when it gives one, as ESLint's RuleTester compares only what
 * the case states.
 */
export function expectExactly(findings: readonly Finding[], errors: readonly Expected[]): void {
  const withField = errors.some((error) => 'field' in error);
  const withLine = errors.some((error) => error.line !== undefined);
  const withLevel = errors.some((error) => error.level !== undefined);
  const text = (messageId: string, capability: CapabilityRef, field: string | undefined, line: number | undefined, level: string | undefined) =>
    [
      messageId,
      capabilityText(capability),
      ...(withField ? [`field ${field ?? '-'}`] : []),
      ...(withLine ? [`line ${line ?? '-'}`] : []),
      ...(withLevel ? [`level ${level ?? '-'}`] : []),
    ].join(' · ');
  expect(findings.map((finding) => text(finding.messageId, finding.capability, finding.field, finding.location?.line, finding.level)).sort()).toEqual(
    errors.map((error) => text(error.messageId, error.capability, error.field, error.line, error.level)).sort(),
  );
  // The same findings: an expectation with data or a message must be met by one of those it names.
  for (const error of errors.filter((candidate) => candidate.data !== undefined || candidate.message !== undefined)) {
    const named = text(error.messageId, error.capability, error.field, error.line, error.level);
    const candidates = findings.filter(
      (finding) => text(finding.messageId, finding.capability, finding.field, finding.location?.line, finding.level) === named,
    );
    const seen = candidates.map((finding) => ({
      ...(error.data === undefined ? {} : { data: Object.fromEntries(Object.keys(error.data).map((key) => [key, finding.data[key]])) }),
      ...(error.message === undefined ? {} : { message: finding.message }),
    }));
    expect(seen, named).toContainEqual({
      ...(error.data === undefined ? {} : { data: error.data }),
      ...(error.message === undefined ? {} : { message: error.message }),
    });
  }
}

export const ruleTester = {
  run(concern: string, cases: RuleCases): void {
    for (const valid of cases.valid) recorded.push({ ruleId: concern, kind: 'valid', name: valid.name, messageIds: [], docExample: valid.docExample });
    for (const invalid of cases.invalid) {
      recorded.push({
        ruleId: concern,
        kind: 'invalid',
        name: invalid.name,
        messageIds: invalid.errors.map((error) => error.messageId),
        docExample: invalid.docExample,
      });
    }
    registerTests(() =>
      describe(concern, () => {
        describe('valid', () => {
          for (const valid of cases.valid) {
            it(valid.name, async () => {
              const { findings, ran } = await judge(concern, valid.facts, valid.options);
              // A skipped rule reports nothing too: a valid case must be judged, not skipped.
              expect(ran, 'the rule ran on these facts (not skipped)').toBe(true);
              expectExactly(findings, []);
            });
          }
        });
        describe('invalid', () => {
          for (const invalid of cases.invalid) {
            it(invalid.name, async () => {
              expect(invalid.errors.length, 'an invalid case names what it expects').toBeGreaterThan(0);
              expectExactly(await findingsOf(concern, invalid.facts, invalid.options), invalid.errors);
            });
          }
        });
      }),
    );
  },
};

// ---- Source fixtures with two-way markers --------------------------------------------------------

export const projectsDir = resolve(repoRoot, 'fixtures', 'projects');

/** A marker: `// ruleid: <rule> <messageId>` (must be reported on the next code line) or `// ok: <rule>` (must not). */
export interface Marker {
  kind: 'ruleid' | 'ok';
  ruleId: string;
  messageId?: string;
  /** `examples.bad` / `examples.good` after the marker: the rule's doc example is written on that line. */
  docExample?: 'bad' | 'good';
  file: string;
  /** The line the marker is about (the next line that is not itself a marker), and its text. */
  line: number;
  code: string;
}

const MARKER = /\/\/\s*(ruleid|ok):\s*([a-z0-9-]+\/[a-z0-9-]+)(?:\s+([A-Za-z][A-Za-z0-9]*))?(?:\s+examples\.(bad|good))?\s*$/;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(m|c)?[jt]sx?$/.test(name) ? [path] : [];
  });
}

export function markersOf(project: string): Marker[] {
  const markers: Marker[] = [];
  for (const file of sourceFiles(join(projectsDir, project))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let pending: Array<Omit<Marker, 'line' | 'code'>> = [];
    lines.forEach((text, index) => {
      const match = MARKER.exec(text);
      if (match !== null && text.trim().startsWith('//')) {
        const [, kind, ruleId, messageId, docExample] = match;
        pending.push({
          kind: kind as Marker['kind'],
          ruleId: ruleId!,
          file,
          ...(messageId === undefined ? {} : { messageId }),
          ...(docExample === undefined ? {} : { docExample: docExample as 'bad' | 'good' }),
        });
        return;
      }
      for (const marker of pending) markers.push({ ...marker, line: index + 1, code: text });
      pending = [];
    });
  }
  return markers;
}

/** Rules that judge source alone or source among other evidence (`factsMatch: any`). */
export function sourceRules(): PackRule[] {
  return builtinRules().filter(
    (rule) => (rule.facts.length === 1 && rule.facts[0] === 'source') || (rule.factsMatch === 'any' && rule.facts.includes('source')),
  );
}

const where = (file: string, line: number | undefined) => `${file.slice(projectsDir.length + 1)}:${line ?? '?'}`;

/**
 * Source fixture projects checked with two-way markers: each `ruleid:` marker is reported on its
 * line with its message id, each `ok:` line is not reported by that rule, and no source rule reports
 * anything unmarked. A marked project also counts, for the meta-test, as a valid case of every
 * source rule that has no marker in it.
 */
export function runFixtures(projects: readonly string[]): void {
  const concerns = [...new Set(sourceRules().map((rule) => concernOf(rule.id)))];
  for (const project of projects) {
    const markers = markersOf(project);
    for (const marker of markers) {
      const name = `${project}: ${where(marker.file, marker.line)}`;
      recorded.push({
        ruleId: marker.ruleId,
        kind: marker.kind === 'ruleid' ? 'invalid' : 'valid',
        name,
        messageIds: marker.messageId === undefined ? [] : [marker.messageId],
        docExample: marker.docExample,
        code: marker.code,
      });
    }
    const marked = new Set(markers.filter((marker) => marker.kind === 'ruleid').map((marker) => marker.ruleId));
    for (const concern of concerns.filter((id) => !marked.has(id)))
      recorded.push({ ruleId: concern, kind: 'valid', name: `${project}: nothing reported`, messageIds: [] });
  }
  registerTests(() =>
    describe('source fixtures with two-way markers', () => {
      for (const project of projects) {
        it(`${project}: every ruleid: marker is reported on its line, no ok: line is, nothing unmarked`, async () => {
          const inventory = await sourceOnlyInventory(join(projectsDir, project));
          const findings = runRules(inventory, sourceRules(), { targetId: project }).findings;
          const markers = markersOf(project);
          for (const marker of markers.filter((m) => m.kind === 'ruleid'))
            expect(marker.messageId, `${where(marker.file, marker.line)}: a ruleid: marker names its message id`).toBeDefined();
          const key = (ruleId: string, messageId: string | undefined, file: string | undefined, line: number | undefined) =>
            `${concernOf(ruleId)} ${messageId ?? ''} ${file === undefined ? '?' : where(file, line)}`;
          const expected = markers.filter((m) => m.kind === 'ruleid').map((m) => key(m.ruleId, m.messageId, m.file, m.line));
          const reported = findings.map((f) => key(f.ruleId, f.messageId, f.location?.file, f.location?.line));
          expect([...new Set(reported)].sort()).toEqual([...new Set(expected)].sort());
          const okLines = new Set(markers.filter((m) => m.kind === 'ok').map((m) => `${m.ruleId} ${where(m.file, m.line)}`));
          expect(
            findings
              .filter((f) => f.location !== undefined && okLines.has(`${concernOf(f.ruleId)} ${where(f.location.file, f.location.line)}`))
              .map((f) => f.message),
          ).toEqual([]);
        });
      }
    }),
  );
}

import { defineCheck } from '../../engine/define-check.js';
import { rankCapabilities } from '../../inventory/risk.js';
import type { TestSignal } from '../../source/types.js';
import { servesHttp, sitesOf, sourceFacts } from '../source-facts.js';

const PATH_WORDS: Record<TestSignal, string> = {
  invalidArguments: 'invalid arguments',
  accessDenied: 'an access denial (401/403)',
  backendTimeout: 'a backend timeout',
  oversizedOutput: 'an oversized output',
};

/** operations/untested-failure-paths: the package's tests never speak of invalid arguments, denial, timeout, oversized output. */
export const untestedFailurePaths = defineCheck('operations/untested-failure-paths', ({ inventory, options, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  const tests = facts.tests;
  if (tests === undefined) {
    skip?.('the source facts hold no test facts');
    return;
  }
  // The ranked inventory when the run built one, else each capability assessed here (source-only checks).
  const classes = inventory.risk?.map((row) => row.class) ?? rankCapabilities(inventory).map((row) => row.class);
  const risky = classes.some((riskClass) => riskClass === 'exec' || riskClass === 'destructive' || riskClass === 'write');
  const level = risky ? options.riskyLevel : 'note';
  // Anchored where the server starts (its transport), else its first registration.
  const anchor = (sitesOf(facts, 'http-transport')[0] ?? sitesOf(facts, 'stdio-transport')[0])?.location ?? facts.registrations[0]?.location;
  const base = { capability: { kind: 'server' as const }, evidenceKind: 'source' as const, level, ...(anchor ? { location: anchor } : {}) };
  if (tests.files.length === 0) {
    // An installed package is what npm published: a test script that runs a runner says its tests
    // exist where it was built, they were only not published. Without one (or `echo "no tests"`), it has none.
    if (tests.installed === true && tests.script !== undefined && !/^\s*echo\b/.test(tests.script)) return;
    report({ ...base, messageId: 'noTests', field: 'tests' });
    return;
  }
  const wanted: TestSignal[] = ['invalidArguments', ...(servesHttp(facts) ? (['accessDenied'] as const) : []), 'backendTimeout', 'oversizedOutput'];
  const missing = wanted.filter((signal) => tests.signals[signal].length === 0);
  if (missing.length === 0) return;
  const words = missing.map((signal) => PATH_WORDS[signal]);
  const list = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
  report({
    ...base,
    messageId: 'missingPaths',
    field: 'tests',
    evidence: missing.join(','),
    data: { missing: list, files: tests.files.length === 1 ? '1 test file' : `${tests.files.length} test files` },
  });
});

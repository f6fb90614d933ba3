import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import { assertGithubContract, githubContractViolations, validateSarifSchema } from '../helpers/sarif-contract.js';
import { report } from './fixture.js';

/** The helper must catch what GitHub rejects, or the other tests prove nothing. */

type Mutable = Record<string, any>;

function fresh(): Mutable {
  return JSON.parse(renderSarif(report())) as Mutable;
}

describe('sarif contract helper', () => {
  it('accepts our output', () => {
    expect(githubContractViolations(fresh())).toEqual([]);
  });

  it('rejects schema violations', () => {
    const log = fresh();
    log.runs[0].results[0].level = 'fatal';
    expect(validateSarifSchema(log).length).toBeGreaterThan(0);
  });

  const cases: [string, (log: Mutable) => void, RegExp][] = [
    ['a result with no location', (log) => (log.runs[0].results[0].locations = []), /exactly one location/],
    ['a logical-only location', (log) => delete log.runs[0].results[0].locations[0].physicalLocation, /uri: missing/],
    ['an absolute uri', (log) => (log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = '/abs/a.ts'), /starts with "\/"/],
    ['an unencoded uri', (log) => (log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'a b.ts'), /percent-encoded/],
    ['a partial region', (log) => delete log.runs[0].results[0].locations[0].physicalLocation.region.endColumn, /four 1-based bounds/],
    ['a wrong ruleIndex', (log) => (log.runs[0].results[0].ruleIndex = 3), /ruleIndex/],
    ['a missing fingerprint', (log) => delete log.runs[0].results[0].partialFingerprints, /mcpPreflight\/v1/],
    ['a numeric security-severity', (log) => (log.runs[0].tool.driver.rules[0].properties['security-severity'] = 8.1), /must be a string/],
    ['eleven tags', (log) => (log.runs[0].tool.driver.rules[0].properties.tags = ['security', ...'abcdefghij']), /at most 10/],
    ['no help', (log) => delete log.runs[0].tool.driver.rules[0].help, /help.text: missing/],
    ['another driver name', (log) => (log.runs[0].tool.driver.name = 'my-app'), /mcp-preflight/],
    ['a category without "/"', (log) => (log.runs[0].automationDetails.id = 'mcp-preflight'), /ending in "\/"/],
    ['two runs with one category', (log) => (log.runs[1].automationDetails.id = log.runs[0].automationDetails.id), /share a category/],
    ['unsorted results', (log) => log.runs[0].results.reverse(), /not sorted/],
    ['a line hash of our own', (log) => (log.runs[0].results[0].partialFingerprints.primaryLocationLineHash = 'x:1'), /upload-sarif/],
  ];
  for (const [name, mutate, expected] of cases) {
    it(`flags ${name}`, () => {
      const log = fresh();
      mutate(log);
      expect(() => assertGithubContract(log)).toThrow(expected);
    });
  }
});

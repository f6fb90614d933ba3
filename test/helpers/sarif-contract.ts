import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';

/**
 * The SARIF test layers of CONVENTIONS.md §1.11: (1) schema validity against the SARIF 2.1.0 schema
 * shipped by @microsoft/sarif-multitool-linux, and (2) the GitHub code-scanning contract of §1.12,
 * which schema validity alone does not cover. Shared by the unit tests and the end-to-end tests.
 */

const require = createRequire(import.meta.url);
// CommonJS packages, loaded through require so the default export is the same under tsc and vitest.
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

export const SARIF_SCHEMA_PATH = fileURLToPath(new URL('../../node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json', import.meta.url));

let cachedValidator: ValidateFunction | undefined;

function sarifValidator(): ValidateFunction {
  if (cachedValidator) return cachedValidator;
  if (!existsSync(SARIF_SCHEMA_PATH)) {
    throw new Error(
      `SARIF 2.1.0 schema not found at ${SARIF_SCHEMA_PATH}. It ships with the dev dependency ` +
        '@microsoft/sarif-multitool (its linux package); run `npm ci` to install it. ' +
        'Schema validation is never skipped.',
    );
  }
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  cachedValidator = ajv.compile(schema);
  return cachedValidator;
}

/** Validates against the SARIF 2.1.0 JSON schema; returns ajv's errors, empty when valid. */
export function validateSarifSchema(json: unknown): ErrorObject[] {
  const validate = sarifValidator();
  return validate(json) ? [] : [...(validate.errors ?? [])];
}

const LEVELS = new Set(['error', 'warning', 'note']);
const PRECISIONS = new Set(['very-high', 'high', 'medium', 'low']);
const FINGERPRINT_KEY = 'mcpPreflight/v1';
const MAX_RUNS = 20;
const MAX_RESULTS_SHOWN = 5000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function get(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof key === 'number' ? !Array.isArray(current) : !isObject(current)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/**
 * Every checkable item of CONVENTIONS.md §1.12, as a list of violations (empty = compliant). Each entry
 * names the JSON path it is about.
 */
export function githubContractViolations(sarif: unknown): string[] {
  const problems: string[] = [];
  const fail = (where: string, what: string): void => {
    problems.push(`${where}: ${what}`);
  };

  if (!isObject(sarif)) return ['$: not a JSON object'];
  if (!nonEmptyString(sarif.$schema)) fail('$.$schema', 'missing');
  if (sarif.version !== '2.1.0') fail('$.version', `must be "2.1.0", got ${JSON.stringify(sarif.version)}`);
  const runs = sarif.runs;
  if (!Array.isArray(runs) || runs.length === 0) return [...problems, '$.runs: must be a non-empty array'];
  if (runs.length > MAX_RUNS) fail('$.runs', `${runs.length} runs; GitHub accepts at most ${MAX_RUNS}`);

  const automationIds: string[] = [];
  runs.forEach((run: unknown, runIndex) => {
    const at = `$.runs[${runIndex}]`;
    if (!isObject(run)) return fail(at, 'not an object');
    const driver = get(run, 'tool', 'driver');
    if (get(driver, 'name') !== 'mcp-preflight') fail(`${at}.tool.driver.name`, 'must be "mcp-preflight"');
    if (!nonEmptyString(get(driver, 'semanticVersion'))) fail(`${at}.tool.driver.semanticVersion`, 'missing');
    if (!nonEmptyString(get(driver, 'informationUri'))) fail(`${at}.tool.driver.informationUri`, 'missing');

    const rules = get(driver, 'rules');
    const ruleIds: string[] = [];
    if (!Array.isArray(rules)) fail(`${at}.tool.driver.rules`, 'must be an array');
    else rules.forEach((rule: unknown, index) => ruleIds.push(checkRule(rule, `${at}.tool.driver.rules[${index}]`, fail)));
    const duplicates = ruleIds.filter((id, index) => ruleIds.indexOf(id) !== index);
    if (duplicates.length > 0) fail(`${at}.tool.driver.rules`, `duplicate ids ${[...new Set(duplicates)].join(', ')}`);

    const id = get(run, 'automationDetails', 'id');
    if (id !== undefined) {
      if (!nonEmptyString(id) || !id.endsWith('/')) fail(`${at}.automationDetails.id`, 'must be a non-empty string ending in "/"');
      else automationIds.push(id);
    } else if (runs.length > 1) {
      fail(`${at}.automationDetails.id`, 'required when a file has several runs (distinct categories)');
    }

    const invocations = get(run, 'invocations');
    if (invocations !== undefined && typeof get(invocations, 0, 'executionSuccessful') !== 'boolean') {
      fail(`${at}.invocations[0].executionSuccessful`, 'must be a boolean');
    }

    const results = run.results;
    if (!Array.isArray(results)) return fail(`${at}.results`, 'must be present (empty when there are no results)');
    if (results.length > MAX_RESULTS_SHOWN) fail(`${at}.results`, `${results.length} results; keep at most ${MAX_RESULTS_SHOWN}`);
    if (results.length > 0 && run.columnKind !== 'utf16CodeUnits') fail(`${at}.columnKind`, 'must be "utf16CodeUnits"');
    const baseIds = run.originalUriBaseIds;
    if (isObject(baseIds)) {
      for (const [name, base] of Object.entries(baseIds)) {
        const uri = get(base, 'uri');
        if (typeof uri === 'string' && (uri.startsWith('file:') || uri.startsWith('/') || /^[A-Za-z]:/.test(uri))) {
          fail(`${at}.originalUriBaseIds.${name}.uri`, 'must not leak an absolute local path');
        }
      }
    }
    results.forEach((result: unknown, index) => {
      checkResult(result, `${at}.results[${index}]`, ruleIds, isObject(baseIds) ? Object.keys(baseIds) : [], fail);
    });
    const order = results.map(sortKey);
    for (let index = 1; index < order.length; index++) {
      if (compareKeys(order[index - 1]!, order[index]!) > 0) {
        fail(`${at}.results[${index}]`, 'results are not sorted by uri, line, column, ruleId');
        break;
      }
    }
  });

  const categories = automationIds.map((id) => id.slice(0, id.lastIndexOf('/')));
  const repeated = categories.filter((category, index) => categories.indexOf(category) !== index);
  if (repeated.length > 0) fail('$.runs', `runs share a category: ${[...new Set(repeated)].join(', ')}`);
  return problems;
}

function checkRule(rule: unknown, at: string, fail: (where: string, what: string) => void): string {
  const id = get(rule, 'id');
  if (!nonEmptyString(id)) fail(`${at}.id`, 'missing');
  const name = get(rule, 'name');
  if (!nonEmptyString(name) || name.length > 255) fail(`${at}.name`, 'must be 1–255 characters');
  for (const field of ['shortDescription', 'fullDescription'] as const) {
    const text = get(rule, field, 'text');
    if (!nonEmptyString(text) || text.length > 1024) fail(`${at}.${field}.text`, 'must be 1–1024 characters');
  }
  const helpUri = get(rule, 'helpUri');
  if (!nonEmptyString(helpUri)) fail(`${at}.helpUri`, 'missing');
  if (!nonEmptyString(get(rule, 'help', 'text'))) fail(`${at}.help.text`, 'missing');
  const markdown = get(rule, 'help', 'markdown');
  if (!nonEmptyString(markdown)) fail(`${at}.help.markdown`, 'missing');
  else if (nonEmptyString(helpUri) && !markdown.includes(helpUri)) {
    fail(`${at}.help.markdown`, 'must link the rule documentation (GitHub ignores helpUri)');
  }
  if (!LEVELS.has(get(rule, 'defaultConfiguration', 'level') as string)) {
    fail(`${at}.defaultConfiguration.level`, 'must be error, warning or note');
  }
  const tags = get(rule, 'properties', 'tags');
  if (!Array.isArray(tags) || !tags.every(nonEmptyString)) fail(`${at}.properties.tags`, 'must be an array of strings');
  else {
    if (tags.length > 10) fail(`${at}.properties.tags`, `${tags.length} tags; GitHub shows at most 10`);
  }
  if (!PRECISIONS.has(get(rule, 'properties', 'precision') as string)) {
    fail(`${at}.properties.precision`, 'must be very-high, high, medium or low');
  }
  // A security-severity makes every result a security alert: only rules tagged `security` carry one;
  // the others carry problem.severity (CONVENTIONS.md §1.2).
  const security = Array.isArray(tags) && tags.includes('security');
  const severity = get(rule, 'properties', 'security-severity');
  const problem = get(rule, 'properties', 'problem.severity');
  if (security) {
    if (typeof severity !== 'string') fail(`${at}.properties.security-severity`, 'must be a string');
    else {
      const score = Number(severity);
      if (!(score > 0 && score <= 10)) fail(`${at}.properties.security-severity`, `"${severity}" is not in (0.0, 10.0]`);
    }
    if (problem !== undefined) fail(`${at}.properties.problem.severity`, 'a security rule carries security-severity, not problem.severity');
  } else {
    if (severity !== undefined) fail(`${at}.properties.security-severity`, 'only rules tagged "security" may carry one');
    if (!['error', 'warning', 'recommendation'].includes(problem as string))
      fail(`${at}.properties.problem.severity`, 'a rule not tagged "security" must carry error, warning or recommendation');
  }
  return typeof id === 'string' ? id : '';
}

function checkResult(result: unknown, at: string, ruleIds: string[], baseIds: string[], fail: (where: string, what: string) => void): void {
  const ruleId = get(result, 'ruleId');
  if (!nonEmptyString(ruleId)) fail(`${at}.ruleId`, 'missing');
  const ruleIndex = get(result, 'ruleIndex');
  if (typeof ruleIndex !== 'number' || ruleIds[ruleIndex] !== ruleId) {
    fail(`${at}.ruleIndex`, `must point at rule ${JSON.stringify(ruleId)} in tool.driver.rules`);
  }
  if (!LEVELS.has(get(result, 'level') as string)) fail(`${at}.level`, 'must be error, warning or note');
  if (!nonEmptyString(get(result, 'message', 'text'))) fail(`${at}.message.text`, 'missing');

  const locations = get(result, 'locations');
  if (!Array.isArray(locations) || locations.length !== 1) {
    fail(`${at}.locations`, 'must hold exactly one location (GitHub rejects the whole file otherwise)');
  } else {
    const physical = get(locations[0], 'physicalLocation');
    const uri = get(physical, 'artifactLocation', 'uri');
    if (!nonEmptyString(uri)) fail(`${at}.locations[0].physicalLocation.artifactLocation.uri`, 'missing');
    else {
      if (uri.startsWith('/')) fail(`${at}.locations[0]…uri`, `"${uri}" starts with "/"`);
      if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) fail(`${at}.locations[0]…uri`, `"${uri}" is absolute`);
      if (uri.includes('\\')) fail(`${at}.locations[0]…uri`, `"${uri}" has a backslash`);
      if (/\s/.test(uri)) fail(`${at}.locations[0]…uri`, `"${uri}" is not percent-encoded`);
      if (uri.split('/').includes('..')) fail(`${at}.locations[0]…uri`, `"${uri}" leaves the repository root`);
    }
    const baseId = get(physical, 'artifactLocation', 'uriBaseId');
    if (baseId !== '%SRCROOT%') fail(`${at}.locations[0]…uriBaseId`, 'must be "%SRCROOT%"');
    else if (!baseIds.includes('%SRCROOT%')) fail(`${at}`, 'uses %SRCROOT% but run.originalUriBaseIds does not define it');
    const region = get(physical, 'region');
    const bounds = ['startLine', 'startColumn', 'endLine', 'endColumn'].map((key) => get(region, key));
    if (!bounds.every(isPositiveInteger)) fail(`${at}.locations[0].physicalLocation.region`, 'needs all four 1-based bounds');
    else {
      const [startLine, startColumn, endLine, endColumn] = bounds;
      if (endLine! < startLine! || (endLine === startLine && endColumn! < startColumn!)) {
        fail(`${at}.locations[0].physicalLocation.region`, 'ends before it starts');
      }
    }
  }

  const fingerprints = get(result, 'partialFingerprints');
  if (!nonEmptyString(get(fingerprints, FINGERPRINT_KEY))) fail(`${at}.partialFingerprints`, `missing "${FINGERPRINT_KEY}"`);
  // Option (a) of CONVENTIONS.md §1.4: upload-sarif computes primaryLocationLineHash; we never write one.
  if (get(fingerprints, 'primaryLocationLineHash') !== undefined) {
    fail(`${at}.partialFingerprints.primaryLocationLineHash`, 'must be left to upload-sarif');
  }
}

type SortKey = [string, number, number, string];

function sortKey(result: unknown): SortKey {
  const physical = get(result, 'locations', 0, 'physicalLocation');
  return [
    String(get(physical, 'artifactLocation', 'uri') ?? ''),
    Number(get(physical, 'region', 'startLine') ?? 0),
    Number(get(physical, 'region', 'startColumn') ?? 0),
    String(get(result, 'ruleId') ?? ''),
  ];
}

function compareKeys(a: SortKey, b: SortKey): number {
  const text = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return text(a[0], b[0]) || a[1] - b[1] || a[2] - b[2] || text(a[3], b[3]);
}

/** Throws, listing every violation, unless the log meets the GitHub contract (CONVENTIONS.md §1.12). */
export function assertGithubContract(sarif: unknown): void {
  const problems = githubContractViolations(sarif);
  if (problems.length > 0) {
    throw new Error(`SARIF breaks the GitHub code-scanning contract:\n- ${problems.join('\n- ')}`);
  }
}

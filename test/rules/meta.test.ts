import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PackRule } from '../../src/engine/packs.js';
import type { Inventory } from '../../src/inventory/model.js';
import { tool, withTools } from '../helpers/inventory.js';
import { builtinRules, concernOf, findingsOf, recordedCases } from '../helpers/rule-tester.js';

// Reads every RuleTester case (without running it) and fails on gaps: a rule without a valid or an
// invalid case, a declared message id no invalid case expects, a case of a rule that does not exist,
// a doc example that is not caught ('bad') or is reported ('good').
await import('./cases/index.js');

const here = dirname(fileURLToPath(import.meta.url));
const cases = recordedCases();
const rules = builtinRules();
const concerns = [...new Set(rules.map((rule) => concernOf(rule.id)))].sort();

/**
 * A doc example that is a tool, a tool's input schema or a `"description": ...` fragment becomes a
 * one-tool live inventory; any other example (source snippets, HTTP exchanges, lockfile diffs,
 * config excerpts) is prose and is shown by a case tagged `docExample` in its rule's cases instead.
 */
export function exampleFacts(text: string): Inventory | undefined {
  // A placeholder (`<3,500 characters of …>`) stands for text the example does not spell out.
  if (/<[^>]*\bcharacters\b[^>]*>/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim().startsWith('"description"') ? `{${text}}` : text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const json = parsed as Record<string, unknown>;
  if (typeof json.name === 'string' && !('dependencies' in json) && !('version' in json)) return withTools(tool(json.name, json));
  if ('properties' in json || json.type === 'object') return withTools(tool('example', { inputSchema: json }));
  if (typeof json.description === 'string' && Object.keys(json).length === 1) return withTools(tool('example', { description: json.description }));
  return undefined;
}

// A rule that judges the live listing (alone or beside other evidence) can be shown its tool JSON example.
const isLive = (rule: PackRule) => rule.facts.includes('live');

function gaps(): string[] {
  const found: string[] = [];
  for (const concern of concerns) {
    const own = cases.filter((c) => c.ruleId === concern);
    if (!own.some((c) => c.kind === 'valid')) found.push(`${concern}: no valid case`);
    if (!own.some((c) => c.kind === 'invalid')) found.push(`${concern}: no invalid case`);
    const exercised = new Set(own.filter((c) => c.kind === 'invalid').flatMap((c) => c.messageIds));
    for (const rule of rules.filter((r) => concernOf(r.id) === concern)) {
      for (const messageId of Object.keys(rule.messages)) if (!exercised.has(messageId)) found.push(`${concern}: message ${messageId} never expected`);
      for (const which of ['bad', 'good'] as const) {
        const example = rule.examples?.[which];
        if (example === undefined) continue;
        const mechanical = isLive(rule) && exampleFacts(example) !== undefined;
        if (!mechanical && !own.some((c) => c.docExample === which && c.kind === (which === 'bad' ? 'invalid' : 'valid')))
          found.push(`${concern}: examples.${which} shown by no case`);
      }
    }
  }
  return [...new Set(found)];
}

/**
 * Gaps known when the RuleTester landed (issue 13); each one closes by adding the case. The test
 * compares exactly: a new gap fails, and so does a closed one still listed here.
 */
const PENDING: readonly string[] = JSON.parse(readFileSync(join(here, 'pending-cases.json'), 'utf8')) as string[];

describe('RuleTester meta-test', () => {
  it('the case index imports every case file', () => {
    const files = readdirSync(join(here, 'cases'))
      .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
      .sort();
    const index = readFileSync(join(here, 'cases', 'index.ts'), 'utf8');
    expect(files.filter((name) => !index.includes(`'./${name.replace(/\.ts$/, '.js')}'`))).toEqual([]);
  });

  it('a fixture line tagged examples.bad/good holds that example, verbatim (whitespace aside)', () => {
    const normal = (text: string) => text.replace(/\s+/g, ' ').trim();
    const wrong = cases
      .filter((c) => c.code !== undefined && c.docExample !== undefined)
      .filter((c) => {
        const example = rules.find((rule) => concernOf(rule.id) === c.ruleId && rule.facts.includes('source'))?.examples?.[c.docExample!];
        return example === undefined || !normal(c.code!).includes(normal(example.split('\n')[0]!));
      })
      .map((c) => `${c.ruleId} examples.${c.docExample} at ${c.name}`);
    expect(wrong).toEqual([]);
  });

  it('every case belongs to a loaded rule', () => {
    expect([...new Set(cases.map((c) => c.ruleId))].filter((id) => !concerns.includes(id))).toEqual([]);
  });

  it('every rule has a valid and an invalid case, every message id is expected, every doc example is shown', () => {
    // `UPDATE_PENDING=1` rewrites the list after cases were added (review the diff: it may only shrink).
    if (process.env.UPDATE_PENDING === '1') writeFileSync(join(here, 'pending-cases.json'), `${JSON.stringify(gaps(), null, 2)}\n`);
    expect(gaps()).toEqual([...PENDING]);
  });

  const mechanical = rules.filter(isLive).flatMap((rule) =>
    (['bad', 'good'] as const).flatMap((which) => {
      const facts = rule.examples?.[which] === undefined ? undefined : exampleFacts(rule.examples[which]);
      return facts === undefined ? [] : [{ id: rule.id, which, facts }];
    }),
  );
  it.each(mechanical)('$id: examples.$which is judged as documented', async ({ id, which, facts }) => {
    const findings = await findingsOf(concernOf(id), facts);
    if (which === 'bad') expect(findings.map((f) => f.ruleId)).toContain(id);
    else expect(findings.map((f) => f.message)).toEqual([]);
  });
});

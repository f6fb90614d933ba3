// Fuzzing list pages as a server could send them (issue 12, Build 10): arbitrary JSON where tools,
// resources, templates and prompts go must never crash normalisation, a rule, the risk ranking or a
// reporter: malformed items become findings, the rest is judged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseItems } from '../../src/discovery/normalise.js';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import { decideGate } from '../../src/gate/gate.js';
import type { Capability, ListKind } from '../../src/inventory/model.js';
import { riskInventory } from '../../src/inventory/risk.js';
import { renderInventoryText } from '../../src/report/inventory-text.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import type { CheckReport } from '../../src/report/types.js';
import { inventory } from '../helpers/inventory.js';
import { FUZZ_TIMEOUT_MS, fuzzParameters, pages, type Pages } from './arbitraries.js';

const rules = loadBuiltinRules();
const LISTS: ListKind[] = ['tools', 'resources', 'resourceTemplates', 'prompts'];

/** Discovery's path from raw pages to a judged, rendered report, in process. */
function scanPages(served: Pages): { outputs: string[]; capabilities: number; malformed: number } {
  const normalised = Object.fromEntries(
    LISTS.map((list) => [
      list,
      normaliseItems<Capability>(
        list,
        served[list].map((raw, index) => ({ raw, page: 1, index })),
      ),
    ]),
  ) as Record<ListKind, ReturnType<typeof normaliseItems<Capability>>>;
  const scanned = inventory({
    server: {
      info: { name: 'fuzz' },
      capabilities: { tools: {}, resources: {}, prompts: {} },
      protocolVersion: '2025-11-25',
      era: 'legacy',
      transport: 'stdio',
    },
    tools: normalised.tools.capabilities as never,
    resources: normalised.resources.capabilities as never,
    resourceTemplates: normalised.resourceTemplates.capabilities as never,
    prompts: normalised.prompts.capabilities as never,
    malformed: LISTS.flatMap((list) => normalised[list].malformed),
  });
  scanned.risk = riskInventory(scanned);
  const run = runRules(scanned, rules, { targetId: 'fuzz' });
  const report: CheckReport = {
    toolVersion: '0.0.0-fuzz',
    rules,
    targets: [
      {
        target: scanned.target,
        inventory: scanned,
        findings: run.findings,
        outcomes: run.outcomes,
        anchor: { location: { file: '/tmp/fuzz/server.js', line: 1, column: 1 }, why: 'fallback' },
      },
    ],
    gate: decideGate(run.findings, 0, { failOn: 'error' }),
    sarifRoot: '/tmp/fuzz',
  };
  const outputs = [
    renderJson(report),
    renderSarif(report),
    renderText(report, { color: false }),
    renderMarkdown(report),
    renderInventoryText(scanned, { color: false }),
  ];
  const capabilities = LISTS.reduce((sum, list) => sum + normalised[list].capabilities.length, 0);
  return { outputs, capabilities, malformed: scanned.malformed.length };
}

describe('fuzz: list pages as a server could send them', () => {
  it(
    'never throws from normalisation, rules, risk ranking or any reporter; every item is kept or reported malformed',
    () => {
      fc.assert(
        fc.property(pages, (served) => {
          const { outputs, capabilities, malformed } = scanPages(served);
          const servedCount = LISTS.reduce((sum, list) => sum + served[list].length, 0);
          // An item is a capability, a malformed record, or both (kept with its problems noted).
          expect(capabilities + malformed).toBeGreaterThanOrEqual(servedCount);
          for (const output of outputs) expect(typeof output).toBe('string');
          JSON.parse(outputs[0]!);
          JSON.parse(outputs[1]!);
        }),
        fuzzParameters(80),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

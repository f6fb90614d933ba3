import { describe, expect, it } from 'vitest';
import { renderJson, type ReportJson } from '../../src/report/json.js';
import { RULES, report } from './fixture.js';

describe('renderJson', () => {
  const text = renderJson(report());
  const json = JSON.parse(text) as ReportJson;

  it('has the documented, versioned top-level shape', () => {
    expect(Object.keys(json)).toEqual(['schemaVersion', 'tool', 'gate', 'targets', 'rules']);
    expect(json.schemaVersion).toBe(1);
    expect(json.tool).toEqual({ name: 'mcp-preflight', version: '0.1.0' });
    expect(json.gate).toEqual({
      passed: false,
      exitCode: 3,
      failOn: 'error',
      counts: { error: 2, warning: 1, note: 0 },
      reasons: ['2 errors at or above fail-on: error', 'target Remote B could not be discovered'],
    });
    expect(json.rules).toEqual([...RULES].sort((a, b) => (a.id < b.id ? -1 : 1)).map(({ id, level, title }) => ({ id, level, title })));
  });

  it('lists each target with inventory or failure, sorted findings and outcomes', () => {
    const [good, failed] = json.targets;
    expect(Object.keys(good!)).toEqual(['target', 'inventory', 'failure', 'findings', 'outcomes']);
    expect(good!.failure).toBeNull();
    expect(good!.inventory?.server.info.name).toBe('demo-server');
    expect(good!.findings.map((f) => f.ruleId)).toEqual(['design/shell-like-tool', 'schema/missing-input-schema', 'secrets/hardcoded-secret']);
    expect(good!.outcomes.map((o) => o.ruleId)).toEqual([
      'design/shell-like-tool',
      'repo/missing-security-policy',
      'schema/missing-input-schema',
      'secrets/hardcoded-secret',
    ]);
    expect(failed!.inventory).toBeNull();
    expect(failed!.failure?.message).toMatch(/^Could not connect/);
    expect(failed!.findings).toEqual([]);
  });

  it('is pretty-printed and deterministic', () => {
    expect(text.startsWith('{\n  "schemaVersion": 1,')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    const shuffled = report({ rules: [...RULES].reverse() });
    shuffled.targets[0]!.findings.reverse();
    shuffled.targets[0]!.outcomes.reverse();
    expect(renderJson(shuffled)).toBe(text);
  });
});

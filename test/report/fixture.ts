import type { Finding, RuleMeta } from '../../src/engine/types.js';
import type { Inventory, TargetDescription } from '../../src/inventory/model.js';
import type { CheckReport, TargetResult } from '../../src/report/types.js';

/** A hand-built CheckReport: one target with findings, one that failed discovery. */

export const ROOT = '/home/ci/work/my repo';

export function rule(id: string, overrides: Partial<RuleMeta> = {}): RuleMeta {
  const [pack = 'design'] = id.split('/');
  return {
    id,
    pack,
    level: 'warning',
    title: `Title of ${id}`,
    rationale: `Why ${id} matters.`,
    fix: `How to fix ${id}.`,
    references: [{ title: 'MCP specification', url: 'https://modelcontextprotocol.io/specification' }],
    tags: ['mcp'],
    facts: ['live'],
    securitySeverity: '5.5',
    precision: 'high',
    messages: { default: 'Something about {{name}}.' },
    check: id.replace('/', '-'),
    ...overrides,
  };
}

export function finding(ruleId: string, overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    level: 'warning',
    messageId: 'default',
    message: `Finding of ${ruleId}.`,
    data: {},
    capability: { kind: 'server' },
    fingerprint: `fp-${ruleId}`,
    evidenceKind: 'live',
    ...overrides,
  };
}

export function inventory(target: TargetDescription, overrides: Partial<Inventory['server']> = {}): Inventory {
  return {
    schemaVersion: 1,
    tool: { name: 'mcp-preflight', version: '0.1.0' },
    target,
    facts: ['live'],
    server: {
      info: { name: 'demo-server', version: '1.2.3' },
      capabilities: { tools: {} },
      protocolVersion: '2025-06-18',
      era: 'modern',
      transport: target.kind === 'stdio' ? 'stdio' : 'streamable-http',
      ...overrides,
    },
    tools: [],
    resources: [],
    resourceTemplates: [],
    prompts: [],
    malformed: [],
    listings: [],
    stdoutNoise: { lines: 0, samples: [] },
    logNotifications: [],
    timings: { connectMs: 10, listMs: 5, totalMs: 15 },
  };
}

export const RULES: RuleMeta[] = [
  rule('design/shell-like-tool', { level: 'error', securitySeverity: '8.1', tags: ['security', 'mcp', 'external/cwe/cwe-78'] }),
  rule('schema/missing-input-schema'),
  rule('secrets/hardcoded-secret', { level: 'error', securitySeverity: '7.5', tags: ['security', 'mcp'] }),
  rule('repo/missing-security-policy', { level: 'note', securitySeverity: '2.0', facts: ['repo'] }),
];

export function goodTarget(): TargetResult {
  const target: TargetDescription = {
    kind: 'stdio',
    name: 'Server A',
    command: 'node',
    args: ['server.js'],
    cwd: ROOT,
    envNames: [],
  };
  return {
    target,
    inventory: inventory(target),
    findings: [
      finding('schema/missing-input-schema', {
        capability: { kind: 'tool', name: 'add_numbers' },
        message: 'Tool add_numbers has no input schema.',
        fingerprint: 'b'.repeat(64),
      }),
      finding('secrets/hardcoded-secret', {
        level: 'error',
        capability: { kind: 'tool', name: 'add_numbers' },
        message: 'Hard-coded secret sk-****abcd in the tool handler.',
        field: 'handler',
        evidence: 'sk-****abcd',
        location: { file: `${ROOT}/src/my tools/add.ts`, line: 12, column: 7, endLine: 12, endColumn: 30 },
        fingerprint: 'a'.repeat(64),
      }),
      finding('design/shell-like-tool', {
        level: 'error',
        capability: { kind: 'tool', name: 'run_command' },
        message: 'Tool run_command looks like a shell.',
        field: 'description',
        evidence: 'Runs any shell command',
        fingerprint: 'c'.repeat(64),
      }),
    ],
    outcomes: [
      { ruleId: 'schema/missing-input-schema', status: 'ran', findings: 1 },
      { ruleId: 'repo/missing-security-policy', status: 'skipped', reason: 'no repo facts' },
      { ruleId: 'design/shell-like-tool', status: 'ran', findings: 1 },
      { ruleId: 'secrets/hardcoded-secret', status: 'ran', findings: 1 },
    ],
    anchor: { location: { file: `${ROOT}/.mcp.json`, line: 4, column: 5 }, why: 'config' },
  };
}

export function failedTarget(): TargetResult {
  const target: TargetDescription = { kind: 'http', name: 'Remote B', url: 'https://mcp.example.com/mcp', headerNames: [] };
  return {
    target,
    failure: {
      message: 'Could not connect to https://mcp.example.com/mcp: connection refused; is the server running?',
      stderrTail: 'Error: listen EADDRINUSE\n    at Server.listen',
    },
    findings: [],
    outcomes: RULES.map((meta) => ({ ruleId: meta.id, status: 'skipped' as const, reason: 'target not discovered' })),
    anchor: { location: { file: `${ROOT}/.mcp.json`, line: 9, column: 5 }, why: 'config' },
  };
}

export function report(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    toolVersion: '0.1.0',
    rules: RULES,
    targets: [goodTarget(), failedTarget()],
    gate: {
      passed: false,
      exitCode: 3,
      failOn: 'error',
      counts: { error: 2, warning: 1, note: 0 },
      reasons: ['2 errors at or above fail-on: error', 'target Remote B could not be discovered'],
    },
    sarifRoot: ROOT,
    ...overrides,
  };
}

// Kill-switch and audit facts found by source analysis, and the source rules of the killswitch and
// audit packs on fixture projects (`// BAD: <rule>` marks where each rule must report).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import type { Finding, RuleOutcome } from '../../src/engine/types.js';
import type { Inventory } from '../../src/inventory/model.js';
import { sourceOnlyInventory } from '../../src/source/index.js';
import { repoRoot } from '../helpers/fixtures.js';

const projects = resolve(repoRoot, 'fixtures', 'projects');
const PACKS = ['killswitch', 'audit'];
const readinessRules = () => loadBuiltinRules().filter((rule) => PACKS.includes(rule.pack));

interface Run {
  inventory: Inventory;
  findings: Finding[];
  outcomes: RuleOutcome[];
}

async function run(project: string, adjust?: (inventory: Inventory) => void): Promise<Run> {
  const inventory = await sourceOnlyInventory(join(projects, project));
  adjust?.(inventory);
  return { inventory, ...runRules(inventory, readinessRules(), { targetId: project }) };
}

function markers(project: string): Array<{ file: string; line: number; rule: string }> {
  const directory = join(projects, project, 'src');
  return readdirSync(directory).flatMap((name) =>
    readFileSync(join(directory, name), 'utf8')
      .split('\n')
      .flatMap((text, index) => [...text.matchAll(/BAD: ([a-z-]+)/g)].map((match) => ({ file: join(directory, name), line: index + 1, rule: match[1]! }))),
  );
}

const summary = (findings: Finding[]) => findings.map((finding) => `${finding.ruleId} ${finding.capability.name ?? 'server'}:${finding.location?.line}`).sort();

describe('source facts for kill switches and audit events', () => {
  let good: Inventory;
  let bad: Inventory;
  let filter: Inventory;
  beforeAll(async () => {
    [good, bad, filter] = (await Promise.all(
      ['readiness-good', 'readiness-bad', 'killswitch-filter'].map((project) => sourceOnlyInventory(join(projects, project))),
    )) as [Inventory, Inventory, Inventory];
  });

  const registration = (inventory: Inventory, name: string) => inventory.source!.registrations.find((candidate) => candidate.name === name)!;

  it('records what a registration condition reads (env, config) and a condition that reads neither', () => {
    expect(registration(good, 'delete_record').condition).toEqual({ text: "process.env.ENABLE_DELETE === '1'", reads: ['process.env.ENABLE_DELETE'] });
    expect(registration(good, 'post_webhook').condition?.reads).toEqual(['settings.webhooks.enabled']);
    expect(registration(bad, 'post_webhook').condition).toEqual({ text: "process.platform !== 'win32'", reads: [] });
    expect(registration(bad, 'delete_record').conditional).toBe(false);
    // Registered in a function whose every call is under a config condition (another module).
    expect(registration(good, 'purge_cache').condition).toEqual({
      text: 'registerAdminTools() called under settings.admin.enabled',
      reads: ['settings.admin.enabled'],
    });
  });

  it('ties RegisteredTool.disable() to the registration it was called on', () => {
    expect(registration(good, 'run_script').toggles?.map((site) => [site.what, site.detail.action])).toEqual([['runScript.disable', 'disable']]);
    expect(registration(good, 'update_record').toggles).toBeUndefined();
  });

  it('finds a start-up guard on a switch-like flag, and ignores a required-setting check', () => {
    const guards = good.source!.sites.filter((site) => site.kind === 'startup-guard');
    expect(guards.map((site) => [site.what, site.detail.form, site.detail.start])).toEqual([['settings.disabled', 'exit-before-start', 'app.listen']]);
    expect(bad.source!.sites.filter((site) => site.kind === 'startup-guard')).toEqual([]);
  });

  it('records tool allow/deny lists and the fields of audit events', () => {
    expect(filter.source!.sites.filter((site) => site.kind === 'capability-filter').map((site) => [site.what, site.detail.form])).toContainEqual([
      'config.disabledTools',
      'capability-list',
    ]);
    const events = bad
      .source!.sites.filter((site) => site.kind === 'audit-event')
      .map((site) => [site.what, site.detail.structured, site.detail.decision, site.detail.outcome, site.detail.fields]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['audit', false, false, false, ''],
        ['audit', true, false, true, 'tool,status'],
      ]),
    );
    const delegated = good.source!.sites.filter((site) => site.kind === 'audit-event');
    expect(delegated.every((site) => site.detail.decision === true && site.detail.outcome === true)).toBe(true);
    expect(delegated.length).toBe(4);
  });
});

describe('code around a handler (fixtures/projects/audit-around)', () => {
  it('a dispatcher branch carries the common path, a loop-registered definition the wrapper that reads its handler property', async () => {
    const { inventory } = await run('audit-around');
    const handler = (name: string) => inventory.source!.registrations.find((registration) => registration.name === name)!.handler!;
    const around = (name: string) =>
      handler(name)
        .around?.reaches.filter((site) => site.kind === 'audit-event' || site.kind === 'log-call')
        .map((site) => site.what);
    expect(around('save_note')).toEqual(['trackToolCall']);
    expect(handler('save_note').reaches.some((site) => site.kind === 'audit-event')).toBe(false);
    // Only another branch records its call: the common path of this dispatcher records nothing.
    expect(around('update_note')).toEqual([]);
    expect(handler('create_label').around).toMatchObject({ what: 'server.registerTool' });
    expect(around('create_label')).toEqual(['logger.info']);
    expect(around('delete_label')).toEqual([]);
    // The loop's `registered.disable()` switches off what it registers, tied by the handler property it reads.
    const toggles = (name: string) => inventory.source!.registrations.find((registration) => registration.name === name)!.toggles?.map((site) => site.what);
    expect(toggles('purge_labels')).toEqual(['registered.disable']);
    expect(toggles('delete_label')).toBeUndefined();
  });

  it('call records are audit events: trackToolCall(...), toolHistory.addCall(...); reading the history is not', async () => {
    const root = mkdtempSync(join(tmpdir(), 'preflight-call-records-'));
    writeFileSync(join(root, 'package.json'), '{ "name": "records", "type": "module" }');
    writeFileSync(
      join(root, 'server.mjs'),
      [
        "import { trackToolCall, toolHistory } from './history.mjs';",
        "trackToolCall('x', {});",
        "toolHistory.addCall('x', {}, 'ok', 3);",
        'toolHistory.getRecentCalls();',
        "recordToolInvocation({ tool: 'x', status: 'success' });",
        '',
      ].join('\n'),
    );
    const inventory = await sourceOnlyInventory(root);
    expect(inventory.source!.sites.filter((site) => site.kind === 'audit-event').map((site) => site.what)).toEqual([
      'trackToolCall',
      'toolHistory.addCall',
      'recordToolInvocation',
    ]);
  });
});

describe('other switch shapes', () => {
  it('sees update({ enabled }), .enabled =, a chained disable(), argv flags and a start under a switch', async () => {
    const root = mkdtempSync(join(tmpdir(), 'preflight-switch-shapes-'));
    writeFileSync(join(root, 'package.json'), '{ "name": "shapes", "type": "module" }');
    writeFileSync(
      join(root, 'server.ts'),
      [
        "const drop = server.registerTool('drop_table', { description: 'Drops.' }, async () => ({ content: [] }));",
        "const wipe = server.registerTool('wipe_disk', { description: 'Wipes.' }, async () => ({ content: [] }));",
        "server.registerTool('kill_job', { description: 'Kills.' }, async () => ({ content: [] })).disable();",
        "if (process.argv.includes('--no-exec')) drop.update({ enabled: false });",
        'wipe.enabled = false;',
        'if (!process.env.MCP_OFF) await server.connect(new StdioServerTransport());',
        '',
      ].join('\n'),
    );
    const inventory = await sourceOnlyInventory(root);
    const toggles = (name: string) =>
      inventory.source!.registrations.find((registration) => registration.name === name)!.toggles?.map((site) => site.detail.action);
    expect(toggles('drop_table')).toEqual(['update']);
    expect(toggles('wipe_disk')).toEqual(['enabled']);
    expect(toggles('kill_job')).toEqual(['disable']);
    expect(inventory.source!.sites.filter((site) => site.kind === 'startup-guard').map((site) => [site.detail.form, site.detail.reads])).toEqual([
      ['conditional-start', 'process.env.MCP_OFF'],
    ]);
    expect(
      runRules(
        inventory,
        readinessRules().filter((rule) => rule.pack === 'killswitch'),
        { targetId: 'shapes' },
      ).findings,
    ).toEqual([]);
  });

  it('sees a guard before an mcp-framework start(), and no guard without it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'preflight-switch-shapes-'));
    writeFileSync(join(root, 'package.json'), '{ "name": "shapes", "type": "module" }');
    const source =
      "import { MCPServer } from 'mcp-framework';\nconst server = new MCPServer();\nif (process.env.MAINTENANCE_MODE === 'on') throw new Error('in maintenance');\nserver.start();\n";
    writeFileSync(join(root, 'index.ts'), source);
    const guarded = await sourceOnlyInventory(root);
    expect(guarded.source!.sites.filter((site) => site.kind === 'startup-guard').map((site) => site.detail.start)).toEqual(['server.start']);
    writeFileSync(join(root, 'index.ts'), source.replace(/^if .*\n/m, ''));
    const unguarded = await sourceOnlyInventory(root);
    expect(runRules(unguarded, readinessRules(), { targetId: 'x' }).findings.map((finding) => finding.ruleId)).toEqual(['killswitch/no-server-switch']);
  });

  it("does not take zod's .readonly() for a read-only mode, and counts a notifications/message log", async () => {
    const root = mkdtempSync(join(tmpdir(), 'preflight-switch-shapes-'));
    writeFileSync(join(root, 'package.json'), '{ "name": "shapes", "type": "module" }');
    writeFileSync(
      join(root, 'server.ts'),
      [
        'const Args = z.object({ id: z.string() }).readonly();',
        "server.registerTool('delete_user', { description: 'Deletes.', inputSchema: Args }, async ({ id }, extra) => {",
        "  await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: { deleted: id } } });",
        '  return { content: [] };',
        '});',
        '',
      ].join('\n'),
    );
    const inventory = await sourceOnlyInventory(root);
    expect(inventory.source!.sites.filter((site) => site.kind === 'capability-filter')).toEqual([]);
    const findings = runRules(inventory, readinessRules(), { targetId: 'shapes' }).findings;
    expect(findings.map((finding) => finding.ruleId)).toEqual(['killswitch/no-capability-switch']);
  });
});

describe('killswitch and audit source rules', () => {
  it('report every planted problem on its line, and nothing else', async () => {
    for (const project of ['readiness-bad', 'killswitch-filter']) {
      const { findings } = await run(project);
      const planted = markers(project);
      const found = findings.map((finding) => `${finding.ruleId.split('/')[1]} ${finding.location!.file}:${finding.location!.line}`).sort();
      expect(found).toEqual(planted.map((marker) => `${marker.rule} ${marker.file}:${marker.line}`).sort());
    }
  });

  it('name the message variants: console only, a condition that is not a switch, unstructured and incomplete events', async () => {
    const { findings } = await run('readiness-bad');
    const byId = (name: string, messageId: string) => findings.find((finding) => finding.capability.name === name && finding.messageId === messageId);
    expect(byId('run_script', 'consoleOnly')?.message).toMatch(/logs only through console\.error/);
    expect(byId('delete_record', 'noAuditLog')?.message).toMatch(/destructive: name verb "delete"/);
    expect(byId('post_webhook', 'conditionNotSwitch')?.message).toMatch(/process\.platform !== 'win32'/);
    expect(
      findings
        .filter((finding) => finding.ruleId === 'audit/incomplete-audit-event')
        .map((finding) => finding.messageId)
        .sort(),
    ).toEqual(['missingFields', 'unstructured']);
    expect(findings.find((finding) => finding.messageId === 'missingFields')?.message).toMatch(/does not record the decision \(allowed\/denied\)\.$/);
  });

  it('pass the project with switches and audit events (env condition, disable(), config condition, start-up guard)', async () => {
    const { findings, outcomes } = await run('readiness-good');
    expect(summary(findings)).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.ruleId !== 'killswitch/ineffective-switch').every((outcome) => outcome.status === 'ran')).toBe(true);
  });

  it('count a switch declared in the config for a capability or the server', async () => {
    const { findings } = await run('readiness-bad', (inventory) => {
      inventory.killSwitches = {
        declared: { server: { env: { MCP_DISABLED: '1' }, args: [] }, capabilities: { delete_record: { env: { READONLY: '1' }, args: [] } } },
      };
    });
    const killswitch = summary(findings.filter((finding) => finding.ruleId.startsWith('killswitch/')));
    expect(killswitch).toEqual(['killswitch/no-capability-switch post_webhook:35', 'killswitch/no-capability-switch run_script:23']);
  });

  it('skip with a reason when no registration of a risky tool was found (names computed at run time)', async () => {
    const { outcomes } = await run('readiness-bad', (inventory) => {
      inventory.source!.registrations = [];
    });
    expect(outcomes).toEqual(
      expect.arrayContaining([
        {
          ruleId: 'killswitch/no-capability-switch',
          status: 'skipped',
          reason: expect.stringMatching(/registrations of delete_record, .* were not found in source/),
        },
        {
          ruleId: 'audit/write-tool-without-audit-log',
          status: 'skipped',
          reason: expect.stringMatching(/handlers of the state-changing tools \(delete_record, .*\) were not found/),
        },
      ]),
    );
  });

  it('skip with a reason where the rule does not apply (stdio server, no audit call)', async () => {
    const { outcomes } = await run('killswitch-filter');
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { ruleId: 'audit/no-structured-logger', status: 'skipped', reason: expect.stringMatching(/not an HTTP server/) },
        { ruleId: 'audit/incomplete-audit-event', status: 'skipped', reason: expect.stringMatching(/no audit function/) },
      ]),
    );
  });
});

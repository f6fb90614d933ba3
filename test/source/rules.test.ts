import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackRule } from '../../src/engine/packs.js';
import { runRules } from '../../src/engine/run.js';
import { sourceOnlyInventory } from '../../src/source/index.js';
import { builtinRules, projectsDir, sourceRules } from '../helpers/rule-tester.js';

// What each source rule reports, line by line, is pinned by the two-way markers of
// test/rules/cases/source-fixtures.ts; these tests are the wiring around it.
const REGISTRATION_LEVEL = ['auth/missing-per-call-authorization'];
// Rules about a slow statement point at it; the registration is the related location the engine adds.
const STATEMENT_LEVEL = ['runtime/no-handler-timeout', 'runtime/no-concurrency-guard'];

describe('source rules on fixture projects (source-only inventory)', () => {
  it('registration-level rules point at the registering line of their tool', async () => {
    const inventory = await sourceOnlyInventory(join(projectsDir, 'rules-bad'));
    const findings = runRules(inventory, sourceRules(), { targetId: 'rules-bad' }).findings.filter((f) => REGISTRATION_LEVEL.includes(f.ruleId));
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(REGISTRATION_LEVEL));
    const text = readFileSync(join(projectsDir, 'rules-bad', 'src', 'server.ts'), 'utf8').split('\n');
    for (const finding of findings) expect(text[finding.location!.line - 1]).toContain(`'${finding.capability.name}'`);
  });

  it('slow-statement rules point at the statement, with the registering line as a related location', async () => {
    const inventory = await sourceOnlyInventory(join(projectsDir, 'rules-bad'));
    const findings = runRules(inventory, sourceRules(), { targetId: 'rules-bad' }).findings.filter((f) => STATEMENT_LEVEL.includes(f.ruleId));
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(STATEMENT_LEVEL));
    const lines = (file: string) => readFileSync(file, 'utf8').split('\n');
    for (const finding of findings) {
      expect(lines(finding.location!.file)[finding.location!.line - 1]).toMatch(/fetch\(|exec\(|\.query\(/);
      const registered = finding.relatedLocations?.find((related) => related.message === `tool "${finding.capability.name}" is registered here`);
      expect(registered, `${finding.ruleId} ${finding.capability.name}`).toBeDefined();
      expect(lines(registered!.location.file)[registered!.location.line - 1]).toContain(`'${finding.capability.name}'`);
    }
  });

  it('judges the source-only inventory with the capability rules too (origin: source)', async () => {
    const inventory = await sourceOnlyInventory(join(projectsDir, 'rules-bad'));
    expect(inventory.target.kind).toBe('source');
    expect(inventory.facts).toEqual(['source']);
    expect(inventory.tools.map((tool) => tool.name).sort()).toEqual(['calc', 'env', 'fetch_page', 'query', 'read_file', 'run']);
    expect(inventory.tools.every((tool) => tool.origin.source !== undefined && tool.origin.live === undefined)).toBe(true);
    const run = runRules(
      inventory,
      builtinRules().filter((rule) => rule.id === 'design/shell-like-tool'),
      { targetId: 'x' },
    );
    // One rule, both kinds of evidence: the listing built from source (the `command` parameter, at
    // the registration) and the handler's exec call in upstream.ts.
    expect(run.outcomes).toEqual([{ ruleId: 'design/shell-like-tool', status: 'ran', findings: 2 }]);
    const registration =
      readFileSync(join(projectsDir, 'rules-bad/src/server.ts'), 'utf8')
        .split('\n')
        .findIndex((line) => line.includes("'run'")) + 1;
    const places = run.findings.map((finding) => `${finding.messageId} ${finding.location?.file.split('/').pop()}:${finding.location?.line}`).sort();
    const execLine =
      readFileSync(join(projectsDir, 'rules-bad/src/upstream.ts'), 'utf8')
        .split('\n')
        .findIndex((line) => line.includes('exec(command')) + 1;
    expect(places).toEqual([`commandParameter server.ts:${registration}`, `shellCommand upstream.ts:${execLine}`].sort());
  });
});

describe('neutral facts the source rules judge', () => {
  it('every callee as written, per project and per handler, and the files the stdio transport loads', async () => {
    const facts = (await sourceOnlyInventory(join(projectsDir, 'rules-bad'))).source!;
    expect(facts.calls).toEqual([...new Set(facts.calls)].sort());
    expect(facts.calls).toEqual(expect.arrayContaining(['express', 'app.listen', 'new StdioServerTransport']));
    const run = facts.registrations.find((registration) => registration.name === 'run')!;
    expect(run.handler?.calls).toEqual(expect.arrayContaining(['runShell', 'exec']));
    expect(facts.stdioModules?.map((file) => file.split(/[\\/]/).at(-1))).toEqual(['stdio.ts']);
  });

  it("the server's files and a bundle's inlined dependencies: a setup bin outside, each site's bundled package", async () => {
    const facts = (await sourceOnlyInventory(join(projectsDir, 'code-scope'))).source!;
    // build/setup.js is a bin of its own: the server (build/index.js) never loads it.
    expect(facts.serverModules?.map((file) => file.split(/[\\/]/).slice(-2).join('/'))).toEqual(['build/index.js']);
    const at = (line: number) => facts.sites.filter((site) => site.location.file.endsWith('index.js') && site.location.line === line);
    expect(at(8).map((site) => [site.kind, site.bundled])).toEqual([['log-call', 'yaml']]);
    expect(at(21).map((site) => [site.kind, site.bundled])).toEqual([['query-read', '@supabase/storage-js']]);
    // The server's own modules (`// src/...`) are not bundled ones.
    expect(at(50).map((site) => [site.kind, site.bundled])).toEqual([['query-read', undefined]]);
    expect(at(31).map((site) => [site.kind, site.detail.method])).toEqual([['error-stack-returned', 'push']]);
  });

  it('error sites only start-up reaches: a function called from module top level alone, directly or through one that is', async () => {
    const startupOf = async (project: string, line: number) =>
      (await sourceOnlyInventory(join(projectsDir, project)))
        .source!.sites.filter((site) => site.kind === 'caught-error-returned' && site.location.line === line)
        .map((site) => site.detail.startup);
    // new Settings() in loadSettings(), which only module top level calls.
    expect(await startupOf('code-scope-clean', 62)).toEqual([true]);
    // parseSettings() at top level and in the reload tool's handler.
    expect(await startupOf('code-scope', 71)).toEqual([undefined]);
  });

  it('Host header reads, and what their value is used for', async () => {
    const facts = (await sourceOnlyInventory(join(projectsDir, 'host-check'))).source!;
    expect(facts.sites.filter((site) => site.kind === 'host-header-read').map((site) => [site.what, site.detail.use])).toEqual([
      ['req.header', 'call isHostAllowed'],
      ['req.headers.host', 'other'],
    ]);
  });

  it('a finding on a handler statement names the registration as a related location', async () => {
    const inventory = await sourceOnlyInventory(join(projectsDir, 'rules-bad'));
    const [shell] = runRules(
      inventory,
      builtinRules().filter((rule) => rule.id === 'design/shell-like-tool'),
      { targetId: 'x' },
    ).findings.filter((finding) => finding.evidenceKind === 'source' && finding.messageId !== 'commandParameter');
    expect(shell?.location?.file).toMatch(/upstream\.ts$/);
    expect(shell?.relatedLocations).toEqual([
      { location: inventory.tools.find((tool) => tool.name === 'run')!.origin.source, message: 'tool "run" is registered here' },
    ]);
  });
});

describe('secrets/secret-logged: a value derived from a secret is not the secret', () => {
  it('records the derived forms around each read (Boolean(), typeof, !, .length) and judges them with derivedForms', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'mcp-preflight-logged-'));
    try {
      mkdirSync(join(directory, 'src'));
      writeFileSync(join(directory, 'package.json'), '{ "name": "logged", "type": "module" }');
      const code = [
        'const token = process.env.TOKEN ?? "";',
        "console.error('key set:', Boolean(process.env.API_KEY));",
        "console.error('type', typeof token, !!token, token.length);",
        "console.error('masked', mask(token));",
        "console.error('raw', String(token));",
        "console.error('key', process.env.API_KEY);",
        'function mask(value: string) { return value.slice(0, 2); }',
        '',
      ];
      writeFileSync(join(directory, 'src', 'server.ts'), code.join('\n'));
      const inventory = await sourceOnlyInventory(directory);
      const reads = inventory.source!.sites.filter((site) => site.kind === 'log-call' && site.location.line === 2).map((site) => site.detail.reads);
      expect(reads).toEqual(['identifier Boolean\nvia Boolean() property process.env.API_KEY API_KEY\nvia Boolean() via .API_KEY property process.env env']);
      const lines = (candidate: PackRule) =>
        runRules(inventory, [candidate], { targetId: 't' }).findings.map((finding) => `${finding.location?.line} ${String(finding.data.secret)}`);
      const secretLogged = builtinRules().find((rule) => rule.id === 'secrets/secret-logged')!;
      expect(lines(secretLogged)).toEqual(['4 token', '5 token', '6 process.env.API_KEY']);
      const masking = { ...secretLogged, options: { ...secretLogged.options, derivedForms: [...(secretLogged.options!.derivedForms as string[]), 'mask()'] } };
      expect(lines(masking)).toEqual(['5 token', '6 process.env.API_KEY']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('killswitch/no-capability-switch: a deny list named with a product prefix or a form suffix', () => {
  it('takes GITLAB_DENIED_TOOLS_REGEX for a tool filter, and not GITLAB_TOKEN', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'mcp-preflight-filter-'));
    const project = (envName: string) => {
      writeFileSync(join(directory, 'package.json'), '{ "name": "filter", "type": "module" }');
      writeFileSync(
        join(directory, 'server.ts'),
        [
          "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
          "import { z } from 'zod';",
          "const server = new McpServer({ name: 'filter', version: '1.0.0' });",
          `const denied = process.env.${envName} ? new RegExp(process.env.${envName}) : undefined;`,
          "if (!denied?.test('delete_project')) server.registerTool('delete_project', { inputSchema: { id: z.string() } }, async ({ id }) => ({ content: [{ type: 'text', text: id }] }));",
          '',
        ].join('\n'),
      );
    };
    const rule = builtinRules().find((candidate) => candidate.id === 'killswitch/no-capability-switch')!;
    const reported = async () => runRules(await sourceOnlyInventory(directory), [rule], { targetId: 't' }).findings.map((finding) => finding.capability.name);
    try {
      project('GITLAB_DENIED_TOOLS_REGEX');
      expect(await reported()).toEqual([]);
      project('GITLAB_TOKEN');
      expect(await reported()).toEqual(['delete_project']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

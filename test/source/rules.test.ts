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
      expect(lines(finding.location!.file)[finding.location!.line - 1]).toMatch(/fetch\(|exec\(|execFileSync\(|\.query\(/);
      const registered = finding.relatedLocations?.find((related) => related.message === `tool "${finding.capability.name}" is registered here`);
      expect(registered, `${finding.ruleId} ${finding.capability.name}`).toBeDefined();
      expect(lines(registered!.location.file)[registered!.location.line - 1]).toContain(`'${finding.capability.name}'`);
    }
  });

  it('judges the source-only inventory with the capability rules too (origin: source)', async () => {
    const inventory = await sourceOnlyInventory(join(projectsDir, 'rules-bad'));
    expect(inventory.target.kind).toBe('source');
    expect(inventory.facts).toEqual(['source']);
    expect(inventory.tools.map((tool) => tool.name).sort()).toEqual(['calc', 'env', 'fetch_page', 'pod_exec', 'query', 'read_file', 'run']);
    expect(inventory.tools.every((tool) => tool.origin.source !== undefined && tool.origin.live === undefined)).toBe(true);
    const run = runRules(
      inventory,
      builtinRules().filter((rule) => rule.id === 'design/shell-like-tool'),
      { targetId: 'x' },
    );
    // One rule, both kinds of evidence: the listing built from source (the `command` parameter, at
    // the registration) and the handler's exec call in upstream.ts; and pod_exec's `kubectl exec`
    // through a wrapper.
    expect(run.outcomes).toEqual([{ ruleId: 'design/shell-like-tool', status: 'ran', findings: 3 }]);
    const registration =
      readFileSync(join(projectsDir, 'rules-bad/src/server.ts'), 'utf8')
        .split('\n')
        .findIndex((line) => line.includes("'run'")) + 1;
    const places = run.findings.map((finding) => `${finding.messageId} ${finding.location?.file.split('/').pop()}:${finding.location?.line}`).sort();
    const execLine =
      readFileSync(join(projectsDir, 'rules-bad/src/upstream.ts'), 'utf8')
        .split('\n')
        .findIndex((line) => line.includes('exec(command')) + 1;
    const runnerLine =
      readFileSync(join(projectsDir, 'rules-bad/src/upstream.ts'), 'utf8')
        .split('\n')
        .findIndex((line) => line.includes('execFileSync(file, args')) + 1;
    expect(places).toEqual(
      [`commandParameter server.ts:${registration}`, `shellCommand upstream.ts:${execLine}`, `runnerCommand upstream.ts:${runnerLine}`].sort(),
    );
  });
});

describe('neutral facts the source rules judge', () => {
  it('where a whole read goes, what a wrapped spawn runs, and the if arm of a stdout write', async () => {
    const good = (await sourceOnlyInventory(join(projectsDir, 'rules-good'))).source!;
    const reads = (name: string) =>
      good.registrations
        .find((registration) => registration.name === name)!
        .handler!.reaches.filter((site) => site.kind === 'file-read-unbounded' || site.kind === 'body-read-unbounded')
        .map((site) => ({ what: site.what, flow: site.detail.flow, boundedBy: site.detail.boundedBy, consumedBy: site.detail.consumedBy }));
    // The project function named readFile is followed, not taken for fs.readFile.
    expect(reads('read_file')).toEqual([
      { what: 'fs.readFile', flow: 'not-returned', boundedBy: undefined, consumedBy: 'marked' },
      { what: 'fs.readFile', flow: 'bounded', boundedBy: 'slice', consumedBy: undefined },
    ]);
    const feedback = good.registrations.find((registration) => registration.name === 'send_feedback')!;
    expect(feedback.handler!.reaches.find((site) => site.kind === 'body-read-unbounded')?.detail).toMatchObject({ flow: 'returned', requestMethod: 'POST' });

    const bad = (await sourceOnlyInventory(join(projectsDir, 'rules-bad'))).source!;
    const spawn = bad.registrations.find((registration) => registration.name === 'pod_exec')!.handler!.reaches.find((site) => site.kind === 'process-spawn');
    expect(spawn?.detail).toEqual({ dynamicCommand: false, shell: false, program: 'kubectl', firstArgument: 'exec', argvDynamic: true, boundToCaller: true });
    const stdio = readFileSync(join(projectsDir, 'rules-bad/src/stdio.ts'), 'utf8').split('\n');
    const ifLine = stdio.findIndex((line) => line.startsWith("if (process.env.MCP_HTTP === '1')")) + 1;
    const arms = bad.sites
      .filter((site) => site.kind === 'log-call' && site.location.file.endsWith('stdio.ts') && site.location.line > ifLine)
      .map((site) => site.detail.branches);
    expect(arms).toEqual([`${ifLine}.1:then`, `${ifLine}.1:else`, undefined]);
  });

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
    ).findings.filter((finding) => finding.evidenceKind === 'source' && finding.messageId === 'shellCommand');
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

// Proves the fixture servers in fixtures/servers/ behave as their headers document, using the
// real SDK clients. If one of these fails, end-to-end results built on the fixture mean nothing.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { Client as V2Client } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { fixturePath, isAlive, startHttpFixture, waitForExit } from './helpers/fixtures.js';
import { FAKE_AWS_ACCESS_KEY_ID, FAKE_GITHUB_TOKEN, HIDDEN_TAG_TEXT, POISON_IGNORE_PREVIOUS, POISON_IMPORTANT } from '../fixtures/servers/lib/catalogues.mjs';

// SDK timeouts below only guard against a hang: these tests run concurrently, and on a loaded
// two-core machine a server can take seconds to start.
/** Accepts any result object: lets us see pages the typed SDK methods would reject. */
const AnyResult = z.object({}).passthrough();
type RawItem = Record<string, unknown> & { name?: string };
type Page = { items: RawItem[]; nextCursor?: string };

async function withStdioClient<T>(file: string, fn: (client: Client) => Promise<T>, env?: Record<string, string>): Promise<T> {
  const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [fixturePath(file)], stderr: 'pipe', env });
  await client.connect(transport, { timeout: 30_000 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

async function rawPage(client: Client, method: string, key: string, cursor?: string): Promise<Page> {
  const result = await client.request({ method, params: cursor ? { cursor } : {} }, AnyResult, { timeout: 30_000 });
  return { items: result[key] as RawItem[], nextCursor: result.nextCursor as string | undefined };
}

async function allPages(client: Client, method: string, key: string, maxPages = 10): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const page = await rawPage(client, method, key, cursor);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < maxPages);
  return pages;
}

const TAG_CHARACTER = /[\u{E0000}-\u{E007F}]/u;

describe.concurrent('fixture servers', () => {
  it('clean-stdio serves a complete, closed catalogue', async () => {
    await withStdioClient('clean-stdio.mjs', async (client) => {
      expect(client.getServerVersion()).toMatchObject({ name: 'clean-fixture', version: '1.2.0', title: 'Clean fixture server' });
      expect(client.getInstructions()).toMatch(/sample workspace/);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['list_repositories', 'get_issue', 'read_text_file', 'create_label']);
      for (const tool of tools) {
        expect(tool.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
        expect(tool.annotations?.readOnlyHint).toBeTypeOf('boolean');
        for (const prop of Object.values(tool.inputSchema.properties ?? {}) as Record<string, unknown>[]) {
          expect(prop.description).toBeTypeOf('string');
          if (prop.type === 'string') expect(prop.maxLength).toBeTypeOf('number');
        }
      }
      expect((await client.listResources()).resources).toHaveLength(2);
      expect((await client.listResourceTemplates()).resourceTemplates).toHaveLength(1);
      const { prompts } = await client.listPrompts();
      expect(prompts).toHaveLength(1);
      expect(prompts[0]?.arguments?.length).toBeGreaterThan(0);
      const call = await client.callTool({ name: 'get_issue', arguments: { repository: 'octo-org/widgets', number: 7 } });
      expect(call.structuredContent).toMatchObject({ state: 'open' });
    });
  });

  it('bad-stdio plants one problem per tool and one malformed tool on the same page', async () => {
    await withStdioClient('bad-stdio.mjs', async (client) => {
      // The typed call rejects the whole page because of broken_schema ...
      await expect(client.listTools()).rejects.toThrow();
      // ... while the raw page holds every tool.
      const [page, ...rest] = await allPages(client, 'tools/list', 'tools');
      expect(rest).toHaveLength(0);
      const byName = new Map(page!.items.map((t) => [t.name, t]));
      expect([...byName.keys()]).toEqual(['legacy_lookup', 'search_anything', 'run_command', 'add_numbers', 'format_text', 'debug_info', 'broken_schema']);
      expect('inputSchema' in byName.get('legacy_lookup')!).toBe(false);
      expect(byName.get('search_anything')!.inputSchema).toEqual({ type: 'object', properties: { q: {} } });
      expect(byName.get('run_command')!.inputSchema).toMatchObject({ properties: { command: { type: 'string' } } });
      expect(byName.get('add_numbers')!.description).toContain(POISON_IMPORTANT);
      const hidden = String(byName.get('format_text')!.description);
      expect(hidden).toMatch(TAG_CHARACTER);
      expect(hidden).toContain('\u200B');
      const decoded = [...hidden]
        .filter((c) => TAG_CHARACTER.test(c))
        .map((c) => String.fromCharCode(c.codePointAt(0)! - 0xe0000))
        .join('');
      expect(decoded).toBe(HIDDEN_TAG_TEXT);
      expect(byName.get('debug_info')!.description).toContain(FAKE_AWS_ACCESS_KEY_ID);
      expect(byName.get('debug_info')!.description).toContain(FAKE_GITHUB_TOKEN);
      expect(FAKE_AWS_ACCESS_KEY_ID).toMatch(/^AKIA[A-Z0-9]{16}$/);
      expect(FAKE_GITHUB_TOKEN).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
      expect(byName.get('broken_schema')!.inputSchema).toEqual({ properties: {} });
    });
  });

  it('paginated-stdio needs several pages and hides summarize_notes on the last one', async () => {
    await withStdioClient('paginated-stdio.mjs', async (client) => {
      const toolPages = await allPages(client, 'tools/list', 'tools');
      expect(toolPages.map((p) => p.items.length)).toEqual([2, 2, 1]);
      const names = toolPages.map((p) => p.items.map((t) => t.name));
      expect(names.slice(0, -1).flat()).not.toContain('summarize_notes');
      expect(names.at(-1)).toEqual(['summarize_notes']);
      expect(toolPages.at(-1)!.items[0]!.description).toContain(POISON_IGNORE_PREVIOUS);
      expect((await allPages(client, 'resources/list', 'resources')).length).toBe(2);
      expect((await allPages(client, 'prompts/list', 'prompts')).length).toBe(2);
      expect((await client.listResourceTemplates()).resourceTemplates).toHaveLength(1);
      await expect(rawPage(client, 'tools/list', 'tools', 'not-a-cursor')).rejects.toMatchObject({ code: -32602 });
    });
  });

  it('http-server serves Streamable HTTP on an ephemeral 127.0.0.1 port (clean, then --bad)', async () => {
    for (const [args, first] of [
      [[], 'list_repositories'],
      [['--bad'], 'legacy_lookup'],
    ] as const) {
      const server = await startHttpFixture('http-server.mjs', [...args]);
      try {
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
        expect(Number(new URL(server.url).port)).toBeGreaterThan(0);
        const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
        const transport = new StreamableHTTPClientTransport(new URL(server.url));
        await client.connect(transport, { timeout: 30_000 });
        expect(transport.sessionId).toBeTruthy();
        const page = await rawPage(client, 'tools/list', 'tools');
        expect(page.items[0]!.name).toBe(first);
        await client.close();
      } finally {
        await server.stop();
      }
      expect(isAlive(server.pid)).toBe(false);
    }
  });

  it('sse-only-server answers 405 to POST and works over legacy SSE', async () => {
    const server = await startHttpFixture('sse-only-server.mjs');
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sse$/);
      expect((await fetch(server.url, { method: 'POST', body: '{}' })).status).toBe(405);
      const streamable = new Client({ name: 'fixtures-test', version: '1.0.0' });
      const error = await streamable.connect(new StreamableHTTPClientTransport(new URL(server.url))).catch((e: unknown) => e);
      await streamable.close();
      expect(error).toBeInstanceOf(StreamableHTTPError);
      expect((error as StreamableHTTPError).code).toBe(405);
      const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
      await client.connect(new SSEClientTransport(new URL(server.url)), { timeout: 30_000 });
      expect((await client.listTools()).tools).toHaveLength(4);
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('modern-stdio negotiates the stateless 2026-07-28 era with the v2 client', async () => {
    const client = new V2Client({ name: 'fixtures-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new V2StdioClientTransport({ command: process.execPath, args: [fixturePath('modern-stdio.mjs')], stderr: 'pipe' }));
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('get_issue');
    } finally {
      await client.close();
    }
  });

  it('modern-stdio --modern-only refuses a 1.x (initialize) client', async () => {
    const client = new Client({ name: 'fixtures-test', version: '1.0.0' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [fixturePath('modern-stdio.mjs'), '--modern-only'], stderr: 'pipe' });
    // The refusal is the answer under test; the timeout only guards against a hang (a loaded machine
    // can take seconds to start the server, and a timeout would reject with another message).
    await expect(client.connect(transport, { timeout: 45_000 })).rejects.toThrow(/protocol version/i);
    await client.close();
  });

  it('v2-legacy-stdio only speaks the legacy era', async () => {
    const client = new V2Client({ name: 'fixtures-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new V2StdioClientTransport({ command: process.execPath, args: [fixturePath('v2-legacy-stdio.mjs')], stderr: 'pipe' }));
    try {
      expect(client.getProtocolEra()).toBe('legacy');
      expect((await client.listTools()).tools).toHaveLength(4);
    } finally {
      await client.close();
    }
  });

  it('garbage-stdout still works as a server despite non-JSON stdout lines', async () => {
    await withStdioClient('garbage-stdout.mjs', async (client) => {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    });
  });

  it('flood-stdio sends fresh cursors forever; repeat-cursor-stdio repeats one', async () => {
    await withStdioClient('flood-stdio.mjs', async (client) => {
      const pages = await allPages(client, 'tools/list', 'tools', 5);
      expect(pages).toHaveLength(5);
      expect(new Set(pages.map((p) => p.nextCursor)).size).toBe(5);
    });
    await withStdioClient('repeat-cursor-stdio.mjs', async (client) => {
      const pages = await allPages(client, 'tools/list', 'tools', 3);
      expect(new Set(pages.map((p) => p.nextCursor))).toEqual(new Set(['same-cursor-forever']));
    });
  });

  it('env-echo-stdio lists the names of the variables it received', async () => {
    await withStdioClient(
      'env-echo-stdio.mjs',
      async (client) => {
        const names = client.getInstructions()!.split(',');
        expect(names).toContain('FIXTURE_PROBE_VAR');
        expect(names).toContain('PATH');
        expect(names).toEqual([...names].sort());
        expect(client.getInstructions()).not.toContain('probe-value');
      },
      { FIXTURE_PROBE_VAR: 'probe-value' },
    );
  });

  it('crash-stdio exits 1 with a message on stderr', async () => {
    const child = spawn(process.execPath, [fixturePath('crash-stdio.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((r) => child.once('close', r));
    expect(code).toBe(1);
    expect(stderr).toBe('fatal: missing DATABASE_URL\n');
  });

  it('hang-stdio never answers initialize', async () => {
    const child = spawn(process.execPath, [fixturePath('hang-stdio.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const stdoutClosed = new Promise((r) => child.stdout.once('close', r));
    // No sleep: wait until it says it read the request and saw stdin end (its stderr lines).
    const stderrLines: string[] = [];
    const ended = new Promise<void>((resolveEnded) =>
      createInterface({ input: child.stderr }).on('line', (line) => {
        stderrLines.push(line);
        if (line === 'hang-stdio: stdin ended') resolveEnded();
      }),
    );
    const request = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`;
    child.stdin.end(request);
    await ended;
    const read = stderrLines.map((line) => Number(/^hang-stdio: read (\d+) bytes$/.exec(line)?.[1] ?? 0)).reduce((sum, bytes) => sum + bytes, 0);
    expect(read).toBe(Buffer.byteLength(request));
    expect(isAlive(child.pid!)).toBe(true); // stdin EOF does not end it
    child.kill('SIGKILL');
    expect(await waitForExit(child.pid!)).toBe(true);
    await stdoutClosed;
    expect(stdout).toBe(''); // everything it ever wrote to stdout, read to the end
  });

  it('fork-hang-stdio reports a live grandchild that dies with the process group', async () => {
    const child = spawn(process.execPath, [fixturePath('fork-hang-stdio.mjs')], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const line = await new Promise<string>((r) => createInterface({ input: child.stderr }).once('line', r));
    const grandchild = Number(/^CHILD_PID (\d+)$/.exec(line)?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(isAlive(grandchild)).toBe(true);
    process.kill(-child.pid!, 'SIGKILL');
    expect(await waitForExit(grandchild)).toBe(true);
    expect(await waitForExit(child.pid!)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath, startHttpFixture } from '../helpers/fixtures.js';

const node = process.execPath;

describe('mcp-preflight discover', () => {
  it('lists every tool, resource, template and prompt, including those only on later pages', async () => {
    const result = await runCli(['discover', '--stdio', `${node} ${fixturePath('paginated-stdio.mjs')}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const tool of ['list_notes', 'get_note', 'archive_note', 'count_notes', 'summarize_notes']) {
      expect(result.stdout).toContain(tool);
    }
    expect(result.stdout).toMatch(/tools \(5, 3 pages\)/);
    expect(result.stdout).toMatch(/resources \(4, 2 pages\)/);
    expect(result.stdout).toMatch(/resource templates \(1\)/);
    expect(result.stdout).toMatch(/prompts \(3, 2 pages\)/);
  });

  it('prints the versioned Inventory document as JSON, with pages and origins', async () => {
    const result = await runCli(['discover', '--stdio', `${node} ${fixturePath('paginated-stdio.mjs')}`, '--format', 'json']);
    expect(result.code).toBe(0);
    const inventory = JSON.parse(result.stdout);
    expect(inventory.schemaVersion).toBe(1);
    expect(inventory.server.transport).toBe('stdio');
    expect(inventory.server.protocolVersion).toBe('2025-11-25');
    const poisoned = inventory.tools.find((tool: { name: string }) => tool.name === 'summarize_notes');
    expect(poisoned.origin.live.page).toBe(3);
    const tools = inventory.listings.find((listing: { list: string }) => listing.list === 'tools');
    expect(tools).toMatchObject({ requested: true, pages: 3, items: 5 });
  });

  it('keeps the rest of a page when one tool is malformed, and records the malformed one', async () => {
    const result = await runCli(['discover', '--stdio', `${node} ${fixturePath('bad-stdio.mjs')}`, '--format', 'json']);
    expect(result.code).toBe(0);
    const inventory = JSON.parse(result.stdout);
    expect(inventory.tools.map((tool: { name: string }) => tool.name)).toEqual(
      expect.arrayContaining(['legacy_lookup', 'search_anything', 'run_command', 'add_numbers', 'format_text', 'debug_info', 'broken_schema']),
    );
    expect('inputSchema' in inventory.tools.find((tool: { name: string }) => tool.name === 'legacy_lookup')).toBe(false);
  });

  it('negotiates the stateless 2026-07-28 revision with a modern server', async () => {
    const result = await runCli(['discover', '--stdio', `${node} ${fixturePath('modern-stdio.mjs')}`, '--format', 'json']);
    expect(result.code).toBe(0);
    const inventory = JSON.parse(result.stdout);
    expect(inventory.server.era).toBe('modern');
    expect(inventory.server.protocolVersion).toBe('2026-07-28');
    expect(inventory.tools.length).toBeGreaterThan(0);
  });

  it('talks Streamable HTTP on 127.0.0.1', async () => {
    const fixture = await startHttpFixture('http-server.mjs');
    try {
      const result = await runCli(['discover', '--url', fixture.url, '--format', 'json']);
      expect(result.code).toBe(0);
      const inventory = JSON.parse(result.stdout);
      expect(inventory.server.transport).toBe('streamable-http');
      expect(inventory.server.sseFallback).toBeUndefined();
      expect(inventory.tools.length).toBeGreaterThan(0);
    } finally {
      await fixture.stop();
    }
  });

  it('falls back to legacy HTTP+SSE only when the POST is refused, and says so', async () => {
    const fixture = await startHttpFixture('sse-only-server.mjs');
    try {
      const json = await runCli(['discover', '--url', fixture.url, '--format', 'json']);
      expect(json.code).toBe(0);
      const inventory = JSON.parse(json.stdout);
      expect(inventory.server.transport).toBe('sse');
      expect(inventory.server.sseFallback.status).toBe(405);
      const text = await runCli(['discover', '--url', fixture.url]);
      expect(text.stdout).toContain('legacy HTTP+SSE');
    } finally {
      await fixture.stop();
    }
  });

  it('counts non-JSON lines a stdio server writes to stdout without failing', async () => {
    const result = await runCli(['discover', '--stdio', `${node} ${fixturePath('garbage-stdout.mjs')}`, '--format', 'json']);
    expect(result.code).toBe(0);
    const inventory = JSON.parse(result.stdout);
    expect(inventory.stdoutNoise.lines).toBeGreaterThanOrEqual(1);
    expect(inventory.tools.map((tool: { name: string }) => tool.name)).toContain('echo');
  });

  it('stops an endless chain of pages at the page bound, and a repeated cursor at once: both exit 3', async () => {
    const floodRun = await runCli(['discover', '--stdio', `${node} ${fixturePath('flood-stdio.mjs')}`, '--format', 'json', '--max-pages', '100']);
    expect(floodRun.code).toBe(3);
    const floodTools = JSON.parse(floodRun.stdout).listings.find((listing: { list: string }) => listing.list === 'tools');
    expect(floodTools).toMatchObject({ pages: 100, complete: false, stop: { reason: 'pages', limit: 100 } });
    expect(floodTools.stoppedEarly).toMatch(/100 pages/);

    const repeatRun = await runCli(['discover', '--stdio', `${node} ${fixturePath('repeat-cursor-stdio.mjs')}`, '--format', 'json']);
    expect(repeatRun.code).toBe(3);
    const repeatTools = JSON.parse(repeatRun.stdout).listings.find((listing: { list: string }) => listing.list === 'tools');
    expect(repeatTools.pages).toBeLessThanOrEqual(3);
    expect(repeatTools).toMatchObject({ complete: false, stop: { reason: 'repeated-cursor' } });
  });

  it('passes the server only the declared environment plus a minimal default set', async () => {
    const result = await runCli(['discover', '--stdio', `${node} ${fixturePath('env-echo-stdio.mjs')}`, '--env', 'DECLARED_VAR=1', '--format', 'json'], {
      env: { CI_SECRET_CANARY: 'do-not-pass-me' },
    });
    expect(result.code).toBe(0);
    const names: string[] = JSON.parse(result.stdout).server.instructions.split(',');
    expect(names).toContain('DECLARED_VAR');
    expect(names).not.toContain('CI_SECRET_CANARY');
    for (const name of names) {
      expect(['DECLARED_VAR', 'HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'TMPDIR']).toContain(name);
    }
  });
});

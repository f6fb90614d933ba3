import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOfPointer, MAX_SERVER_JSON_BYTES, parseServerJsonFile, parseServerJsonText, readServerJson } from '../../src/repo/server-json.js';

const MANIFEST = `{
  "$schema": "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
  "name": "io.github.example/weather",
  "version": "1.2.0",
  "repository": { "url": "https://github.com/example/weather", "source": "github" },
  "packages": [
    {
      "registryType": "npm",
      "identifier": "@example/weather",
      "environmentVariables": [
        { "name": "WEATHER_API_KEY", "isSecret": true },
        {
          "name": "LOG_LEVEL"
        }
      ]
    }
  ]
}
`;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'preflight-server-json-'));
}

describe('server.json facts', () => {
  it('parses the manifest and records the line of every pointer rules need', () => {
    const facts = parseServerJsonText(MANIFEST, '/x/server.json');
    expect(facts.parseError).toBeUndefined();
    expect((facts.parsed as { name: string }).name).toBe('io.github.example/weather');
    expect(facts.lines['']).toBe(1);
    expect(facts.lines['/name']).toBe(3);
    expect(facts.lines['/version']).toBe(4);
    expect(facts.lines['/repository']).toBe(5);
    expect(facts.lines['/repository/url']).toBe(5);
    expect(facts.lines['/packages/0']).toBe(7);
    expect(facts.lines['/packages/0/environmentVariables/0']).toBe(11);
    expect(facts.lines['/packages/0/environmentVariables/1']).toBe(12);
    expect(facts.lines['/packages/0/environmentVariables/1/name']).toBe(13);
    expect(lineOfPointer(facts, '/packages/0/environmentVariables/1/isSecret')).toBe(12);
    expect(lineOfPointer(facts, '/nowhere/at/all')).toBe(1);
  });

  it('escapes ~ and / in keys as JSON pointers do', () => {
    const facts = parseServerJsonText('{\n "a/b": {\n  "c~d": 1\n }\n}', 'f');
    expect(facts.lines['/a~1b']).toBe(2);
    expect(facts.lines['/a~1b/c~0d']).toBe(3);
  });

  it('records a parse error instead of throwing, and keeps what lines it can', () => {
    const facts = parseServerJsonText('{\n  "name": "x",\n  "version": \n}', '/x/server.json');
    expect(facts.parsed).toBeUndefined();
    expect(facts.parseError).toMatch(/^not valid JSON: /);
    expect(facts.parseError).not.toContain('\n');
    expect(parseServerJsonText('', 'f').parseError).toMatch(/not valid JSON/);
  });

  it('bounds the read: an oversized file is not parsed', () => {
    const dir = tempDir();
    const file = join(dir, 'server.json');
    writeFileSync(file, `{"name": "${'x'.repeat(MAX_SERVER_JSON_BYTES)}"}`);
    const facts = parseServerJsonFile(file);
    expect(facts.parsed).toBeUndefined();
    expect(facts.parseError).toMatch(/larger than/);
  });

  it('reads server.json from the package directory first, then the repository root', () => {
    const root = tempDir();
    const pkg = join(root, 'packages', 'server');
    mkdirSync(pkg, { recursive: true });
    expect(readServerJson({ root, packageDir: pkg })).toBeUndefined();
    writeFileSync(join(root, 'server.json'), '{"name": "root"}');
    expect(readServerJson({ root, packageDir: pkg })?.file).toBe(join(root, 'server.json'));
    writeFileSync(join(pkg, 'server.json'), '{"name": "pkg"}');
    const facts = readServerJson({ root, packageDir: pkg });
    expect(facts?.file).toBe(join(pkg, 'server.json'));
    expect(facts?.parsed).toEqual({ name: 'pkg' });
  });

  it('treats an unreadable path (a directory named server.json) as absent, never throwing', () => {
    const root = tempDir();
    mkdirSync(join(root, 'server.json'));
    expect(readServerJson({ root, packageDir: root })).toBeUndefined();
  });
});

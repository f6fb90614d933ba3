import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/source/analyze.js';
import type { SourceFacts, SourceRegistration } from '../../src/source/types.js';
import { repoRoot } from '../helpers/fixtures.js';

const projects = resolve(repoRoot, 'fixtures', 'projects');

/** 1-based line and column of the first occurrence of `needle` in `file` (after `after`, when given). */
function position(file: string, needle: string, after?: string): { line: number; column: number } {
  const text = readFileSync(file, 'utf8');
  const from = after === undefined ? 0 : text.indexOf(after);
  const offset = text.indexOf(needle, from);
  if (offset === -1 || from === -1) throw new Error(`${needle} not in ${file}`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

interface Expected {
  kind: SourceRegistration['kind'];
  name: string;
  file: string;
  /** Text the name's location must start at (first occurrence, optionally after `after`). */
  at: string;
  after?: string;
}

function expectRegistrations(facts: SourceFacts, project: string, expected: Expected[]): void {
  const found = facts.registrations.filter((registration) => registration.name !== undefined);
  expect(found.map((r) => `${r.kind} ${r.name}`).sort()).toEqual(expected.map((e) => `${e.kind} ${e.name}`).sort());
  for (const want of expected) {
    const file = join(projects, project, want.file);
    const registration = found.find((r) => r.kind === want.kind && r.name === want.name)!;
    expect({ name: want.name, file: registration.location.file }).toEqual({ name: want.name, file });
    expect({ name: want.name, ...position(file, want.at, want.after) }).toEqual({
      name: want.name,
      line: registration.location.line,
      column: registration.location.column,
    });
  }
}

const cache = new Map<string, SourceFacts>();
async function analyse(project: string): Promise<SourceFacts> {
  if (!cache.has(project)) cache.set(project, await analyzeSource(join(projects, project)));
  return cache.get(project)!;
}

describe('extraction: official SDK, high level (TypeScript, tsconfig, imports and aliases)', () => {
  let facts: SourceFacts;
  beforeAll(async () => {
    facts = await analyse('sdk-high-level');
  });

  it('finds every registration at the line and column of its name', () => {
    expectRegistrations(facts, 'sdk-high-level', [
      { kind: 'tool', name: 'echo', file: 'src/index.ts', at: 'ECHO_NAME, echoConfig', after: 'registerTool(ECHO_NAME' },
      { kind: 'tool', name: 'get_weather', file: 'src/index.ts', at: "'get_weather'" },
      { kind: 'tool', name: 'add', file: 'src/index.ts', at: "'add'" },
      { kind: 'tool', name: 'ping', file: 'src/index.ts', at: "'ping'" },
      { kind: 'tool', name: 'run_script', file: 'src/index.ts', at: "'run_script'" },
      { kind: 'tool', name: 'search_v2', file: 'src/index.ts', at: "'search' + SUFFIX" },
      { kind: 'tool', name: 'admin_reset', file: 'src/index.ts', at: "'admin_reset'" },
      { kind: 'tool', name: 'long_job', file: 'src/index.ts', at: "'long_job'" },
      { kind: 'resource', name: 'readme', file: 'src/index.ts', at: "'readme'" },
      { kind: 'resource', name: 'config', file: 'src/index.ts', at: "'config'" },
      { kind: 'resourceTemplate', name: 'user_profile', file: 'src/index.ts', at: "'user_profile'" },
      { kind: 'prompt', name: 'review_code', file: 'src/index.ts', at: "'review_code'" },
      { kind: 'prompt', name: 'summarize', file: 'src/index.ts', at: "'summarize'" },
    ]);
  });

  it('resolves constants, imported configs and re-export aliases', () => {
    const echo = facts.registrations.find((r) => r.name === 'echo')!;
    expect(echo.description).toEqual({ value: 'Echoes the message back.' });
    expect(echo.title).toEqual({ value: 'Echo' });
    expect(echo.annotations).toEqual({ readOnlyHint: true });
    expect(echo.inputSchema).toEqual({
      type: 'object',
      properties: { message: { type: 'string', maxLength: 200, description: 'Text to echo' } },
      required: ['message'],
      additionalProperties: false,
    });
  });

  it('turns zod into JSON Schema with types, required and bounds', () => {
    const weather = facts.registrations.find((r) => r.name === 'get_weather')!;
    expect(weather.inputSchema).toEqual({
      type: 'object',
      properties: { city: { type: 'string', minLength: 1, maxLength: 80 }, days: { type: 'integer', minimum: 1, maximum: 7 } },
      required: ['city'],
      additionalProperties: false,
    });
  });

  it('reads the deprecated tool() overloads: description, shape, annotations, handler last', () => {
    const add = facts.registrations.find((r) => r.name === 'add')!;
    expect(add.description).toEqual({ value: 'Adds two numbers.' });
    expect(add.inputSchema).toMatchObject({ required: ['a', 'b'] });
    const script = facts.registrations.find((r) => r.name === 'run_script')!;
    expect(script.annotations).toEqual({ destructiveHint: true });
    expect(script.inputSchema).toMatchObject({ properties: { script: { type: 'string' } } });
    expect(facts.registrations.find((r) => r.name === 'ping')!.inputSchema).toEqual({ type: 'object', properties: {} });
  });

  it('marks a name computed at run time as dynamic, never guessed', () => {
    const dynamic = facts.registrations.filter((r) => r.name === undefined);
    expect(dynamic).toHaveLength(1);
    expect(dynamic[0]).toMatchObject({ kind: 'tool', nameDynamic: 'dynamicName', description: { value: 'Named at run time.' } });
    expect(dynamic[0]!.location.line).toBe(position(join(projects, 'sdk-high-level/src/index.ts'), 'dynamicName, {').line);
  });

  it('marks conditional registrations and resource templates', () => {
    expect(facts.registrations.find((r) => r.name === 'admin_reset')!.conditional).toBe(true);
    expect(facts.registrations.find((r) => r.name === 'echo')!.conditional).toBe(false);
    expect(facts.registrations.find((r) => r.name === 'user_profile')).toMatchObject({
      uriTemplate: 'users://{userId}/profile',
      description: { value: 'A user profile.' },
    });
    expect(facts.registrations.find((r) => r.name === 'readme')).toMatchObject({ uri: 'docs://readme' });
    expect(facts.registrations.find((r) => r.name === 'review_code')!.arguments).toEqual([
      { name: 'code', required: true },
      { name: 'language', required: false },
    ]);
  });

  it('follows handler calls across modules (2 hops)', () => {
    const weather = facts.registrations.find((r) => r.name === 'get_weather')!;
    const fetchSite = weather.handler!.reaches.find((site) => site.kind === 'outbound-http')!;
    expect(fetchSite).toMatchObject({ what: 'fetch', detail: { hasTimeout: false }, via: ['lookupWeather()'] });
    expect(fetchSite.location.file).toBe(join(projects, 'sdk-high-level/src/helpers.ts'));
    const script = facts.registrations.find((r) => r.name === 'run_script')!;
    expect(script.handler!.reaches).toContainEqual(
      expect.objectContaining({ kind: 'process-spawn', what: 'execSync', detail: { dynamicCommand: true, shell: true } }),
    );
  });
});

describe('extraction: official SDK, low level (JavaScript, no tsconfig)', () => {
  let facts: SourceFacts;
  beforeAll(async () => {
    facts = await analyse('sdk-low-level');
  });

  it('finds list-literal entries, in other modules and behind spreads, at the line of their name', () => {
    expectRegistrations(facts, 'sdk-low-level', [
      { kind: 'tool', name: 'query', file: 'lib/tools.mjs', at: "'query'" },
      { kind: 'tool', name: 'list_tables', file: 'lib/tools.mjs', at: "'list_tables'" },
      { kind: 'tool', name: 'fetch_page', file: 'server.mjs', at: "'fetch_page'" },
      { kind: 'resource', name: 'schema', file: 'server.mjs', at: "'schema'" },
      { kind: 'prompt', name: 'explain_query', file: 'server.mjs', at: "'explain_query'" },
    ]);
    expect(facts.registrations.every((r) => r.shape === 'sdk-low-level')).toBe(true);
  });

  it('keeps literal JSON Schemas as written', () => {
    expect(facts.registrations.find((r) => r.name === 'list_tables')!.inputSchema).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });

  it('attributes switch and if dispatch branches to their tools', () => {
    const query = facts.registrations.find((r) => r.name === 'query')!;
    expect(query.handler!.reaches).toContainEqual(
      expect.objectContaining({ kind: 'sql-call', via: ['runQuery()'], detail: expect.objectContaining({ dynamic: true }) }),
    );
    const fetchPage = facts.registrations.find((r) => r.name === 'fetch_page')!;
    expect(fetchPage.handler!.reaches.map((site) => site.kind)).toEqual(expect.arrayContaining(['outbound-http', 'body-read-unbounded']));
    expect(facts.registrations.find((r) => r.name === 'list_tables')!.handler!.reaches).toEqual([]);
  });
});

describe('extraction: v2 SDK (@modelcontextprotocol/server)', () => {
  it('finds registerTool/registerPrompt/registerResource and converts z.object (open, as zod 4 serves it)', async () => {
    const facts = await analyse('sdk-v2');
    expectRegistrations(facts, 'sdk-v2', [
      { kind: 'tool', name: 'create_issue', file: 'src/server.ts', at: "'create_issue'" },
      { kind: 'prompt', name: 'triage', file: 'src/server.ts', at: "'triage'" },
      { kind: 'resource', name: 'changelog', file: 'src/server.ts', at: "'changelog'" },
    ]);
    const tool = facts.registrations.find((r) => r.name === 'create_issue')!;
    expect(tool.shape).toBe('sdk-v2');
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: { title: { type: 'string', maxLength: 120 }, labels: { type: 'array', items: { type: 'string', enum: ['bug', 'feature'] }, maxItems: 5 } },
      required: ['title'],
    });
    expect(tool.annotations).toEqual({ destructiveHint: false, openWorldHint: true });
  });
});

describe('extraction: fastmcp', () => {
  it('finds addTool/addResource/addResourceTemplate/addPrompt, including a config held in a const', async () => {
    const facts = await analyse('fastmcp');
    expectRegistrations(facts, 'fastmcp', [
      { kind: 'tool', name: 'download', file: 'src/server.ts', at: "'download'" },
      { kind: 'tool', name: 'delete_item', file: 'src/server.ts', at: "'delete_item'" },
      { kind: 'resource', name: 'Application logs', file: 'src/server.ts', at: "'Application logs'" },
      { kind: 'resourceTemplate', name: 'Named logs', file: 'src/server.ts', at: "'Named logs'" },
      { kind: 'prompt', name: 'git-commit', file: 'src/server.ts', at: "'git-commit'" },
    ]);
    const download = facts.registrations.find((r) => r.name === 'download')!;
    expect(download.options).toEqual({ timeoutMs: true });
    expect(download.handler!.usesSignal).toBe(true);
    expect(download.handler!.reaches).toContainEqual(expect.objectContaining({ kind: 'outbound-http', detail: { hasTimeout: true, method: 'GET' } }));
    expect(facts.registrations.find((r) => r.name === 'delete_item')!.options).toEqual({ canAccess: true });
    expect(facts.registrations.find((r) => r.name === 'Named logs')!.uriTemplate).toBe('file:///logs/{name}.log');
  });
});

describe('extraction: mcp-framework', () => {
  it('finds MCPTool/MCPResource classes by their name property', async () => {
    const facts = await analyse('mcp-framework');
    expectRegistrations(facts, 'mcp-framework', [
      { kind: 'tool', name: 'add_numbers', file: 'src/tools/AddTool.ts', at: "'add_numbers'" },
      { kind: 'tool', name: 'fetch_url', file: 'src/tools/FetchTool.ts', at: "'fetch_url'" },
      { kind: 'resource', name: 'server_status', file: 'src/resources/StatusResource.ts', at: "'server_status'" },
    ]);
    expect(facts.registrations.find((r) => r.name === 'add_numbers')!.inputSchema).toEqual({
      type: 'object',
      properties: { a: { type: 'number', description: 'First number' }, b: { type: 'number', description: 'Second number' } },
      required: ['a', 'b'],
    });
    expect(facts.registrations.find((r) => r.name === 'fetch_url')!.handler!.reaches.map((s) => s.kind)).toContain('outbound-http');
  });
});

describe('extraction: xmcp (file-based)', () => {
  it('derives names from metadata or the file name, and resource URIs from the path', async () => {
    const facts = await analyse('xmcp');
    expectRegistrations(facts, 'xmcp', [
      { kind: 'tool', name: 'greet', file: 'src/tools/greet.ts', at: "'greet'" },
      { kind: 'tool', name: 'get-time', file: 'src/tools/get-time.ts', at: 'export default' },
      { kind: 'prompt', name: 'review-code', file: 'src/prompts/review-code.ts', at: "'review-code'" },
      { kind: 'resource', name: 'app-config', file: 'src/resources/(config)/app.ts', at: "'app-config'" },
      { kind: 'resourceTemplate', name: 'userId/profile', file: 'src/resources/(users)/[userId]/profile.ts', at: 'export default' },
    ]);
    expect(facts.registrations.find((r) => r.name === 'app-config')!.uri).toBe('config://app');
    expect(facts.registrations.find((r) => r.name === 'userId/profile')!.uriTemplate).toBe('users://{userId}/profile');
    expect(facts.registrations.find((r) => r.name === 'greet')!.inputSchema).toMatchObject({ required: ['name'] });
  });
});

describe('extraction: Cloudflare McpAgent', () => {
  it('finds this.server registrations inside init()', async () => {
    const facts = await analyse('cloudflare-agent');
    expectRegistrations(facts, 'cloudflare-agent', [
      { kind: 'tool', name: 'add', file: 'src/index.ts', at: "'add'" },
      { kind: 'tool', name: 'get_forecast', file: 'src/index.ts', at: "'get_forecast'" },
    ]);
    expect(facts.registrations.every((r) => r.shape === 'cloudflare-agent')).toBe(true);
  });
});

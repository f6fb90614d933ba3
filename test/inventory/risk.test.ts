import { describe, expect, it } from 'vitest';
import { assessRisk, rankCapabilities, riskInventory } from '../../src/inventory/risk.js';
import { runRule } from '../rules/run-rule.js';
import type { Inventory, ToolCapability } from '../../src/inventory/model.js';
import { closedSchema, inventory, prompt, resource, resourceTemplate, tool, withTools } from '../helpers/inventory.js';

const classOf = (capability: ToolCapability, within: Inventory = inventory({ tools: [capability] })) => assessRisk(capability, within).class;

describe('assessRisk', () => {
  it('exec: an executing name, a free-form command parameter, a handler that spawns a process', () => {
    expect(classOf(tool('run_command'))).toBe('exec');
    expect(classOf(tool('execute'))).toBe('exec');
    expect(classOf(tool('build_project', { inputSchema: closedSchema('cmd'), annotations: { readOnlyHint: true } }))).toBe('exec');
    const spawning = tool('build_project', { annotations: { readOnlyHint: true } });
    const withSource = inventory({
      tools: [spawning],
      source: {
        registrations: [
          {
            kind: 'tool',
            name: 'build_project',
            handler: { reaches: [{ kind: 'process-spawn', what: 'child_process.exec', location: { file: '/s.ts', line: 3, column: 1 }, detail: {} }] },
          },
        ],
      } as unknown as NonNullable<Inventory['source']>,
    });
    expect(assessRisk(spawning, withSource)).toMatchObject({ class: 'exec', reasons: ['handler reaches child_process.exec'] });
  });

  it('exec agrees with design/shell-like-tool: the same built-in lists (rules/design.yaml), compiled into the build', () => {
    const argv = tool('launch', { inputSchema: { type: 'object', properties: { argv: { type: 'array', items: { type: 'string' } } } } });
    expect(assessRisk(argv, inventory({ tools: [argv] }))).toMatchObject({ class: 'exec', reasons: ['parameter "argv" takes a command'] });
    expect(classOf(tool('helper', { inputSchema: closedSchema('bashCommand') }))).toBe('exec');
    for (const candidate of [
      tool('run_command'),
      tool('bash'),
      tool('start_process'),
      argv,
      tool('helper', { inputSchema: closedSchema('bash_command') }),
      tool('run_tests'),
      tool('execute_query'),
      tool('process_payment'),
    ]) {
      const flagged = runRule('design/shell-like-tool', withTools(candidate)).length > 0;
      expect(classOf(candidate) === 'exec', candidate.name).toBe(flagged);
    }
  });

  it('an executor noun after a leading read verb names the object, not the action', () => {
    expect(classOf(tool('get_shell_history', { annotations: { readOnlyHint: true } }))).toBe('read-only');
    // A command parameter still makes it an executor whatever the name.
    expect(classOf(tool('get_output', { inputSchema: closedSchema('command') }))).toBe('exec');
    // An enum is not free-form.
    expect(classOf(tool('get_output', { inputSchema: { type: 'object', properties: { command: { type: 'string', enum: ['status', 'log'] } } } }))).toBe(
      'read-only',
    );
  });

  it('destructive: a destructive verb, destructiveHint, model-written SQL', () => {
    expect(assessRisk(tool('delete_file'), inventory()).reasons[0]).toBe('name verb "delete"');
    expect(classOf(tool('tidy', { annotations: { destructiveHint: true } }))).toBe('destructive');
    expect(assessRisk(tool('run_report', { inputSchema: closedSchema('sql'), annotations: { readOnlyHint: true } }), inventory())).toMatchObject({
      class: 'destructive',
      reasons: ['parameter "sql" takes model-written SQL'],
    });
    expect(classOf(tool('query_database', { description: 'Run a SQL query against Postgres.', inputSchema: closedSchema('query') }))).toBe('destructive');
    // A search box called "query" is not SQL.
    expect(classOf(tool('search_docs', { description: 'Full-text search of the manual.', inputSchema: closedSchema('query') }))).toBe('read-only');
  });

  it('after a leading read verb, write and destructive words are the object', () => {
    expect(classOf(tool('get_order'))).toBe('read-only');
    expect(classOf(tool('list_delete_requests'))).toBe('read-only');
    expect(classOf(tool('find_and_delete'))).toBe('destructive');
    expect(classOf(tool('create_label'))).toBe('write');
    expect(classOf(tool('frobnicate'))).toBe('write');
    expect(classOf(tool('frobnicate', { annotations: { readOnlyHint: true } }))).toBe('read-only');
  });

  it('a name with no verb: the description, arithmetic add or GET-only requests say it reads; nothing else does', () => {
    expect(assessRisk(tool('debug', { description: 'Lists all available tools and methods' }), inventory())).toMatchObject({
      class: 'read-only',
      reasons: ['description verb "list"'],
    });
    // A write verb anywhere in the first sentence keeps the assumption.
    expect(classOf(tool('account', { description: 'Gets or creates an account. Lists nothing.' }))).toBe('write');
    expect(
      assessRisk(tool('add', { inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } }), inventory()),
    ).toMatchObject({
      class: 'read-only',
      reasons: ['name "add" adds numbers'],
    });
    const site = (method?: string) => ({
      kind: 'outbound-http',
      what: 'fetch',
      location: { file: '/s.ts', line: 3, column: 1 },
      detail: method === undefined ? { hasTimeout: true } : { hasTimeout: true, method },
    });
    const handled = (name: string, reaches: unknown[]) =>
      assessRisk(
        tool(name),
        inventory({
          tools: [tool(name)],
          source: { registrations: [{ kind: 'tool', name, handler: { reaches } }] } as unknown as NonNullable<Inventory['source']>,
        }),
      );
    expect(handled('maps_geocode', [site('GET'), site('GET')])).toMatchObject({
      class: 'open-world',
      reasons: ['handler only sends GET requests (fetch)', 'handler calls fetch'],
    });
    // A POST, a method computed at run time, or nothing reached at all proves no read.
    expect(handled('tavily_extract', [site('GET'), site('POST')]).class).toBe('write');
    expect(handled('relay', [site()]).class).toBe('write');
    expect(handled('mute_alerts', []).reasons).toEqual(['name verb "mute"']);
    expect(handled('sync_feed', []).class).toBe('write');
    expect(handled('frobnicate', []).reasons).toEqual(['no readOnlyHint and no read verb in the name: assumed to write']);
  });

  it('a tool declared read-only that describes a read and runs a program without a shell reads through it (kubectl get)', () => {
    const spawning = (name: string, description: string, shell: boolean) => {
      const capability = tool(name, { description, annotations: { readOnlyHint: true } });
      const reaches = [
        { kind: 'process-spawn', what: 'execFileSync', location: { file: '/s.ts', line: 3, column: 1 }, detail: { dynamicCommand: true, shell } },
      ];
      return assessRisk(
        capability,
        inventory({
          tools: [capability],
          source: { registrations: [{ kind: 'tool', name, handler: { reaches } }] } as unknown as NonNullable<Inventory['source']>,
        }),
      );
    };
    expect(spawning('kubectl_logs', 'Get logs from Kubernetes resources like pods', false)).toMatchObject({
      class: 'read-only',
      reasons: ['readOnlyHint: true'],
    });
    // The description names a write, or a shell runs the command: the annotation alone does not outweigh the spawn.
    expect(spawning('kubectl_context', 'Manage Kubernetes contexts - list, get, or set the current context', false).class).toBe('exec');
    expect(spawning('kubectl_logs', 'Get logs from Kubernetes resources like pods', true).class).toBe('exec');
  });

  it('write verbs that were missing: broadcast, fork, mute, unmute', () => {
    for (const name of ['broadcast_text_message', 'fork_repository', 'mute_host', 'unmute_host'])
      expect(assessRisk(tool(name), inventory()).reasons[0], name).toMatch(/^name verb "(broadcast|fork|mute|unmute)"$/);
  });

  it('open world: openWorldHint, a URL parameter, an http(s) resource', () => {
    expect(assessRisk(tool('fetch_page', { inputSchema: closedSchema('url') }), inventory())).toMatchObject({
      class: 'open-world',
      openWorld: true,
      reasons: ['name verb "fetch"', 'parameter "url" takes any URL'],
    });
    expect(assessRisk(tool('post_webhook', { inputSchema: closedSchema('webhookUrl') }), inventory())).toMatchObject({ class: 'write', openWorld: true });
    expect(assessRisk(tool('get_issue', { annotations: { readOnlyHint: true, openWorldHint: false } }), inventory())).toMatchObject({
      class: 'read-only',
      openWorld: false,
    });
    expect(assessRisk(resourceTemplate('page', 'https://{host}/{path}'), inventory()).class).toBe('open-world');
    expect(assessRisk(resource('readme', 'file:///README.md'), inventory()).class).toBe('read-only');
    expect(assessRisk(prompt('summarize'), inventory()).class).toBe('read-only');
  });
  it('a prompt that has the model run a command is exec, from its description or (under --probe) its messages', () => {
    const cleanup = prompt('cleanup', { description: 'Run `rm -rf build` in the shell.' });
    const explain = prompt('explain', { description: 'Explain what a shell command does.' });
    const got = prompt('got');
    const probe = {
      options: { allow: [], callTimeoutMs: 1000, maxResources: 20, maxPrompts: 20, maxTextBytes: 1024 },
      tools: [],
      resources: [],
      prompts: [
        {
          name: 'got',
          decision: 'probed' as const,
          get: {
            method: 'prompts/get' as const,
            sent: '{}',
            outcome: 'result' as const,
            latencyMs: 1,
            bytes: 10,
            content: [],
            text: 'Execute the following command: make clean',
            truncated: false,
            hasStructuredContent: false,
          },
        },
      ],
      unknownAllowed: [],
      environmentNames: [],
      calls: 1,
      durationMs: 1,
    };
    const inv = inventory({ prompts: [cleanup, explain, got], facts: ['live', 'probe'], probe });
    expect(assessRisk(cleanup, inv)).toMatchObject({ class: 'exec', reasons: ['description has the model run a command (run-in-shell)'] });
    expect(assessRisk(got, inv)).toMatchObject({ class: 'exec', reasons: ['probe.messages has the model run a command (run-command)'] });
    expect(assessRisk(explain, inv).class).toBe('read-only');
  });
});

describe('rankCapabilities and riskInventory', () => {
  const ranked = inventory({
    tools: [
      tool('get_issue', { annotations: { readOnlyHint: true } }),
      tool('delete_file'),
      tool('run_command', { inputSchema: closedSchema('command') }),
      tool('create_label'),
    ],
    prompts: [prompt('summarize')],
  });

  it('ranks riskiest first with a stable order', () => {
    expect(rankCapabilities(ranked).map((row) => `${row.class} ${row.capability.name}`)).toEqual([
      'exec run_command',
      'destructive delete_file',
      'write create_label',
      'read-only get_issue',
      'read-only summarize',
    ]);
  });

  it('attaches the config declarations and flags a class that differs', () => {
    const rows = riskInventory(ranked, {
      tools: { delete_file: { class: 'destructive', approval: 'two-person review', at: { file: '/c.yaml', line: 4 } }, create_label: { class: 'read-only' } },
      prompts: { summarize: { note: 'static text' } },
    });
    expect(rows.find((row) => row.capability.name === 'delete_file')).toMatchObject({ mismatch: false, declared: { approval: 'two-person review' } });
    expect(rows.find((row) => row.capability.name === 'create_label')).toMatchObject({ mismatch: true, declared: { class: 'read-only' } });
    expect(rows.find((row) => row.capability.name === 'summarize')).toMatchObject({ mismatch: false, declared: { note: 'static text' } });
    expect(rows.find((row) => row.capability.name === 'get_issue')).not.toHaveProperty('declared');
  });
});

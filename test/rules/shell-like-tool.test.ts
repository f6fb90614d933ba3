import { describe, expect, it } from 'vitest';
import { closedSchema, tool, withTools } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

const RULE = 'design/shell-like-tool';

describe(RULE, () => {
  it.each([
    ['run_command', 'command'],
    ['runShellCommand', 'shell'],
    ['execute-command', 'execute, command'],
    ['exec', 'exec'],
    ['bash', 'bash'],
    ['terminal_session', 'terminal'],
    ['start_process', 'start, process'],
    ['PowerShellRun', 'powershell'],
    ['spawn_subprocess', 'subprocess'],
    ['run_script', 'run, script'],
  ])('catches a tool named %s', (name, tokens) => {
    const findings = runRule(RULE, withTools(tool(name)));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'shellName', capability: { kind: 'tool', name }, field: 'name' }]);
    expect(findings[0]?.data.tokens).toContain(tokens.split(', ')[0]);
  });

  it('catches a shell-like title and reports the title field', () => {
    const findings = runRule(RULE, withTools(tool('do_it', { title: 'Run a shell command' })));
    expect(findings.map(shape)).toEqual([{ ruleId: RULE, messageId: 'shellName', capability: { kind: 'tool', name: 'do_it' }, field: 'title' }]);
  });

  it.each(['command', 'cmd', 'script', 'shell_command', 'shellCommand'])('catches a free-form string parameter named %s', (parameter) => {
    const findings = runRule(RULE, withTools(tool('do_it', { inputSchema: closedSchema(parameter) })));
    expect(findings.map(shape)).toEqual([
      { ruleId: RULE, messageId: 'commandParameter', capability: { kind: 'tool', name: 'do_it' }, field: `inputSchema.properties.${parameter}` },
    ]);
  });

  it('catches an argv-style string array parameter', () => {
    const inputSchema = { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, additionalProperties: false };
    expect(runRule(RULE, withTools(tool('launcher', { inputSchema }))).map((finding) => finding.messageId)).toEqual(['commandParameter']);
  });

  it('reports a tool once even when name and parameter both match', () => {
    expect(runRule(RULE, withTools(tool('run_command', { inputSchema: closedSchema('command') }))).length).toBe(1);
  });

  it.each([
    'execute_query', 'run_tests', 'process_payment', 'list_processes', 'exec_sql', 'refresh_cache', 'search_shellfish',
    'commandeer_ship', 'get_command_history', 'run_workflow', 'schedule_job', 'show_status',
  ])('passes a tool named %s', (name) => {
    expect(runRule(RULE, withTools(tool(name)))).toEqual([]);
  });

  it('passes a command parameter restricted by an enum, and a non-string command', () => {
    const inputSchema = {
      type: 'object',
      properties: { command: { type: 'string', enum: ['start', 'stop'] }, cmd: { type: 'integer' } },
      additionalProperties: false,
    };
    expect(runRule(RULE, withTools(tool('service_control', { inputSchema })))).toEqual([]);
  });
});

describe(`${RULE} options`, () => {
  it('takes its token lists from the pack, so users can extend them', async () => {
    const { builtinRule } = await import('./run-rule.js');
    const { runRules } = await import('../../src/engine/run.js');
    const base = builtinRule(RULE);
    const shellWords = [...((base.options?.shellWords as string[] | undefined) ?? []), 'nushell'];
    const extended = { ...base, options: { ...base.options, shellWords } };
    const inv = withTools(tool('nushell_eval'));
    expect(runRules(inv, [base], { targetId: 's' }).findings).toEqual([]);
    expect(runRules(inv, [extended], { targetId: 's' }).findings.map((finding) => finding.data.tokens)).toEqual(['nushell']);
  });
});

import { describe, expect, it } from 'vitest';
import { tool, withTools } from '../helpers/inventory.js';
import { runRule, shape } from './run-rule.js';

describe('annotations/misleading-read-only', () => {
  const RULE = 'annotations/misleading-read-only';
  it.each(['delete_file', 'send_message', 'github_create_issue', 'updateRecord', 'add_comment', 'kill-process'])('catches %s marked read-only', (name) => {
    expect(runRule(RULE, withTools(tool(name, { annotations: { readOnlyHint: true } }))).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'writeVerb', capability: { kind: 'tool', name }, field: 'annotations.readOnlyHint' },
    ]);
  });
  it.each(['get_update_status', 'list_deleted_items', 'add_numbers', 'search_messages', 'trigger-long-running-operation', 'echo'])('passes %s marked read-only', (name) => {
    expect(runRule(RULE, withTools(tool(name, { annotations: { readOnlyHint: true } })))).toEqual([]);
  });
  it('passes a write tool that is not marked read-only', () => {
    expect(runRule(RULE, withTools(tool('delete_file', { annotations: { readOnlyHint: false } }), tool('send_message')))).toEqual([]);
  });
});

describe('annotations/missing-annotations', () => {
  const RULE = 'annotations/missing-annotations';
  it('catches a tool without annotations and one with only a title', () => {
    const findings = runRule(RULE, withTools(tool('a'), tool('b', { annotations: { title: 'B' } })));
    expect(findings.map((finding) => `${finding.capability.name} ${finding.messageId}`)).toEqual(['a noAnnotations', 'b noHints']);
  });
  it('passes a tool with any behaviour hint, and servers older than annotations', () => {
    expect(runRule(RULE, withTools(tool('a', { annotations: { openWorldHint: false } })))).toEqual([]);
    const old = withTools(tool('a'));
    old.server.protocolVersion = '2024-11-05';
    expect(runRule(RULE, old)).toEqual([]);
  });
});

describe('annotations/destructive-unmarked', () => {
  const RULE = 'annotations/destructive-unmarked';
  const writes = (extra: Record<string, boolean>) => ({ readOnlyHint: false, destructiveHint: false, ...extra });
  it.each(['delete_note', 'drop_table', 'reset_password', 'git_force_push', 'purgeCache'])('catches %s with destructiveHint false', (name) => {
    expect(runRule(RULE, withTools(tool(name, { annotations: writes({}) }))).map(shape)).toEqual([
      { ruleId: RULE, messageId: 'destructiveName', capability: { kind: 'tool', name }, field: 'annotations.destructiveHint' },
    ]);
  });
  it('catches a description that says it overwrites, with destructiveHint false', () => {
    const findings = runRule(RULE, withTools(tool('write_file', { description: 'Write a file; overwrites it if it exists.', annotations: writes({}) })));
    expect(findings.map((finding) => finding.messageId)).toEqual(['destructiveDescription']);
  });
  it.each(['create_issue', 'send_email', 'append_row'])('catches additive %s marked idempotent', (name) => {
    expect(runRule(RULE, withTools(tool(name, { annotations: writes({ idempotentHint: true }) }))).map((finding) => finding.messageId)).toEqual(['idempotentAdditive']);
  });
  it('passes additive writes marked non-destructive, destructive tools left destructive, explained idempotent creates, and read-only tools', () => {
    const findings = runRule(
      RULE,
      withTools(
        tool('create_label', { annotations: writes({ idempotentHint: false }) }),
        tool('send_message', { annotations: writes({}) }),
        tool('delete_note', { annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true } }),
        tool('delete_other', { annotations: { readOnlyHint: false } }),
        tool('create_directory', { description: 'Create a directory. Succeeds silently if it already exists.', annotations: writes({ idempotentHint: true }) }),
        tool('list_drop_zones', { annotations: writes({}) }),
        tool('remove_item', { annotations: { readOnlyHint: true, destructiveHint: false } }),
      ),
    );
    expect(findings).toEqual([]);
  });
});

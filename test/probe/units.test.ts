import { describe, expect, it } from 'vitest';
import { probeEligibility } from '../../src/probe/call.js';
import { boundText, createSanitiser, envPairNames } from '../../src/probe/sanitise.js';
import { invalidArguments, synthesiseArguments } from '../../src/probe/synthesise.js';
import { truncateSafely } from '../../src/secrets/truncate.js';
import { validateAgainstSchema } from '../../src/util/json-schema-validate.js';

const object = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

describe('probeEligibility: the one safety decision', () => {
  it.each([
    [{ readOnlyHint: true }, [], true, 'readOnlyHint: true'],
    [undefined, ['t'], true, 'listed in probe.allow'],
    [{ readOnlyHint: false }, ['t'], true, 'listed in probe.allow'],
    [undefined, [], false, 'not marked readOnlyHint: true and not listed in probe.allow'],
    [{ destructiveHint: true }, ['t'], false, 'destructiveHint: true — never called, even though probe.allow lists it'],
    [{ readOnlyHint: true, destructiveHint: true }, [], false, 'destructiveHint: true — never called'],
  ])('%j with allow %j → %s', (annotations, allow, callable, reason) => {
    expect(probeEligibility({ name: 't', ...(annotations ? { annotations } : {}) }, allow)).toEqual({ callable, reason });
  });
});

describe('synthesiseArguments', () => {
  it('fills only required properties, from const, enum, default and examples first', () => {
    const schema = object(
      {
        a: { type: 'string', enum: ['x', 'y'] },
        b: { type: 'integer', minimum: 3 },
        c: { type: 'boolean' },
        d: { type: 'string', default: 'dflt' },
        e: { type: 'string', examples: ['ex'] },
        f: { const: 7 },
        g: { type: 'string' },
      },
      ['a', 'b', 'c', 'd', 'e', 'f'],
    );
    expect(synthesiseArguments(schema)).toEqual({ ok: true, value: { a: 'x', b: 3, c: false, d: 'dflt', e: 'ex', f: 7 } });
  });
  it('makes a harmless free-text string, nested objects and arrays', () => {
    expect(
      synthesiseArguments(
        object({
          message: { type: 'string', maxLength: 4 },
          options: object({ depth: { type: 'number' } }),
          tags: { type: 'array', items: { type: 'integer' }, minItems: 1 },
        }),
      ),
    ).toEqual({
      ok: true,
      value: { message: 'mcp-', options: { depth: 1 }, tags: [1] },
    });
  });
  it.each(['path', 'file_path', 'url', 'repoId', 'query', 'sql', 'command', 'owner'])('never makes up a required "%s"', (name) => {
    const result = synthesiseArguments(object({ [name]: { type: 'string' } }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining(`"${name}"`) });
  });
  it('never makes up a string with a risky format or a pattern', () => {
    expect(synthesiseArguments(object({ target: { type: 'string', format: 'uri' } })).ok).toBe(false);
    expect(synthesiseArguments(object({ code: { type: 'string', pattern: '^[A-Z]{3}$' } })).ok).toBe(false);
    expect(synthesiseArguments(object({ note: { type: 'string', description: 'The file path to open.' } })).ok).toBe(false);
  });
  it('resolves local $refs and takes the first workable anyOf branch', () => {
    const schema = {
      type: 'object',
      properties: { n: { $ref: '#/$defs/n' }, v: { anyOf: [{ type: 'string', format: 'uri' }, { type: 'integer' }] } },
      required: ['n', 'v'],
      $defs: { n: { type: 'integer', maximum: 0 } },
    };
    expect(synthesiseArguments(schema)).toEqual({ ok: true, value: { n: 0, v: 1 } });
  });
});

describe('invalidArguments', () => {
  it('leaves out the required properties, else gives one property the wrong type', () => {
    expect(invalidArguments(object({ a: { type: 'string' } }))).toEqual({ ok: true, value: {}, kind: 'missing-required' });
    expect(invalidArguments(object({ a: { type: 'string' } }, []))).toEqual({ ok: true, value: { a: false }, kind: 'wrong-type' });
    expect(invalidArguments(object({ n: { type: 'integer' } }, []))).toEqual({ ok: true, value: { n: 'not-a-number' }, kind: 'wrong-type' });
    expect(invalidArguments(object({}))).toEqual({ ok: true, value: { mcp_preflight_unexpected: 1 }, kind: 'unexpected-property' });
    expect(invalidArguments({ type: 'object' }).ok).toBe(false);
  });
  it('the invalid arguments really are invalid, the synthesised ones valid', () => {
    const schema = object({ word: { type: 'string', maxLength: 50 }, limit: { type: 'integer', minimum: 1, maximum: 9 } });
    const valid = synthesiseArguments(schema);
    const invalid = invalidArguments(schema);
    expect(valid.ok && validateAgainstSchema(schema, valid.value)).toEqual({ valid: true });
    expect(invalid.ok && validateAgainstSchema(schema, invalid.value)).toMatchObject({ valid: false });
  });
});

describe('sanitiser and safe truncation', () => {
  it('masks declared values literally, environment dumps, and secrets', () => {
    const sanitiser = createSanitiser(['s3cr3t-db-host.example', 'x']);
    expect(sanitiser.text('connect to s3cr3t-db-host.example now')).toBe('connect to **** now');
    expect(sanitiser.text('HOME=/root PATH=/usr/bin SHELL=/bin/sh')).toBe('HOME=**** PATH=**** SHELL=****');
    expect(sanitiser.text('see README=yes')).toBe('see README=yes');
    expect(sanitiser.text('token ghp_8fKq2LmZ7xWv4RtY1nBc9DsH3jUe6PaG0oQi')).toBe('token ghp_****0oQi');
    expect(sanitiser.deep({ HOME: '/root', PATH: '/usr/bin', USER: 'me', n: 1 })).toEqual({ HOME: '****', PATH: '****', USER: '****', n: 1 });
    expect(envPairNames('{"HOME":"****","PATH":"****"} AB=1 A=2')).toEqual(['AB', 'HOME', 'PATH']);
  });
  it('never keeps half a token when cutting', () => {
    const token = 'ghp_8fKq2LmZ7xWv4RtY1nBc9DsH3jUe6PaG0oQi';
    expect(truncateSafely(`abc ${token} def`, 20)).toBe('abc …');
    expect(truncateSafely('short', 20)).toBe('short');
    expect(boundText(`abc ${token}`, 20)).toEqual({ text: 'abc ', truncated: true });
  });
});

describe('--debug protocol trace', () => {
  it('is masked (secrets, declared values, env dumps), bounded per message, and times responses', async () => {
    const { setProtocolTrace, traceTransport, TRACE_MAX_MESSAGE_CHARS } = await import('../../src/discovery/trace.js');
    const lines: string[] = [];
    setProtocolTrace((line) => lines.push(line));
    try {
      const sent: unknown[] = [];
      const transport = traceTransport(
        { start: async () => {}, close: async () => {}, send: async (message: unknown) => void sent.push(message) } as never,
        'demo',
        ['declared-value-123'],
      ) as unknown as { send(message: unknown): Promise<void>; onmessage?: (message: unknown) => void };
      const received: unknown[] = [];
      transport.onmessage = (message) => received.push(message);
      await transport.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: { q: 'declared-value-123' } } });
      transport.onmessage({
        jsonrpc: '2.0',
        id: 1,
        result: { content: [{ type: 'text', text: `ghp_8fKq2LmZ7xWv4RtY1nBc9DsH3jUe6PaG0oQi HOME=/root PATH=/usr/bin SHELL=/bin/sh ${'x'.repeat(10_000)}` }] },
      });
      expect(sent).toHaveLength(1);
      expect(received).toHaveLength(1);
      const text = lines.join('\n');
      expect(text).toMatch(/\[demo\] \+\d+ms → request tools\/call: .*"q":"\*\*\*\*"/);
      expect(text).toMatch(/← response \(\d+ ms\): .*ghp_\*\*\*\*0oQi HOME=\*\*\*\* PATH=\*\*\*\*/);
      expect(text).not.toContain('declared-value-123');
      expect(text).not.toContain('/usr/bin');
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(TRACE_MAX_MESSAGE_CHARS + 200);
    } finally {
      setProtocolTrace(undefined);
    }
  });
});

describe('masking tokens glued to identifiers', () => {
  it.each(['canary-', 'p_', 'doc-', 'prompt_'])('masks a GitHub token after "%s"', async (prefix) => {
    const { maskSecrets } = await import('../../src/secrets/index.js');
    expect(maskSecrets(`${prefix}ghp_8fKq2LmZ7xWv4RtY1nBc9DsH3jUe6PaG0oQi`)).toBe(`${prefix}ghp_****0oQi`);
  });
});

describe('probeEligibility with odd annotations', () => {
  it.each([['true'], [1], ['yes']])('treats destructiveHint %j as destructive', (value) => {
    expect(probeEligibility({ name: 't', annotations: { readOnlyHint: true, destructiveHint: value as never } }, ['t']).callable).toBe(false);
  });
});

import { join } from 'node:path';
import { sourceOnlyInventory } from '../../../src/source/index.js';
import { projectsDir, ruleTester } from '../../helpers/rule-tester.js';

// Which code the source rules judge, and Host checks of a server's own (issue 15, precision on
// published servers). code-scope is a published package: an esbuild bundle whose dependencies'
// modules (`// node_modules/yaml/...`) sit beside the server's own (`// src/...`), and a setup bin
// the server never loads; code-scope-clean is the same package without the server's own faults.
// Each false-positive shape of the corpus is a valid case; the same code with `ignoredCode: []` (or
// `stackDataMethods: []`, `hostCheckCalls: []`) is an invalid one, so the cases show the option
// decides, not a blind spot of the collector.
const project = (name: string) => () => sourceOnlyInventory(join(projectsDir, name));
const server = { kind: 'server' } as const;
const lookup = { kind: 'tool', name: 'lookup' } as const;
const reload = { kind: 'tool', name: 'reload' } as const;
const index = 'source:build/index.js';

ruleTester.run('secrets/internal-detail-in-error', {
  valid: [
    {
      name: "code-scope-clean: a bundled library's stack (debug's coerce), a setup bin's raw message, a disposer stack pushed back in a return, a constructor only start-up runs, a JSON.parse error about the caller's note",
      facts: project('code-scope-clean'),
    },
  ],
  invalid: [
    {
      name: "code-scope: the server's own stack trace and raw message are reported; a bundled library's, a setup script's and a stack used as a list (`env.stack.push(r)`) are not",
      facts: project('code-scope'),
      errors: [
        { messageId: 'stackReturned', capability: server, field: index, line: 46 },
        { messageId: 'rawErrorReturned', capability: lookup, field: index, line: 59 },
        // parseSettings runs at start-up and again in the reload tool: not start-up only.
        { messageId: 'rawErrorReturned', capability: reload, field: index, line: 71 },
      ],
    },
    {
      name: 'code-scope-clean without startup in ignoredCode: the settings constructor that only module top level reaches is judged',
      facts: project('code-scope-clean'),
      options: { ignoredCode: ['outside-server', 'bundled-package'] },
      errors: [{ messageId: 'rawErrorReturned', capability: server, field: index, line: 62 }],
    },
    {
      name: "code-scope-clean with localErrorCalls: []: the parse error of parse_note's input counts as raw upstream text",
      facts: project('code-scope-clean'),
      options: { localErrorCalls: [] },
      errors: [{ messageId: 'rawErrorReturned', capability: { kind: 'tool', name: 'parse_note' }, field: index, line: 76 }],
    },
    {
      name: 'code-scope with ignoredCode: []: the bundled debug library and the setup bin are judged too',
      facts: project('code-scope'),
      options: { ignoredCode: [] },
      errors: [
        { messageId: 'stackReturned', capability: server, field: index, line: 14 },
        { messageId: 'stackReturned', capability: server, field: index, line: 46 },
        { messageId: 'rawErrorReturned', capability: lookup, field: index, line: 59 },
        { messageId: 'rawErrorReturned', capability: server, field: 'source:build/setup.js', line: 10 },
        { messageId: 'rawErrorReturned', capability: reload, field: index, line: 71 },
      ],
    },
    {
      name: 'code-scope with stackDataMethods: []: the disposer stack pushed back in a return counts as a trace',
      facts: project('code-scope'),
      options: { stackDataMethods: [] },
      errors: [
        { messageId: 'stackReturned', capability: server, field: index, line: 31 },
        { messageId: 'stackReturned', capability: server, field: index, line: 46 },
        { messageId: 'rawErrorReturned', capability: lookup, field: index, line: 59 },
        { messageId: 'rawErrorReturned', capability: reload, field: index, line: 71 },
      ],
    },
  ],
});

ruleTester.run('secrets/secret-logged', {
  valid: [{ name: 'code-scope-clean: the bundled YAML lexer logs its `token` (a lexer token)', facts: project('code-scope-clean') }],
  invalid: [
    {
      name: 'code-scope: the server logging a request body is reported; the bundled YAML lexer logging its `token` is not',
      facts: project('code-scope'),
      errors: [{ messageId: 'logged', capability: server, field: index, line: 53 }],
    },
    {
      name: 'code-scope with ignoredCode: []: the bundled lexer token counts as a secret name',
      facts: project('code-scope'),
      options: { ignoredCode: [] },
      errors: [
        { messageId: 'logged', capability: server, field: index, line: 8 },
        { messageId: 'logged', capability: server, field: index, line: 53 },
      ],
    },
  ],
});

ruleTester.run('auth/token-in-query', {
  valid: [{ name: 'code-scope-clean: a bundled storage client reads the token of a signed URL an API returned', facts: project('code-scope-clean') }],
  invalid: [
    {
      name: "code-scope: the server reading a token from its request URL is reported; a bundled storage client reading a signed URL's token is not",
      facts: project('code-scope'),
      errors: [{ messageId: 'tokenInQuery', capability: server, field: index, line: 50 }],
    },
    {
      name: 'code-scope with ignoredCode: []: the bundled storage client is judged too',
      facts: project('code-scope'),
      options: { ignoredCode: [] },
      errors: [
        { messageId: 'tokenInQuery', capability: server, field: index, line: 21 },
        { messageId: 'tokenInQuery', capability: server, field: index, line: 50 },
      ],
    },
  ],
});

ruleTester.run('transport/missing-host-validation', {
  valid: [
    { name: "host-check: the Host header handed to the server's own isHostAllowed check", facts: project('host-check') },
    {
      name: 'host-check-shorthand: SSEServerTransport gets { enableDnsRebindingProtection, allowedHosts } as shorthand properties',
      facts: project('host-check-shorthand'),
    },
  ],
  invalid: [
    {
      name: 'host-check with hostCheckCalls: []: a Host read only built into a URL checks nothing',
      facts: project('host-check'),
      options: { hostCheckCalls: [] },
      errors: [{ messageId: 'noValidation', capability: server, field: 'source:src/server.ts', line: 30 }],
    },
    {
      name: 'host-protection-off: enableDnsRebindingProtection given as a shorthand of a const false',
      facts: project('host-protection-off'),
      errors: [{ messageId: 'protectionOff', capability: server, field: 'source:src/server.ts', line: 13 }],
    },
  ],
});

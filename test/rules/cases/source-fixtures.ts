import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sourceOnlyInventory } from '../../../src/source/index.js';
import { builtinRules, projectsDir, registerTests, ruleTester, runFixtures } from '../../helpers/rule-tester.js';

// Source rules: every finding on these projects is pinned by a `// ruleid:` marker (rules-bad*),
// and the mitigated project pins what must not be reported with `// ok:` markers (rules-good).
runFixtures([
  'rules-bad',
  'rules-bad-noauth',
  'rules-good',
  'rule-examples-bad',
  'rule-examples-good',
  'operations-bad',
  'operations-good',
  'rule-examples-stdio',
  'rule-examples-http',
  'audit-around',
]);
// rule-examples-bad holds the `examples.bad` of the source rules, verbatim: a marker tagged
// `examples.bad` shows the documented example caught on its line (the meta-test checks the text);
// rule-examples-good likewise holds the `examples.good`, tagged on `// ok:` markers.
// rule-examples-stdio and rule-examples-http hold the examples and messages that need a server of
// their own (a stdio-only start; an HTTP server without read-only mode or logger).

// audit/no-structured-logger judges package.json, which no marker can tag: the dependencies of
// rule-examples-bad and rule-examples-good are its documented examples (checked below).
const project = (name: string) => () => sourceOnlyInventory(join(projectsDir, name));
const lineOf = (name: string, code: string) =>
  readFileSync(join(projectsDir, name, 'src', 'server.ts'), 'utf8')
    .split('\n')
    .indexOf(code) + 1;
ruleTester.run('audit/no-structured-logger', {
  valid: [{ name: 'rule-examples-good: an HTTP server that depends on pino', docExample: 'good', facts: project('rule-examples-good') }],
  invalid: [
    {
      name: 'rule-examples-bad: an HTTP server with no logging dependency, reported where it listens',
      docExample: 'bad',
      facts: project('rule-examples-bad'),
      errors: [{ messageId: 'noLogger', capability: { kind: 'server' }, line: lineOf('rule-examples-bad', 'app.listen(3000);') }],
    },
  ],
});

registerTests(() =>
  it('audit/no-structured-logger: the example projects depend on exactly what examples.bad / examples.good show', () => {
    const examples = builtinRules().find((rule) => rule.id === 'audit/no-structured-logger')!.examples!;
    const dependencies = (name: string) =>
      (JSON.parse(readFileSync(join(projectsDir, name, 'package.json'), 'utf8')) as { dependencies: unknown }).dependencies;
    expect(dependencies('rule-examples-bad')).toEqual((JSON.parse(examples.bad!) as { dependencies: unknown }).dependencies);
    expect(dependencies('rule-examples-good')).toEqual((JSON.parse(examples.good!) as { dependencies: unknown }).dependencies);
  }),
);

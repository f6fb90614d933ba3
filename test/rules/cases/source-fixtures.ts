import { runFixtures } from '../../helpers/rule-tester.js';

// Source rules: every finding on these projects is pinned by a `// ruleid:` marker (rules-bad*),
// and the mitigated project pins what must not be reported with `// ok:` markers (rules-good).
runFixtures(['rules-bad', 'rules-bad-noauth', 'rules-good', 'rule-examples-bad', 'rule-examples-good', 'operations-bad', 'operations-good']);
// rule-examples-bad holds the `examples.bad` of the source rules, verbatim: a marker tagged
// `examples.bad` shows the documented example caught on its line (the meta-test checks the text);
// rule-examples-good likewise holds the `examples.good`, tagged on `// ok:` markers.

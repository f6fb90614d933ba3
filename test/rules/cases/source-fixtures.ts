import { runFixtures } from '../../helpers/rule-tester.js';

// Source rules: every finding on these projects is pinned by a `// ruleid:` marker (rules-bad*),
// and the mitigated project pins what must not be reported with `// ok:` markers (rules-good).
runFixtures(['rules-bad', 'rules-bad-noauth', 'rules-good']);

// Every RuleTester case file; test/rules/rules.test.ts runs them in one process (the packs load
// once), test/rules/meta.test.ts reads them. The meta-test fails when a file here is missing.
import './source-fixtures.js';
import './http.js';
import './schema.js';
import './design.js';
import './live.js';
import './probe.js';
import './repo.js';
import './killswitch.js';
import './drift.js';
import './suppression.js';
import './risk.js';
import './inventory.js';
import './operations.js';
import './code-scope.js';

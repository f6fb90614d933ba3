// Runs every RuleTester case (test/rules/cases/*) in one test process, so the packs load once.
import './cases/index.js';

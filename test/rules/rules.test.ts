// Runs every RuleTester case (test/rules/cases/*) in one test process, so the packs load once. The
// case files only register their tests (the meta-test imports them too, and a worker runs a module
// once): they are defined here.
import './cases/index.js';
import { defineRegisteredTests } from '../helpers/rule-tester.js';

defineRegisteredTests();

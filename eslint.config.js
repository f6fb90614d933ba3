// ESLint flat config: typescript-eslint's type-checked recommended rules over src/ and test/, the
// plain JavaScript recommended rules over scripts/, bin/ and the .mjs test helpers. Formatting is
// Prettier's job (npm run format), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The `globals` package is not a dependency; these are the Node globals our scripts use.
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'fetch',
    'structuredClone',
    'performance',
    'queueMicrotask',
    'require',
    'module',
    '__dirname',
    '__filename',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'fixtures/', 'coverage/', 'test/corpus/servers/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'vitest.config.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // One program for src/ and test/ (tsconfig.test.json includes both): faster than a project service
      // that would look for a tsconfig per file, and test/ has no tsconfig of its own.
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed names are deliberate: rest-destructuring drops a key (`{ $id: _id, ...rest }`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Collectors carry server-supplied JSON as `unknown` and render it with String() on purpose
      // (an object is rendered with excerpt() in src/checks/json-schema.ts before it gets here).
      '@typescript-eslint/no-base-to-string': 'off',
      // A check destructures `report`/`skip` from its context (`({ inventory, report }) => …`): they
      // are methods in CheckContext so defineCheck's narrowed context stays assignable (method
      // parameters are bivariant), and none of them uses `this`.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Commander hands each action its parsed flags as `any`; every command module declares the
    // Flags type it reads, so the one place that passes them on is here.
    files: ['src/cli/main.ts'],
    rules: { '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    // Tests read the CLI's JSON output (JSON.parse → any) and assert on it with expect(): a wrong
    // shape fails the assertion, which is the check these rules would add. They also destructure
    // Node's modules (`const { join } = await import('node:path')`), which unbound-method misreads.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Same JSON: `any` is the honest type of a parsed report a test then breaks on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // Test doubles implement async interfaces (a transport's send) without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
);

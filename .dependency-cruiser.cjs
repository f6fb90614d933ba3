// Layer rules (npm run lint:deps). Collectors gather facts, rules judge, reporters format, the gate
// decides; each layer imports only the layers below it:
//   collectors (discovery, http, source, repo, probe) → inventory → engine → checks → gate → report → cli
// Types shared across layers live in type-only modules (`types.ts`, `inventory/model.ts`).
// One type-only cycle is left, through the inventory/model.ts hub (model imports each collector's fact
// types, which import model's base types back); its 18 paths are recorded in
// .dependency-cruiser-known-violations.json, so `npm run lint:deps` fails on any new one. No cycle
// of runtime imports exists.
const COLLECTORS = '^src/(discovery|http|source|repo|probe)/';
// Pure helpers under src/checks/ that collectors and the inventory share with the rules (schema
// walking, word lists, parameter names). They import nothing from a rule.
const SHARED_CHECK_HELPERS = '^src/checks/(json-schema|words|parameters)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle (type-only ones included) ties two layers together; move the shared types into a type module.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'collectors-below-engine',
      severity: 'error',
      comment: 'Collectors hand over neutral facts: they never import the engine, a rule, a reporter, the gate or the CLI.',
      from: { path: COLLECTORS },
      to: { path: '^src/(engine|checks|report|gate|cli)/', pathNot: SHARED_CHECK_HELPERS },
    },
    {
      name: 'inventory-below-checks',
      severity: 'error',
      comment: 'The inventory model is facts; it does not know the rules that judge it.',
      from: { path: '^src/inventory/' },
      to: { path: '^src/(engine|checks|report|gate|cli)/', pathNot: [SHARED_CHECK_HELPERS, '^src/report/types[.]ts$'] },
    },
    {
      name: 'checks-judge-only',
      severity: 'error',
      comment: 'A rule judges collected facts: no CLI, no reporter, no gate, and no module that does I/O.',
      from: { path: '^src/checks/' },
      to: { path: '^src/(cli|report|gate|collect|config)/|^src/discovery/(connect|discover|http-wire)[.]ts$|^src/http/(request|tls|probe|ca-fetch)[.]ts$' },
    },
    {
      name: 'checks-no-network',
      severity: 'error',
      comment: 'A rule never opens a socket, spawns a process or reads files of its own (node:net is allowed: isIP is pure).',
      from: { path: '^src/checks/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(tls|http|https|http2|dgram|child_process|fs|fs/promises)$' },
    },
    {
      name: 'reporters-format-only',
      severity: 'error',
      comment: 'Reporters format results: they never import a collector or a rule (completeness.ts only describes listing facts).',
      from: { path: '^src/report/' },
      to: { path: '^src/(discovery|http|source|repo|probe|checks|collect|cli)/', pathNot: '^src/discovery/completeness[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'gate-decides-on-types',
      severity: 'error',
      comment: 'The gate decides from findings: it imports engine and report types, nothing that runs.',
      from: { path: '^src/gate/' },
      to: { path: '^src/', pathNot: ['^src/gate/', '^src/engine/types[.]ts$', '^src/report/types[.]ts$', '^src/util/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: the three type cycles this check removed were all type-only.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

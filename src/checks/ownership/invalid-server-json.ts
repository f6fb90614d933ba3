import { defineCheck } from '../../engine/define-check.js';
import { ownershipFacts } from './facts.js';

/**
 * ownership/invalid-server-json: the MCP registry manifest exists but its documented fields are
 * missing or malformed (src/repo/ownership.ts checks name, description, version, repository). No
 * server.json at all is not a finding: publishing to the registry is optional.
 */
export const invalidServerJson = defineCheck('ownership/invalid-server-json', ({ inventory, report }) => {
  const manifest = ownershipFacts(inventory)?.ownership.serverJson;
  if (manifest === undefined) return;
  for (const problem of manifest.problems) {
    report({
      messageId: 'problem',
      data: { problem: problem.message },
      capability: { kind: 'server' },
      field: `server.json${problem.pointer}`,
      location: { file: manifest.file, line: problem.line ?? 1, column: 1 },
    });
  }
});

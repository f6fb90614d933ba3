import { defineCheck } from '../../engine/define-check.js';
import path from 'node:path';
import { ignoredPaths } from './ignore-paths.js';

/**
 * secrets/hardcoded-secret: credentials committed in the repository (facts: src/repo/secrets.ts,
 * already masked). Allowed ones (documented example keys, `secrets.allow`) and paths in the
 * `ignorePaths` option (tests, fixtures) are not reported.
 */
export const hardcodedSecret = defineCheck('secrets/hardcoded-secret', ({ inventory, rule, report }) => {
  const repo = inventory.repo;
  if (repo?.secrets === undefined) return;
  const isIgnored = ignoredPaths(rule);
  const ordinals = new Map<string, number>();
  for (const secret of repo.secrets.found) {
    if (secret.allowed !== undefined || isIgnored(secret.file)) continue;
    // Line-free identity: file, format and masked value, numbered when the same one repeats in a file.
    const identity = `${secret.kind} ${secret.preview}`;
    const key = `${secret.file}\0${identity}`;
    const ordinal = (ordinals.get(key) ?? 0) + 1;
    ordinals.set(key, ordinal);
    report({
      messageId: secret.name === undefined ? 'secretFound' : 'secretAssigned',
      data: { file: secret.file, line: secret.line, kind: secret.kind, preview: secret.preview, ...(secret.name ? { name: secret.name } : {}) },
      capability: { kind: 'server' },
      field: `repo:${secret.file}`,
      evidence: ordinal === 1 ? identity : `${identity}#${ordinal}`,
      location: {
        file: path.resolve(repo.root, secret.file),
        line: secret.line,
        column: secret.column,
        endLine: secret.endLine,
        endColumn: secret.endColumn,
      },
    });
  }
});

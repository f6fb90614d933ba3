import { defineCheck, type MessageIdOf } from '../../engine/define-check.js';
import path from 'node:path';
import type { FindingInput as AnyFindingInput } from '../../engine/types.js';
import { lineOfPointer, type ServerJsonFacts } from '../../repo/server-json.js';
import { isKeyLikeName } from '../../secrets/patterns.js';
import { isRecord } from '../json-schema.js';
import { ignoredPaths } from './ignore-paths.js';

type FindingInput = AnyFindingInput<MessageIdOf<'secrets/env-not-marked-secret'>>;

/** `.env`, `.env.production`, `config/.env.local`; not the templates committed on purpose. */
const DOTENV = /(?:^|\/)\.env(?:\.[\w.-]+)?$/;
const DOTENV_TEMPLATE = /\.(?:example|sample|template|dist|defaults?|schema|tpl)$/i;

/**
 * secrets/env-not-marked-secret: `server.json` environment variables (and remote headers) with
 * key-like names that lack `"isSecret": true`, and a `.env` file in a git repository (outside the
 * `ignorePaths` option: test fixtures).
 */
export const envNotMarkedSecret = defineCheck('secrets/env-not-marked-secret', ({ inventory, rule, report }) => {
  const repo = inventory.repo;
  if (repo === undefined) return;
  if (repo.serverJson !== undefined) for (const finding of unmarkedInputs(repo.serverJson, repo.root)) report(finding);
  if (!repo.git) return;
  const isIgnored = ignoredPaths(rule);
  for (const file of repo.files) {
    if (!DOTENV.test(file) || DOTENV_TEMPLATE.test(file) || isIgnored(file)) continue;
    report({
      messageId: 'dotenvCommitted',
      data: { file, how: 'tracked, or not ignored by git' },
      capability: { kind: 'server' },
      field: `repo:${file}`,
      evidence: file,
      location: { file: path.resolve(repo.root, file), line: 1, column: 1 },
    });
  }
});

function* unmarkedInputs(manifest: ServerJsonFacts, root: string): Generator<FindingInput> {
  const document = manifest.parsed;
  if (!isRecord(document)) return;
  const file = path.relative(root, manifest.file).split(path.sep).join('/') || 'server.json';
  const lists: Array<{ pointer: string; what: string; where: string; items: unknown }> = [];
  (Array.isArray(document.packages) ? document.packages : []).forEach((pkg, index) => {
    if (!isRecord(pkg)) return;
    const where = typeof pkg.identifier === 'string' ? `package ${pkg.identifier}` : `packages[${index}]`;
    lists.push({ pointer: `/packages/${index}/environmentVariables`, what: 'environment variable', where, items: pkg.environmentVariables });
  });
  (Array.isArray(document.remotes) ? document.remotes : []).forEach((remote, index) => {
    if (!isRecord(remote)) return;
    const where = typeof remote.url === 'string' ? `remote ${remote.url}` : `remotes[${index}]`;
    lists.push({ pointer: `/remotes/${index}/headers`, what: 'header', where, items: remote.headers });
  });
  for (const list of lists) {
    if (!Array.isArray(list.items)) continue;
    for (const [index, item] of list.items.entries()) {
      if (!isRecord(item) || typeof item.name !== 'string' || item.isSecret === true) continue;
      if (!isKeyLikeName(item.name) && !/^(?:authorization|proxy-authorization|cookie)$/i.test(item.name)) continue;
      const pointer = `${list.pointer}/${index}`;
      yield {
        messageId: 'envNotSecret',
        data: { what: list.what, name: item.name, where: list.where, file },
        capability: { kind: 'server' },
        field: `repo:${file}`,
        evidence: `${list.where} ${item.name}`,
        location: { file: manifest.file, line: lineOfPointer(manifest, pointer), column: 1 },
      };
    }
  }
}

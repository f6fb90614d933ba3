import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectOwnershipFacts } from '../../src/repo/ownership.js';
import { parseServerJsonText } from '../../src/repo/server-json.js';
import type { RepoFacts } from '../../src/repo/types.js';

const root = mkdtempSync(path.join(tmpdir(), 'mcp-preflight-ownership-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function repoWith(serverJson: string): RepoFacts {
  return {
    root,
    packageDir: root,
    from: { directory: root, why: 'flag' },
    git: false,
    files: [],
    serverJson: parseServerJsonText(serverJson, path.join(root, 'server.json')),
  };
}

describe('server.json documented fields', () => {
  it('accepts a manifest with name, description, version and repository', () => {
    const facts = collectOwnershipFacts(
      repoWith(
        JSON.stringify({
          name: 'io.github.acme/weather',
          description: 'Weather forecasts.',
          version: '1.2.0',
          repository: { url: 'https://github.com/acme/weather', source: 'github' },
        }),
      ),
    );
    expect(facts.serverJson).toEqual({
      file: path.join(root, 'server.json'),
      name: 'io.github.acme/weather',
      repository: 'https://github.com/acme/weather',
      problems: [],
    });
  });

  it('names each problem with its JSON pointer and line', () => {
    const text = [
      '{',
      '  "name": "weather",',
      `  "description": "${'x'.repeat(101)}",`,
      '  "version": "^1.2.0",',
      '  "repository": { "url": "git@github.com:acme/weather.git", "source": "github" }',
      '}',
    ].join('\n');
    const problems = collectOwnershipFacts(repoWith(text)).serverJson!.problems;
    expect(problems.map((problem) => [problem.pointer, problem.line])).toEqual([
      ['/name', 2],
      ['/description', 3],
      ['/version', 4],
      ['/repository/url', 5],
    ]);
    expect(collectOwnershipFacts(repoWith('{ "name": "a/b" }')).serverJson!.problems.map((problem) => problem.message)).toEqual([
      'server.json has no "description"',
      'server.json has no "version"',
      'server.json has no "repository" ({ url, source })',
    ]);
  });
});

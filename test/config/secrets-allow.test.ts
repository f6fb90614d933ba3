import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';

const load = (text: string) => parseConfig(text, '/project/mcp-preflight.yaml', {});

function problem(text: string): string {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

describe('config: secrets.allow', () => {
  it('loads entries by path, value or both, each with its reason', () => {
    const config = load(
      'secrets:\n  allow:\n    - path: "docs/**"\n      reason: shared staging key\n    - value: "AKIA****WXYZ"\n      path: test/**\n      reason: revoked\n',
    );
    expect(config.secrets).toEqual({
      allow: [
        { path: 'docs/**', reason: 'shared staging key' },
        { value: 'AKIA****WXYZ', path: 'test/**', reason: 'revoked' },
      ],
    });
    expect(load('targets:\n  - name: a\n    url: http://127.0.0.1:1/mcp\n').secrets).toBeUndefined();
  });

  it.each([
    ['an entry without a reason', 'secrets:\n  allow:\n    - path: "docs/**"\n', /mcp-preflight\.yaml:3:7: missing field "reason" in "secrets\.allow\[0\]"/],
    ['an empty reason', 'secrets:\n  allow:\n    - value: x\n      reason: ""\n', /:4:15: "secrets\.allow\[0\]\.reason" must be a non-empty reason/],
    ['an entry naming neither path nor value', 'secrets:\n  allow:\n    - reason: because\n', /:3:7: "secrets\.allow" entry needs "path" or "value"/],
    ['a misspelt key', 'secrets:\n  alow: []\n', /:2:3: unknown key "alow" in "secrets"; did you mean "allow"\?/],
  ])('rejects %s with one line naming the place', (_label, text, expected) => {
    const message = problem(text);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });
});

// Regressions found by fuzzing (test/fuzz): YAML that parses but cannot become data gets one
// file:line:column line like every other config or pack mistake, not a ReferenceError ("internal
// error") or a Node warning on stderr.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { PackError, parsePack } from '../../src/engine/packs.js';

afterEach(() => vi.restoreAllMocks());

describe('YAML that cannot become data', () => {
  it('an alias to no anchor: ConfigError naming the alias and its line', () => {
    expect(() => parseConfig('version: 1\ntargets: *missing\n', '/tmp/x/mcp-preflight.yaml', {})).toThrow(ConfigError);
    expect(() => parseConfig('version: 1\ntargets: *missing\n', '/tmp/x/mcp-preflight.yaml', {})).toThrow(/:2:10: .*alias \*missing refers to no anchor/);
  });

  it('an alias to no anchor in a pack: PackError, one line', () => {
    expect(() => parsePack('pack: custom\nrules: [*r]\n', '/tmp/x/pack.yaml', true)).toThrow(PackError);
    expect(() => parsePack('pack: custom\nrules: [*r]\n', '/tmp/x/pack.yaml', true)).toThrow(/^[^\n]*:2:9: [^\n]*alias \*r refers to no anchor[^\n]*$/);
  });

  it('a list used as a key: a ConfigError, and no warning printed by the YAML library', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    expect(() => parseConfig('? [a, b]\n: 1\n', '/tmp/x/mcp-preflight.yaml', {})).toThrow(/:1:3: .*a key must be a plain value/);
    expect(warn).not.toHaveBeenCalled();
  });

  it('anchors and aliases that resolve still load', () => {
    expect(() => parseConfig('version: 1\ngate: &g { failOn: warning }\n', '/tmp/x/mcp-preflight.yaml', {})).not.toThrow();
  });
});

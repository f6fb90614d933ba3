import { describe, expect, it } from 'vitest';
import { encodePosixPath, relativeToRoot } from '../../src/report/paths.js';

describe('relativeToRoot', () => {
  it('makes POSIX paths root-relative and percent-encodes each segment', () => {
    expect(relativeToRoot('/repo/src/my tools/a#b.ts', '/repo')).toEqual({
      display: 'src/my tools/a#b.ts',
      uri: 'src/my%20tools/a%23b.ts',
      outsideRoot: false,
    });
    expect(relativeToRoot('/repo/src/ünï.ts', '/repo/').uri).toBe('src/%C3%BCn%C3%AF.ts');
  });

  it('falls back to the basename outside the root, never an absolute path', () => {
    expect(relativeToRoot('/elsewhere/x.ts', '/repo')).toEqual({ display: 'x.ts', uri: 'x.ts', outsideRoot: true });
    expect(relativeToRoot('/repo-other/x.ts', '/repo').outsideRoot).toBe(true);
    expect(relativeToRoot('/repo', '/repo')).toMatchObject({ uri: 'repo', outsideRoot: true });
  });

  it('handles Windows paths with POSIX output', () => {
    expect(relativeToRoot('C:\\work\\repo\\src\\a b.ts', 'C:\\work\\repo')).toEqual({
      display: 'src/a b.ts',
      uri: 'src/a%20b.ts',
      outsideRoot: false,
    });
    expect(relativeToRoot('D:\\other\\x.ts', 'C:\\work\\repo')).toMatchObject({ uri: 'x.ts', outsideRoot: true });
  });

  it('takes a relative path as relative to the root', () => {
    expect(relativeToRoot('src/a.ts', '/repo')).toMatchObject({ uri: 'src/a.ts', outsideRoot: false });
    expect(relativeToRoot('../x/a.ts', '/repo')).toMatchObject({ uri: 'a.ts', outsideRoot: true });
  });
});

describe('encodePosixPath', () => {
  it('keeps separators and encodes segments', () => {
    expect(encodePosixPath('a b/c%d/e')).toBe('a%20b/c%25d/e');
  });
});

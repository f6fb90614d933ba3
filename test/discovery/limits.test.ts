import { describe, expect, it } from 'vitest';
import { limitsFromFlags } from '../../src/cli/target-options.js';
import { DEFAULT_LIMITS, parseByteSize } from '../../src/discovery/target.js';

describe('listing limits', () => {
  it('reads sizes in bytes and binary units, and nothing else', () => {
    expect(parseByteSize('1048576')).toBe(1_048_576);
    expect(parseByteSize(2048)).toBe(2048);
    expect(parseByteSize('64MiB')).toBe(64 * 1024 * 1024);
    expect(parseByteSize('512 KiB')).toBe(512 * 1024);
    expect(parseByteSize('1.5m')).toBe(1.5 * 1024 * 1024);
    expect(parseByteSize('2G')).toBe(2 * 1024 ** 3);
    for (const bad of ['', 'MiB', '12 parsecs', '-5', '1e6', '10 MB extra']) expect(parseByteSize(bad)).toBeUndefined();
    expect(parseByteSize(1.5)).toBeUndefined();
  });

  it('turns only the flags given into overrides, and rejects a bound out of range with the flag named', () => {
    expect(limitsFromFlags({})).toEqual({});
    expect(limitsFromFlags({ maxPages: '50', maxItems: '5000', maxListBytes: '8MiB' })).toEqual({
      maxPagesPerList: 50,
      maxItemsPerList: 5000,
      maxBytesPerList: 8 * 1024 * 1024,
    });
    expect(() => limitsFromFlags({ maxItems: '0' })).toThrow(/^--max-items must be a whole number from 1 to 10000000, got "0"$/);
    expect(() => limitsFromFlags({ maxPages: '1e3' })).toThrow(/^--max-pages must be a whole number/);
    expect(() => limitsFromFlags({ maxListBytes: '100' })).toThrow(/^--max-list-bytes must be a size from 1KiB to 4GiB/);
    expect(() => limitsFromFlags({ maxListBytes: '5GiB' })).toThrow(/^--max-list-bytes must be a size/);
  });

  it('defaults let a 10,000-tool server at 100 a page through (100 pages, about 7.5 MiB)', () => {
    expect(DEFAULT_LIMITS.maxPagesPerList).toBeGreaterThanOrEqual(100);
    expect(DEFAULT_LIMITS.maxItemsPerList).toBeGreaterThanOrEqual(10_000);
    expect(DEFAULT_LIMITS.maxBytesPerList).toBeGreaterThan(7.5 * 1024 * 1024);
  });
});

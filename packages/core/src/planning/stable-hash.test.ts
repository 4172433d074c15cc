import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, fnv1a64, stableHash } from './stable-hash.js';

describe('stableHash', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('FNV-1a 64 of %j is the published test vector %s', (text, hex) => {
    expect(fnv1a64(text)).toBe(hex);
  });

  it('ignores key order and undefined members, and sees every value change', () => {
    expect(stableHash({ a: 1, b: { c: 'x', d: [1, 2] } })).toBe(stableHash({ b: { d: [1, 2], c: 'x' }, a: 1, e: undefined }));
    expect(stableHash({ a: 'x' })).not.toBe(stableHash({ a: 'y' }));
    expect(stableHash([1, 2])).not.toBe(stableHash([2, 1]));
    expect(canonicalJson({ b: 1, a: 'é' })).toBe('{"a":"é","b":1}');
  });

  it('the same JSON value always hashes the same, whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(stableHash(reversed)).toBe(stableHash(record));
        expect(stableHash(record)).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
      }),
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => stableHash({ n: Number.NaN })).toThrow(RangeError);
  });
});

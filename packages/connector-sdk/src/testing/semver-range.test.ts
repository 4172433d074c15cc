import { describe, expect, it } from 'vitest';
import { satisfiesRange } from './semver-range.js';

describe('satisfiesRange (the kit’s host-range check)', () => {
  it.each([
    ['0.1.0', '^0.1.0', true],
    ['0.1.5', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.4.0', '^1.2.3', true],
    ['2.0.0', '^1.2.3', false],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['0.1.0', '>=0.1.0 <2', true],
    ['2.0.0', '>=0.1.0 <2', false],
    ['0.1.0', '^9.0.0 || ^0.1.0', true],
    ['0.1.0', '0.x', true],
    ['1.0.0', '0.x', false],
    ['0.1.0', '*', true],
    ['0.1.0', '0.1.0', true],
    ['0.1.1', '0.1.0', false],
    ['0.1.0', 'latest', false],
  ] as const)('%s satisfies %s: %s', (version, range, expected) => {
    expect(satisfiesRange(version, range)).toBe(expected);
  });
});

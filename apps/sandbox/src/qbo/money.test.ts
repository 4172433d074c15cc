import { describe, expect, it } from 'vitest';
import { fromCents, multiplyToCents, toCents } from './money.js';

describe('amounts in cents', () => {
  it('converts decimal amounts exactly where float arithmetic drifts', () => {
    expect(toCents(0.1)).toBe(10);
    expect(toCents(1.005)).toBe(101); // 1.005 * 100 is 100.49999999999999 in floats
    expect(toCents(19.99)).toBe(1999);
    expect(toCents(-2.5)).toBe(-250);
    expect(toCents(1e21)).toBeUndefined();
    expect(toCents('12')).toBeUndefined();
  });

  it('sums many lines without drift: 0.1 + 0.2 is 0.3', () => {
    const total = [0.1, 0.2].reduce((sum, a) => sum + (toCents(a) ?? 0), 0);
    expect(fromCents(total)).toBe(0.3);
    const thousand = Array.from({ length: 1000 }, () => toCents(0.01) ?? 0).reduce((a, b) => a + b, 0);
    expect(fromCents(thousand)).toBe(10);
  });

  it('multiplies quantity by unit price on decimal text', () => {
    expect(multiplyToCents(3, 19.99)).toBe(5997);
    expect(multiplyToCents(1.5, 0.333)).toBe(50);
    expect(multiplyToCents(0.1, 3)).toBe(30);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { currencyExponent, fromMinorUnits, toMinorUnits } from './money.js';

describe('money in minor units', () => {
  it.each([
    ['19.99', 'USD', 1999],
    [19.99, 'USD', 1999],
    [0.1 + 0.2, 'USD', 30],
    ['1000', 'JPY', 1000],
    ['1.005', 'USD', 101],
    ['-12.345', 'USD', -1235],
    ['12.3456', 'KWD', 12346],
    ['0.004', 'USD', 0],
    ['-0.001', 'USD', 0],
    ['  7.5 ', 'EUR', 750],
    [1e21, 'USD', Number.NaN],
  ] as const)('%s %s is %d minor units', (value, currency, expected) => {
    if (Number.isNaN(expected)) {
      expect(() => toMinorUnits(value, currency)).toThrow(RangeError);
    } else {
      expect(toMinorUnits(value, currency)).toBe(expected);
    }
  });

  it('refuses text that is not a decimal amount', () => {
    for (const bad of ['', 'abc', '1,000.00', '1.2.3', '$5', 'NaN', '1e5']) {
      expect(() => toMinorUnits(bad, 'USD')).toThrow(/Not a decimal amount/);
    }
    expect(() => toMinorUnits(Number.POSITIVE_INFINITY, 'USD')).toThrow(RangeError);
  });

  it.each([
    [1999, 'USD', '19.99'],
    [5, 'USD', '0.05'],
    [-5, 'USD', '-0.05'],
    [0, 'USD', '0.00'],
    [1000, 'JPY', '1000'],
    [12346, 'KWD', '12.346'],
  ] as const)('%d minor units of %s is "%s"', (minor, currency, expected) => {
    expect(fromMinorUnits(minor, currency)).toBe(expected);
  });

  it('refuses minor units that are not safe integers', () => {
    expect(() => fromMinorUnits(1.5, 'USD')).toThrow(RangeError);
  });

  it('round-trips every integer amount exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'KWD', 'AUD'), (minor, currency) => {
        expect(toMinorUnits(fromMinorUnits(minor, currency), currency)).toBe(minor);
      }),
    );
  });

  it('knows the exponent of zero- and three-decimal currencies', () => {
    expect(currencyExponent('jpy')).toBe(0);
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('GBP')).toBe(2);
  });
});

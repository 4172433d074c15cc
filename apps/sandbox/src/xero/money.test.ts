import { describe, expect, it } from 'vitest';
import { computeLines } from './invoices.js';
import { fromUnits, toUnits } from './money.js';
import { XeroStore } from './store.js';

describe('exact invoice arithmetic', () => {
  it('parses decimals without float drift and rounds half away from zero', () => {
    expect(toUnits(19.99, 2)).toBe(1999n);
    expect(toUnits(0.1 + 0.2, 2)).toBe(30n);
    expect(toUnits('2.345', 2)).toBe(235n);
    expect(toUnits(-2.345, 2)).toBe(-235n);
    expect(toUnits('abc', 2)).toBeUndefined();
    expect(fromUnits(6603n, 2)).toBe(66.03);
  });

  it('totals exclusive, inclusive and no-tax lines to the cent, tax rounded per line', () => {
    const org = new XeroStore().createOrganisation({ name: 'AU', countryCode: 'AU', createdMs: 0 });
    const lines = [
      { Description: 'a', Quantity: 3, UnitAmount: 19.99 },
      { Description: 'b', Quantity: 0.5, UnitAmount: 0.1 },
    ];
    const errors: string[] = [];
    const exclusive = computeLines(org, lines, { lineAmountTypes: 'Exclusive', sales: true, allowDiscount: true }, errors);
    expect([exclusive.subTotal, exclusive.totalTax, exclusive.total]).toEqual([6002n, 601n, 6603n]);
    const inclusive = computeLines(org, lines, { lineAmountTypes: 'Inclusive', sales: true, allowDiscount: true }, errors);
    expect([inclusive.subTotal, inclusive.totalTax, inclusive.total]).toEqual([5457n, 545n, 6002n]);
    const noTax = computeLines(org, lines, { lineAmountTypes: 'NoTax', sales: true, allowDiscount: true }, errors);
    expect([noTax.subTotal, noTax.totalTax, noTax.total]).toEqual([6002n, 0n, 6002n]);
    expect(errors).toEqual([]);
  });

  it('names bad lines', () => {
    const org = new XeroStore().createOrganisation({ name: 'AU', countryCode: 'AU', createdMs: 0 });
    const errors: string[] = [];
    computeLines(org, [{ Quantity: 'x', UnitAmount: 1 }, { Description: 'y', UnitAmount: 1, AccountCode: '999' }, {}], { lineAmountTypes: 'Exclusive', sales: true, allowDiscount: true }, errors);
    expect(errors).toEqual(['Line item 1: Quantity must be a number.', "Account code '999' is not a valid code for this document.", 'Description needs to be at least 1 char long.']);
  });
});

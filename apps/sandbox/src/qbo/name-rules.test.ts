import { describe, expect, it } from 'vitest';
import { checkNameFields, generateDisplayName, maxLength, nameKey } from './name-rules.js';

describe('nameKey', () => {
  it('treats names differing only in case or spacing as the same name', () => {
    expect(nameKey('  Acme   Pty Ltd ')).toBe(nameKey('acme pty ltd'));
    expect(nameKey('Acme Pty Ltd')).not.toBe(nameKey('Acme Pty. Ltd'));
  });
});

describe('generateDisplayName', () => {
  it('joins Title, GivenName, MiddleName, FamilyName and Suffix in that order', () => {
    expect(generateDisplayName({ Suffix: 'Jr', FamilyName: 'King', GivenName: 'James', Title: 'Mr', MiddleName: 'T' })).toBe('Mr James T King Jr');
    expect(generateDisplayName({ GivenName: '  Ana ', CompanyName: 'Ignored Ltd' })).toBe('Ana');
    expect(generateDisplayName({ CompanyName: 'Only A Company' })).toBeUndefined();
  });
});

describe('checkNameFields', () => {
  it.each([
    ['DisplayName', 'Rob:Barnett:Company'],
    ['GivenName', 'Tab\there'],
    ['FamilyName', 'New\nline'],
    ['PrintOnCheckName', 'A:B'],
  ])('refuses a colon, tab or newline in %s with code 2040', (field, value) => {
    const fault = checkNameFields('Customer', { [field]: value });
    expect(fault?.errors[0]).toMatchObject({ code: '2040', element: field, Detail: `Element contains invalid characters. ${value}` });
  });

  it('allows colons in fields outside the rule (e.g. Notes)', () => {
    expect(checkNameFields('Customer', { DisplayName: 'Fine', Notes: 'Call at 9:30' })).toBeUndefined();
  });

  it('enforces the reference lengths, including nested ones', () => {
    expect(checkNameFields('Customer', { DisplayName: 'x'.repeat(500) })).toBeUndefined();
    expect(checkNameFields('Customer', { DisplayName: 'x'.repeat(501) })?.errors[0]).toMatchObject({ code: '2050', element: 'DisplayName' });
    expect(checkNameFields('Customer', { GivenName: 'x'.repeat(101) })?.errors[0]?.Detail).toBe(
      'String length specified does not match the supported length. Min:0 Max:100 supplied length:101',
    );
    expect(checkNameFields('Customer', { BillAddr: { PostalCode: '1'.repeat(31) } })?.errors[0]?.element).toBe('BillAddr.PostalCode');
    expect(checkNameFields('Customer', { PrimaryEmailAddr: { Address: `${'a'.repeat(95)}@x.com` } })?.errors[0]?.element).toBe('PrimaryEmailAddr.Address');
  });

  it('uses the entity-specific limit for PrintOnCheckName (customer 110, vendor 100)', () => {
    expect(maxLength('Customer', 'PrintOnCheckName')).toBe(110);
    expect(maxLength('Vendor', 'PrintOnCheckName')).toBe(100);
    expect(checkNameFields('Customer', { PrintOnCheckName: 'x'.repeat(105) })).toBeUndefined();
    expect(checkNameFields('Vendor', { PrintOnCheckName: 'x'.repeat(105) })?.errors[0]?.code).toBe('2050');
  });

  it('refuses an e-mail address without @ and a dotted domain', () => {
    expect(checkNameFields('Customer', { PrimaryEmailAddr: { Address: 'jdrew@myemail.com' } })).toBeUndefined();
    expect(checkNameFields('Customer', { PrimaryEmailAddr: { Address: 'jdrew.myemail.com' } })?.errors[0]).toMatchObject({
      code: '6000',
      element: 'PrimaryEmailAddr.Address',
    });
  });
});

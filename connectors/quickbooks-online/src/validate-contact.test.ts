import { Contact, type ContactInput } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { toQboCustomer, toQboVendor } from './mappers/to-qbo-customer.js';
import { checkQboNameList } from './validate-contact.js';

const check = (input: ContactInput, mode: 'create' | 'update' = 'create') => {
  const contact = Contact.parse(input);
  const body = contact.kind === 'customer' ? toQboCustomer(contact) : toQboVendor(contact);
  return checkQboNameList(body, contact.kind, mode)?.toJSON();
};

describe('QBO rules checked before a write', () => {
  it('accepts an ordinary contact', () => {
    expect(check({ kind: 'customer', displayName: "King's Groceries", emails: [{ address: 'a@b.co' }] })).toBeUndefined();
  });

  it('refuses a colon, tab or line break in names, naming the field and the fix', () => {
    expect(check({ kind: 'customer', displayName: 'Rob:Barnett:Company' })).toMatchObject({ kind: 'validation', field: 'displayName', message: expect.stringContaining('remove it') });
    expect(check({ kind: 'supplier', displayName: 'Ok', familyName: 'Tab\there' })).toMatchObject({ field: 'familyName' });
  });

  it('refuses values longer than QBO allows, with the limit', () => {
    expect(check({ kind: 'customer', displayName: 'A', companyName: 'c'.repeat(101) })).toMatchObject({ field: 'companyName', message: expect.stringContaining('at most 100') });
    expect(check({ kind: 'customer', displayName: 'A', notes: 'n'.repeat(2001) })).toMatchObject({ field: 'notes' });
    expect(check({ kind: 'supplier', displayName: 'A', taxNumber: '1'.repeat(21) })).toMatchObject({ field: 'taxNumber' });
  });

  it('needs a display name or a person name to create', () => {
    expect(check({ kind: 'customer', emails: [{ address: 'a@b.co' }] })).toMatchObject({ field: 'displayName' });
    expect(check({ kind: 'customer', givenName: 'Ann' })).toBeUndefined();
    expect(check({ kind: 'customer', emails: [{ address: 'a@b.co' }] }, 'update')).toBeUndefined();
  });

  it('refuses an email without @ and a dot', () => {
    expect(check({ kind: 'customer', displayName: 'A', emails: [{ address: 'nobody@localhost' }] })).toMatchObject({ field: 'emails[primary]' });
  });
});

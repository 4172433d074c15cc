import { Contact, isConnectorError } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { XeroContact } from '../vendor/contact.schema.js';
import { fromXeroContact } from './from-xero-contact.js';
import { toXeroContact } from './to-xero-contact.js';

/** Trimmed from the reference's PUT /Contacts answer (xero-api.md §2.8). */
const bruce = XeroContact.parse({
  ContactID: '3ff6d40c-af9a-40a3-89ce-3c1556a25591',
  ContactStatus: 'ACTIVE',
  Name: 'Bruce Banner',
  FirstName: 'Bruce',
  LastName: 'Banner',
  EmailAddress: 'hulk@avengers.com',
  BankAccountDetails: '',
  Addresses: [
    { AddressType: 'STREET', City: '', Region: '', PostalCode: '', Country: '' },
    { AddressType: 'POBOX', AddressLine1: 'PO Box 1', City: 'Wellington', Region: '', PostalCode: '6011', Country: 'NZ' },
  ],
  Phones: [
    { PhoneType: 'DEFAULT', PhoneNumber: '', PhoneAreaCode: '', PhoneCountryCode: '' },
    { PhoneType: 'MOBILE', PhoneNumber: '555-1212', PhoneAreaCode: '415', PhoneCountryCode: '' },
  ],
  UpdatedDateUTC: '/Date(1551399321043+0000)/',
  IsSupplier: false,
  IsCustomer: true,
  HasValidationErrors: false,
});

const expectValidation = (fn: () => unknown, field: string) => {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isConnectorError(caught) && { kind: caught.kind, field: caught.field }).toEqual({ kind: 'validation', field });
};

describe('Xero Contact → canonical', () => {
  it('maps names, email, non-blank phones and addresses, and the UpdatedDateUTC version', () => {
    const remote = fromXeroContact(bruce, 'customer');
    expect(remote).toMatchObject({ id: bruce.ContactID, status: 'active', version: '/Date(1551399321043+0000)/', updatedAt: '2019-03-01T00:15:21.043Z' });
    expect(remote.contact).toMatchObject({
      kind: 'customer',
      displayName: 'Bruce Banner',
      givenName: 'Bruce',
      familyName: 'Banner',
      emails: [{ address: 'hulk@avengers.com', type: 'primary' }],
      phones: [{ number: '415 555-1212', type: 'mobile' }],
      addresses: [{ type: 'billing', lines: ['PO Box 1'], city: 'Wellington', postalCode: '6011', country: 'NZ' }],
    });
  });

  it('ARCHIVED is archived; ARCHIVED with MergedToContactID is merged into that contact', () => {
    expect(fromXeroContact({ ...bruce, ContactStatus: 'ARCHIVED' }, 'supplier').status).toBe('archived');
    const merged = fromXeroContact({ ...bruce, ContactStatus: 'ARCHIVED', MergedToContactID: 'survivor-id' }, 'customer');
    expect(merged).toMatchObject({ status: 'merged', mergedIntoId: 'survivor-id' });
  });
});

describe('canonical → Xero Contact', () => {
  it('writes PascalCase fields, phones by type and postal/street addresses', () => {
    const body = toXeroContact(
      Contact.parse({
        kind: 'customer',
        displayName: '  Søren   "Quote" Ltd ',
        givenName: 'Søren',
        emails: [{ address: 's@example.dk' }],
        phones: [{ number: '1234', type: 'primary' }, { number: '5678', type: 'fax' }],
        addresses: [{ type: 'shipping', lines: ['1 Main St', 'Unit 2'], city: 'Aarhus', country: 'DK' }],
        currency: 'dkk',
      }),
    );
    expect(body).toEqual({
      Name: 'Søren "Quote" Ltd',
      FirstName: 'Søren',
      EmailAddress: 's@example.dk',
      DefaultCurrency: 'DKK',
      Phones: [
        { PhoneType: 'DEFAULT', PhoneNumber: '1234' },
        { PhoneType: 'FAX', PhoneNumber: '5678' },
      ],
      Addresses: [{ AddressType: 'STREET', AddressLine1: '1 Main St', AddressLine2: 'Unit 2', City: 'Aarhus', Country: 'DK' }],
    });
  });

  it('falls back to the company or person name when there is no displayName', () => {
    expect(toXeroContact(Contact.parse({ kind: 'supplier', givenName: 'Ana', familyName: 'Lima' })).Name).toBe('Ana Lima');
  });

  it('refuses what Xero would refuse, naming the canonical field', () => {
    expectValidation(() => toXeroContact(Contact.parse({ kind: 'customer' })), 'displayName');
    expectValidation(() => toXeroContact(Contact.parse({ kind: 'customer', displayName: 'x'.repeat(256) })), 'displayName');
    expectValidation(() => toXeroContact(Contact.parse({ kind: 'customer', displayName: 'A <b> Co' })), 'displayName');
    expectValidation(() => toXeroContact(Contact.parse({ kind: 'customer', displayName: 'A', emails: [{ address: 'nope' }] })), 'emails[primary]');
  });
});

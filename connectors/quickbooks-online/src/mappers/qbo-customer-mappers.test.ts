import { Contact, type ContactInput } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { QboCustomer, QboVendor } from '../vendor/name-list.schema.js';
import { fromQboCustomer, fromQboVendor } from './from-qbo-customer.js';
import { toQboCustomer, toQboVendor } from './to-qbo-customer.js';

const contact = (input: ContactInput) => Contact.parse(input);

/** What QBO sends back for a body it accepted: the body plus Id, SyncToken, Active and MetaData. */
function echo(body: object, extra: Record<string, unknown> = {}) {
  return { ...body, Id: '67', SyncToken: '0', Active: true, MetaData: { CreateTime: '2015-07-23T10:58:12-07:00', LastUpdatedTime: '2015-07-23T10:58:12-07:00' }, ...extra };
}

const full = contact({
  kind: 'customer',
  displayName: "King's Groceries",
  title: 'Mr',
  givenName: 'James',
  middleName: 'Q',
  familyName: 'King',
  suffix: 'Jr',
  companyName: 'King Groceries',
  emails: [{ address: 'jdrew@myemail.com', type: 'primary' }],
  phones: [
    { number: '(555) 555-5555', type: 'primary' },
    { number: '(555) 555-1111', type: 'mobile' },
    { number: '(555) 555-2222', type: 'fax' },
    { number: '(555) 555-3333', type: 'other' },
  ],
  addresses: [
    { type: 'billing', lines: ['123 Main Street', 'Suite 4'], city: 'Mountain View', region: 'CA', postalCode: '94042', country: 'USA' },
    { type: 'shipping', lines: ['9 Dock Road'], city: 'Oakland', region: 'CA', postalCode: '94607', country: 'USA' },
  ],
  website: 'https://kings.example',
  taxNumber: '12-3456789',
  currency: 'USD',
  notes: 'Deliver before 9am',
});

describe('canonical contact → QBO Customer', () => {
  it('writes every mapped field where Intuit documents it', () => {
    expect(toQboCustomer(full, { termId: '3' })).toEqual({
      DisplayName: "King's Groceries",
      Title: 'Mr',
      GivenName: 'James',
      MiddleName: 'Q',
      FamilyName: 'King',
      Suffix: 'Jr',
      CompanyName: 'King Groceries',
      PrimaryEmailAddr: { Address: 'jdrew@myemail.com' },
      PrimaryPhone: { FreeFormNumber: '(555) 555-5555' },
      Mobile: { FreeFormNumber: '(555) 555-1111' },
      Fax: { FreeFormNumber: '(555) 555-2222' },
      AlternatePhone: { FreeFormNumber: '(555) 555-3333' },
      WebAddr: { URI: 'https://kings.example' },
      BillAddr: { Line1: '123 Main Street', Line2: 'Suite 4', City: 'Mountain View', CountrySubDivisionCode: 'CA', PostalCode: '94042', Country: 'USA' },
      ShipAddr: { Line1: '9 Dock Road', City: 'Oakland', CountrySubDivisionCode: 'CA', PostalCode: '94607', Country: 'USA' },
      Notes: 'Deliver before 9am',
      CurrencyRef: { value: 'USD' },
      SalesTermRef: { value: '3' },
      PrimaryTaxIdentifier: '12-3456789',
    });
  });

  it('leaves out empty and whitespace-only fields so a sparse update does not blank them', () => {
    const body = toQboCustomer(contact({ kind: 'customer', displayName: 'Ada', givenName: '  ', notes: '', emails: [], addresses: [{ type: 'billing', lines: ['  '] }] }));
    expect(body).toEqual({ DisplayName: 'Ada' });
  });

  it('uses the company name as display name when the contact has no person name', () => {
    expect(toQboCustomer(contact({ kind: 'customer', companyName: 'Acme Ltd' })).DisplayName).toBe('Acme Ltd');
    expect(toQboCustomer(contact({ kind: 'customer', companyName: 'Acme Ltd', givenName: 'Ann' })).DisplayName).toBeUndefined();
  });

  it('puts a work number in PrimaryPhone when there is no primary one, else in AlternatePhone', () => {
    expect(toQboCustomer(contact({ kind: 'customer', displayName: 'A', phones: [{ number: '1', type: 'work' }] }))).toMatchObject({ PrimaryPhone: { FreeFormNumber: '1' } });
    const both = toQboCustomer(contact({ kind: 'customer', displayName: 'A', phones: [{ number: '1', type: 'primary' }, { number: '2', type: 'work' }] }));
    expect(both.PrimaryPhone).toEqual({ FreeFormNumber: '1' });
    expect(both.AlternatePhone).toEqual({ FreeFormNumber: '2' });
  });
});

describe('canonical contact → QBO Vendor', () => {
  it('uses TermRef and TaxIdentifier and sends no shipping address', () => {
    const body = toQboVendor({ ...full, kind: 'supplier' }, { termId: '5' });
    expect(body.TermRef).toEqual({ value: '5' });
    expect(body.TaxIdentifier).toBe('12-3456789');
    expect(body.SalesTermRef).toBeUndefined();
    expect(body.PrimaryTaxIdentifier).toBeUndefined();
    expect(body.ShipAddr).toBeUndefined();
    expect(body.BillAddr?.City).toBe('Mountain View');
  });
});

describe('QBO Customer/Vendor → canonical contact', () => {
  it('round-trips a full customer (payment terms through the term name)', () => {
    const qbo = QboCustomer.parse(echo(toQboCustomer(full, { termId: '3' })));
    const remote = fromQboCustomer(qbo, { termNames: new Map([['3', 'Net 30']]) });
    expect(remote).toMatchObject({ id: '67', version: '0', status: 'active', updatedAt: '2015-07-23T10:58:12-07:00' });
    expect(remote.contact).toEqual({ ...full, paymentTerms: 'Net 30' });
  });

  it('round-trips quotes, backslashes and non-ASCII names unchanged', () => {
    const names = contact({ kind: 'customer', displayName: `O'Brien \\ "Zoë" Łódź 東京`, givenName: 'Zoë', familyName: "O'Brien", companyName: 'Café Ñandú' });
    const remote = fromQboCustomer(QboCustomer.parse(echo(toQboCustomer(names))));
    expect(remote.contact).toEqual(names);
  });

  it('round-trips a supplier, including its payment terms', () => {
    const supplier = contact({ kind: 'supplier', displayName: 'Paper Co', emails: [{ address: 'ap@paper.example' }], taxNumber: '99-1', paymentTerms: 'Net 15', currency: 'EUR' });
    const remote = fromQboVendor(QboVendor.parse(echo(toQboVendor(supplier, { termId: '2' }), { TermRef: { value: '2', name: 'Net 15' } })));
    expect(remote.contact).toEqual(supplier);
  });

  it('reads a minimal record (only Id and DisplayName) into an empty contact without inventing values', () => {
    const remote = fromQboCustomer(QboCustomer.parse({ Id: 5, DisplayName: 'Bare' }));
    expect(remote).toEqual({ id: '5', status: 'active', contact: { kind: 'customer', displayName: 'Bare', emails: [], phones: [], addresses: [], customFields: {} } });
  });

  it('flags inactive records and merged ones with their survivor', () => {
    expect(fromQboCustomer(QboCustomer.parse({ Id: '9', DisplayName: 'Gone', Active: false })).status).toBe('inactive');
    const merged = fromQboCustomer(QboCustomer.parse({ Id: '9', DisplayName: 'Gone', Active: false, MergedIntoRef: { value: '4' } }));
    expect(merged).toMatchObject({ status: 'merged', mergedIntoId: '4' });
  });

  it('does not take a masked tax id for the tax number', () => {
    expect(fromQboVendor(QboVendor.parse({ Id: '1', DisplayName: 'V', TaxIdentifier: 'XXXXXX6789' })).contact.taxNumber).toBeUndefined();
  });

  it('leaves payment terms empty when the term name is unknown rather than showing its id', () => {
    expect(fromQboCustomer(QboCustomer.parse({ Id: '1', DisplayName: 'C', SalesTermRef: { value: '3' } })).contact.paymentTerms).toBeUndefined();
  });
});

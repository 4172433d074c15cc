import { describe, expect, it } from 'vitest';
import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, FieldRule } from './field-mapping.js';
import { mapContactOut } from './map-contact-out.js';

const catalog: FieldSpec[] = [
  { id: 'DisplayName', label: 'Display name', type: 'string', maxLength: 20, required: true, canonical: 'displayName' },
  { id: 'CompanyName', label: 'Company name', type: 'string', maxLength: 10, canonical: 'companyName' },
  { id: 'PrimaryEmailAddr.Address', label: 'Email', type: 'email', maxLength: 100, canonical: 'emails[primary]' },
  { id: 'PrimaryPhone.FreeFormNumber', label: 'Phone', type: 'phone', maxLength: 30, canonical: 'phones[primary]' },
  { id: 'Mobile.FreeFormNumber', label: 'Mobile', type: 'phone', maxLength: 30, canonical: 'phones[mobile]' },
  { id: 'BankAccount', label: 'Bank account', type: 'string', secure: true, canonical: 'customFields.bankAccount' },
];

const rule = (source: string, target: string, extra: Partial<FieldRule> = {}): FieldRule => ({ source, target, enabled: true, direction: 'out', transform: { kind: 'none' }, ...extra });

const mapping = (rules: FieldRule[]): FieldMapping => ({ version: 2, effectiveFrom: '2026-01-01T00:00:00Z', rules });

const contact: Contact = {
  kind: 'customer',
  displayName: 'Acme Pty Ltd',
  companyName: 'Acme',
  emails: [{ address: 'Accounts@Acme.example', type: 'primary' }],
  phones: [{ number: '02 9999 1234', type: 'primary' }, { number: '0400 000 000', type: 'mobile' }],
  addresses: [{ type: 'billing', lines: ['1 George St'], city: 'Sydney' }],
  customFields: { bankAccount: '062-000 12345678', loyaltyTier: 'gold' },
};

describe('mapContactOut', () => {
  it('sends only what enabled outbound rules produce, at the path the connector reads, transformed', () => {
    const { contact: mapped, problems } = mapContactOut(
      contact,
      mapping([
        rule('displayName', 'DisplayName'),
        rule('emails[primary]', 'PrimaryEmailAddr.Address', { transform: { kind: 'lower' } }),
        rule('phones[primary]', 'PrimaryPhone.FreeFormNumber', { enabled: false }),
        // The host's mobile goes into the provider's phone field instead.
        rule('phones[mobile]', 'Mobile.FreeFormNumber', { direction: 'in' }),
        rule('companyName', 'CompanyName', { direction: 'in' }),
      ]),
      catalog,
    );
    expect(problems).toEqual([]);
    expect(mapped.displayName).toBe('Acme Pty Ltd');
    expect(mapped.emails).toEqual([{ address: 'accounts@acme.example', type: 'primary' }]);
    expect(mapped.phones).toEqual([]);
    expect(mapped.companyName).toBeUndefined();
    // Outside the catalog: kept as it was. Secure: never carried.
    expect(mapped.addresses).toEqual(contact.addresses);
    expect(mapped.customFields).toEqual({ loyaltyTier: 'gold' });
  });

  it('moves a value to another target when the rule says so', () => {
    const { contact: mapped } = mapContactOut(contact, mapping([rule('displayName', 'DisplayName'), rule('phones[mobile]', 'PrimaryPhone.FreeFormNumber')]), catalog);
    expect(mapped.phones).toEqual([{ number: '0400 000 000', type: 'primary' }]);
  });

  it('reports a value over the limit under the reject policy, and cuts it under truncate', () => {
    const rejected = mapContactOut({ ...contact, companyName: 'Acme Holdings International' }, mapping([rule('displayName', 'DisplayName'), rule('companyName', 'CompanyName')]), catalog);
    expect(rejected.problems).toEqual([expect.objectContaining({ field: 'CompanyName', code: 'too_long' })]);
    const cut = mapContactOut({ ...contact, companyName: 'Acme Holdings International' }, mapping([rule('displayName', 'DisplayName'), rule('companyName', 'CompanyName', { overLength: 'truncate' })]), catalog);
    expect(cut.problems).toEqual([]);
    expect(cut.contact.companyName).toBe('Acme Holdi');
  });

  it('never sends a secure field, even when a rule targets it', () => {
    const { contact: mapped } = mapContactOut(contact, mapping([rule('displayName', 'DisplayName'), rule('customFields.bankAccount', 'BankAccount')]), catalog);
    expect(JSON.stringify(mapped)).not.toContain('12345678');
  });
});

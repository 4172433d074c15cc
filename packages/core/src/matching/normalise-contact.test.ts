import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '@ledgerlink/connector-sdk';
import { foldText, normaliseCompanyName, normaliseContact, normaliseEmail, normalisePhone, normaliseTaxNumber, parsePersonName, samePhone, withTokenCache } from './normalise-contact.js';

const contact = (c: Partial<Contact>): Contact => ({ kind: 'customer', emails: [], phones: [], addresses: [], customFields: {}, ...c });

describe('normalisation', () => {
  it.each([
    ['Acme Pty Ltd', 'acme'],
    ['ACME Pty. Limited', 'acme'],
    ['Acme P/L', 'acme'],
    ['Acme Proprietary Limited', 'acme'],
    ['Widgets, Inc.', 'widgets'],
    ['Widgets Incorporated', 'widgets'],
    ['Müller & Söhne GmbH', 'muller and sohne'],
    ['Smith & Co', 'smith'],
    ['Telefónica S.A.', 'telefonica'],
    ['Telefonica S. A.', 'telefonica'],
    ['Brightside L.L.C.', 'brightside'],
    ['The Widget Company', 'widget'],
    ['Barclays PLC', 'barclays'],
    ['Limited', 'limited'],
  ])('company name %j compares as %j', (name, key) => {
    expect(normaliseCompanyName(name)).toBe(key);
  });

  it.each([
    ['Smith, John', { given: 'john', family: 'smith', generation: null }],
    ['John Smith', { given: 'john', family: 'smith', generation: null }],
    ['Dr. John Michael Smith Jr.', { given: 'john', family: 'smith', generation: 'jr' }],
    ["O'Brien, Siobhán", { given: 'siobhan', family: 'obrien', generation: null }],
    ['  ZOË   núñez ', { given: 'zoe', family: 'nunez', generation: null }],
    ['Cher', null],
  ])('person name %j parses as %o', (text, expected) => {
    expect(parsePersonName(text)).toEqual(expected);
  });

  it.each([
    ['Jo.Bloggs@Example.COM ', 'jo.bloggs@example.com'],
    ['jo+invoices@acme.com', 'jo@acme.com'],
    ['J.O.Bloggs+x@GoogleMail.com', 'jobloggs@gmail.com'],
    ['not-an-address', null],
    ['@acme.com', null],
  ])('e-mail %j normalises to %j', (address, key) => {
    expect(normaliseEmail(address)).toBe(key);
  });

  it.each([
    ['+61 2 9876 5432', '(02) 9876-5432', true],
    ['0061 412 345 678', '0412 345 678', true],
    ['+1 (415) 555-0134', '415.555.0134', true],
    ['1-415-555-0134', '+1 415 555 0134', true],
    ['(415) 555-0134 ext. 12', '415 555 0134', true],
    ['(415) 555-0134', '(315) 555-0134', false],
    ['+61 2 9876 5432', '+64 2 9876 5432', false],
  ])('phone %j and %j are the same number: %s', (a, b, same) => {
    const na = normalisePhone(a);
    const nb = normalisePhone(b);
    expect(na !== null && nb !== null && samePhone(na, nb)).toBe(same);
  });

  it('a number with fewer than 7 digits is not a phone number', () => {
    expect(normalisePhone('12-34')).toBeNull();
  });

  it.each([
    ['GB 123 4567 89', '123456789'],
    ['51 824 753 556', '51824753556'],
    ['de123456789', '123456789'],
    ['12', null],
  ])('tax number %j normalises to %j', (value, key) => {
    expect(normaliseTaxNumber(value)).toBe(key);
  });

  it('an organisation-like display name is a company, not a person called "Acme Pty"', () => {
    const n = normaliseContact(contact({ displayName: 'Acme Pty Ltd' }));
    expect(n).toMatchObject({ givenName: null, companyKey: 'acme' });
  });

  it('a person with a company keeps both', () => {
    const n = normaliseContact(contact({ givenName: 'Jo', familyName: 'Bloggs', companyName: 'Acme Ltd', displayName: 'Jo Bloggs' }));
    expect(n).toMatchObject({ givenName: 'jo', familyName: 'bloggs', companyKey: 'acme' });
  });

  it('fax numbers are not used to match', () => {
    const n = normaliseContact(contact({ phones: [{ number: '+61 2 9876 5432', type: 'fax' }] }));
    expect(n.phones).toEqual([]);
  });
});

describe('fast word splitting', () => {
  // Names are split into words by a one-pass fast path; it must agree with foldText everywhere.
  const text = fc.string({ unit: fc.constantFrom(...'aZé ,.&\'`-/ßO9x'.split('')), maxLength: 24 });

  it('splits a name into the same words as foldText', () => {
    fc.assert(fc.property(text, (s) => {
      const name = s.replaceAll(',', ' ');
      const folded = foldText(name);
      expect(parsePersonName(name)).toEqual(parsePersonName(name, folded.length === 0 ? [] : folded.split(' ')));
    }), { numRuns: 300 });
  });

  it('normalises a contact the same with and without the word cache', () => {
    fc.assert(fc.property(text, text, text, (given, family, company) => {
      const c = contact({ givenName: given, familyName: family, companyName: company, displayName: `${family}, ${given}` });
      const plain = normaliseContact(c);
      expect(withTokenCache(() => [normaliseContact(c), normaliseContact(c)])).toEqual([plain, plain]);
    }), { numRuns: 300 });
  });
});

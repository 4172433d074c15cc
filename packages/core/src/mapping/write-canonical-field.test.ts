import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '@ledgerlink/connector-sdk';
import { readCanonicalField } from './read-canonical-field.js';
import { writeCanonicalField } from './write-canonical-field.js';

const acme: Contact = {
  kind: 'customer', displayName: 'Acme', emails: [{ address: 'a@acme.example', type: 'work' }], phones: [],
  addresses: [{ type: 'billing', lines: ['1 George St'], city: 'Sydney' }], customFields: { tier: 'gold' },
};

const PATHS = [
  'displayName', 'companyName', 'notes', 'emails[primary]', 'emails[work]', 'phones[mobile]', 'phones[primary]',
  'addresses[billing].city', 'addresses[shipping].postalCode', 'addresses[billing].lines[0]', 'addresses[shipping].lines[2]', 'customFields.tier',
];

describe('writeCanonicalField', () => {
  it('sets and clears values without touching the rest of the contact', () => {
    const moved = writeCanonicalField(acme, 'addresses[billing].city', 'Melbourne');
    expect(moved.addresses).toEqual([{ type: 'billing', lines: ['1 George St'], city: 'Melbourne' }]);
    expect(acme.addresses[0]?.city).toBe('Sydney');
    const mobile = writeCanonicalField(acme, 'phones[mobile]', '+61400000000');
    expect(mobile.phones).toEqual([{ number: '+61400000000', type: 'mobile' }]);
    const noEmail = writeCanonicalField(acme, 'emails[primary]', null);
    expect(noEmail.emails).toEqual([]);
    expect(writeCanonicalField(acme, 'customFields.tier', '').customFields).toEqual({});
    expect('displayName' in writeCanonicalField(acme, 'displayName', null)).toBe(false);
  });

  it.each([['kind', /kind cannot be changed/], ['nickname', /"nickname" is not a contact field/]])('refuses to write %s', (path, message) => {
    expect(() => writeCanonicalField(acme, path, 'x')).toThrow(message);
  });

  it('what is written is what is read back, for every path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...PATHS), (path, value, other) => {
        const written = writeCanonicalField(acme, path, value);
        expect(readCanonicalField(written, path)).toBe(value);
        expect(readCanonicalField(writeCanonicalField(written, path, null), path) ?? null).toBe(path === 'emails[primary]' || path === 'phones[primary]' ? readCanonicalField(writeCanonicalField(written, path, null), path) ?? null : null);
        if (other !== path && !(path.startsWith('emails') && other.startsWith('emails')) && !(path.startsWith('phones') && other.startsWith('phones'))) {
          expect(readCanonicalField(written, other)).toBe(readCanonicalField(acme, other));
        }
      }),
    );
  });
});

import { Contact, type ContactKind, type RemoteContact, type RemoteStatus } from '@ledgerlink/connector-sdk';
import { parseXeroDate, type XeroAddress, type XeroContact, type XeroPhone } from '../vendor/contact.schema.js';

const PHONE_TYPE: Readonly<Record<string, 'primary' | 'mobile' | 'fax' | 'work'>> = { DEFAULT: 'primary', MOBILE: 'mobile', FAX: 'fax', DDI: 'work', OFFICE: 'work' };
const ADDRESS_TYPE: Readonly<Record<string, 'billing' | 'shipping'>> = { POBOX: 'billing', STREET: 'shipping' };

const present = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value.trim() === '' ? undefined : value);

function phoneOf(p: XeroPhone): { number: string; type: 'primary' | 'mobile' | 'fax' | 'work' } | undefined {
  const number = present(p.PhoneNumber);
  if (!number) return undefined;
  const full = [present(p.PhoneCountryCode), present(p.PhoneAreaCode), number].filter(Boolean).join(' ');
  return { number: full.slice(0, 40), type: PHONE_TYPE[p.PhoneType] ?? 'work' };
}

function addressOf(a: XeroAddress): Contact['addresses'][number] | undefined {
  const type = ADDRESS_TYPE[a.AddressType];
  if (!type) return undefined;
  const lines = [a.AddressLine1, a.AddressLine2, a.AddressLine3, a.AddressLine4].map(present).filter((l): l is string => l !== undefined);
  const city = present(a.City);
  const region = present(a.Region);
  const postalCode = present(a.PostalCode);
  const country = present(a.Country);
  if (lines.length === 0 && !city && !region && !postalCode && !country) return undefined;
  return { type, lines, ...(city ? { city } : {}), ...(region ? { region } : {}), ...(postalCode ? { postalCode: postalCode.slice(0, 30) } : {}), ...(country ? { country } : {}) };
}

/** ACTIVE → active; ARCHIVED → archived, or merged when Xero names where it went; GDPRREQUEST → deleted. */
export function statusOf(contact: XeroContact): RemoteStatus {
  if (contact.ContactStatus === 'ARCHIVED') return present(contact.MergedToContactID) ? 'merged' : 'archived';
  if (contact.ContactStatus === 'GDPRREQUEST') return 'deleted';
  return 'active';
}

/** A Xero Contact → the canonical RemoteContact (version = UpdatedDateUTC). */
export function fromXeroContact(xero: XeroContact, kind: ContactKind): RemoteContact {
  const id = xero.ContactID ?? '';
  const updatedAt = parseXeroDate(xero.UpdatedDateUTC);
  const email = present(xero.EmailAddress);
  const status = statusOf(xero);
  const contact = Contact.parse({
    kind,
    ...(present(xero.Name) ? { displayName: xero.Name } : {}),
    ...(present(xero.FirstName) ? { givenName: xero.FirstName?.slice(0, 100) } : {}),
    ...(present(xero.LastName) ? { familyName: xero.LastName?.slice(0, 100) } : {}),
    ...(present(xero.Name) ? { companyName: xero.Name?.slice(0, 255) } : {}),
    emails: email ? [{ address: email, type: 'primary' }] : [],
    phones: (xero.Phones ?? []).map(phoneOf).filter((p) => p !== undefined),
    addresses: (xero.Addresses ?? []).map(addressOf).filter((a) => a !== undefined),
    ...(present(xero.Website) ? { website: xero.Website } : {}),
    ...(present(xero.TaxNumber) ? { taxNumber: xero.TaxNumber } : {}),
    ...(present(xero.DefaultCurrency)?.length === 3 ? { currency: xero.DefaultCurrency } : {}),
    customFields: {
      ...(present(xero.ContactNumber) ? { ContactNumber: xero.ContactNumber ?? '' } : {}),
      ...(present(xero.AccountNumber) ? { AccountNumber: xero.AccountNumber ?? '' } : {}),
    },
  });
  const mergedIntoId = status === 'merged' ? present(xero.MergedToContactID) : undefined;
  return {
    id,
    ...(xero.UpdatedDateUTC ? { version: xero.UpdatedDateUTC } : {}),
    status,
    ...(mergedIntoId ? { mergedIntoId } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    contact,
  };
}

import { ConnectorErrors, type Contact } from '@ledgerlink/connector-sdk';
import { MAX_NAME_LENGTH } from '../fields.js';
import type { XeroContactWrite } from '../vendor/contact.schema.js';

const PHONE_TYPE: Readonly<Record<string, string>> = { primary: 'DEFAULT', mobile: 'MOBILE', fax: 'FAX', work: 'DDI' };
const ADDRESS_TYPE: Readonly<Record<string, string>> = { billing: 'POBOX', shipping: 'STREET' };
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The name Xero shows: displayName, else the company, else the person's name. */
export function nameOf(contact: Contact): string {
  const person = [contact.givenName, contact.familyName].filter(Boolean).join(' ');
  return (contact.displayName ?? contact.companyName ?? person).trim().replace(/\s+/g, ' ');
}

/**
 * Canonical Contact → Xero Contact write body. Throws a `validation` ConnectorError naming the
 * canonical field when Xero would refuse the value, so a bad item fails before anything is sent.
 */
export function toXeroContact(contact: Contact): XeroContactWrite {
  const name = nameOf(contact);
  if (name === '') throw ConnectorErrors.validation('displayName', 'Xero needs a contact name: set displayName (or a company or person name)');
  if (name.length > MAX_NAME_LENGTH) {
    throw ConnectorErrors.validation('displayName', `Xero allows at most ${MAX_NAME_LENGTH} characters in a contact name; this one has ${name.length}, shorten it`);
  }
  if (/[<>]/.test(name)) throw ConnectorErrors.validation('displayName', 'Xero does not allow < or > in a contact name; remove them');
  const email = contact.emails.find((e) => e.type === 'primary') ?? contact.emails[0];
  if (email && (email.address.length > 255 || !EMAIL.test(email.address))) {
    throw ConnectorErrors.validation('emails[primary]', `"${email.address}" is not an email address Xero accepts; fix or remove it`);
  }
  const phones: { PhoneType: string; PhoneNumber: string }[] = [];
  for (const phone of contact.phones) {
    const type = PHONE_TYPE[phone.type];
    if (!type || phones.some((p) => p.PhoneType === type)) continue;
    if (phone.number.length > 50) throw ConnectorErrors.validation(`phones[${phone.type}]`, 'Xero allows at most 50 characters in a phone number; shorten it');
    phones.push({ PhoneType: type, PhoneNumber: phone.number });
  }
  const addresses: NonNullable<XeroContactWrite['Addresses']> = [];
  for (const address of contact.addresses) {
    const type = ADDRESS_TYPE[address.type];
    if (!type || addresses.some((a) => a.AddressType === type)) continue;
    if (address.lines.length > 4) throw ConnectorErrors.validation(`addresses[${address.type}].lines`, 'Xero keeps at most 4 address lines; join the extra ones');
    const [l1, l2, l3, l4] = address.lines;
    addresses.push({
      AddressType: type,
      ...(l1 ? { AddressLine1: l1 } : {}),
      ...(l2 ? { AddressLine2: l2 } : {}),
      ...(l3 ? { AddressLine3: l3 } : {}),
      ...(l4 ? { AddressLine4: l4 } : {}),
      ...(address.city ? { City: address.city } : {}),
      ...(address.region ? { Region: address.region } : {}),
      ...(address.postalCode ? { PostalCode: address.postalCode } : {}),
      ...(address.country ? { Country: address.country.slice(0, 50) } : {}),
    });
  }
  return {
    Name: name,
    ...(contact.givenName ? { FirstName: contact.givenName } : {}),
    ...(contact.familyName ? { LastName: contact.familyName } : {}),
    ...(email ? { EmailAddress: email.address } : {}),
    ...(contact.taxNumber ? { TaxNumber: contact.taxNumber } : {}),
    ...(contact.currency ? { DefaultCurrency: contact.currency.toUpperCase() } : {}),
    ...(phones.length > 0 ? { Phones: phones } : {}),
    ...(addresses.length > 0 ? { Addresses: addresses } : {}),
  };
}

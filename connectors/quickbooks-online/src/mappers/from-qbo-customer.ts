import type { Address, Contact, ContactKind, EmailAddress, Phone, RemoteContact, RemoteStatus } from '@ledgerlink/connector-sdk';
import type { QboCustomer, QboPhysicalAddress, QboRef, QboVendor } from '../vendor/name-list.schema.js';

/** QBO Customer / Vendor (validated) → canonical RemoteContact (pure). */

export interface FromQboOptions {
  /** Term names by Id, for SalesTermRef/TermRef values that come back without a name. */
  readonly termNames?: ReadonlyMap<string, string>;
}

export function fromQboCustomer(customer: QboCustomer, options: FromQboOptions = {}): RemoteContact {
  const contact = common('customer', customer, options, customer.SalesTermRef);
  const ship = address(customer.ShipAddr, 'shipping');
  if (ship) contact.addresses.push(ship);
  const tax = unmasked(customer.PrimaryTaxIdentifier);
  if (tax) contact.taxNumber = tax;
  return remote(customer, contact);
}

export function fromQboVendor(vendor: QboVendor, options: FromQboOptions = {}): RemoteContact {
  const contact = common('supplier', vendor, options, vendor.TermRef);
  const tax = unmasked(vendor.TaxIdentifier);
  if (tax) contact.taxNumber = tax;
  return remote(vendor, contact);
}

/**
 * Lifecycle from QBO's point of view. Names are never hard-deleted: "deleted" is `Active:false`.
 * A record merged into another one is inactive and names its survivor (see `mergedIntoIdOf`).
 */
export function remoteStatusOf(record: QboCustomer | QboVendor): { status: RemoteStatus; mergedIntoId?: string } {
  if (record.status?.toLowerCase() === 'deleted') return { status: 'deleted' };
  const survivor = mergedIntoIdOf(record);
  if (record.status?.toLowerCase() === 'merged' || survivor !== undefined) {
    return survivor !== undefined ? { status: 'merged', mergedIntoId: survivor } : { status: 'merged' };
  }
  if (record.Active === false) return { status: 'inactive' };
  return { status: 'active' };
}

function mergedIntoIdOf(record: QboCustomer | QboVendor): string | undefined {
  if (record.Active !== false) return undefined;
  const id = record.MergedIntoRef?.value ?? record.MergedInto ?? undefined;
  return id && id !== record.Id ? id : undefined;
}

function remote(record: QboCustomer | QboVendor, contact: Contact): RemoteContact {
  const { status, mergedIntoId } = remoteStatusOf(record);
  return {
    id: record.Id,
    ...(record.SyncToken != null ? { version: record.SyncToken } : {}),
    status,
    ...(mergedIntoId !== undefined ? { mergedIntoId } : {}),
    ...(record.MetaData?.LastUpdatedTime ? { updatedAt: record.MetaData.LastUpdatedTime } : {}),
    contact,
  };
}

function common(kind: ContactKind, record: QboCustomer | QboVendor, options: FromQboOptions, termRef: QboRef | null | undefined): Contact {
  const emails: EmailAddress[] = [];
  const email = text(record.PrimaryEmailAddr?.Address);
  if (email) emails.push({ address: email, type: 'primary' });

  const phones: Phone[] = [];
  const phone = (value: string | null | undefined, type: Phone['type']) => {
    const number = text(value);
    if (number) phones.push({ number, type });
  };
  phone(record.PrimaryPhone?.FreeFormNumber, 'primary');
  phone(record.Mobile?.FreeFormNumber, 'mobile');
  phone(record.Fax?.FreeFormNumber, 'fax');
  phone(record.AlternatePhone?.FreeFormNumber, 'other');

  const addresses: Address[] = [];
  const bill = address(record.BillAddr, 'billing');
  if (bill) addresses.push(bill);

  const contact: Contact = { kind, emails, phones, addresses, customFields: {} };
  const set = (key: 'displayName' | 'title' | 'givenName' | 'middleName' | 'familyName' | 'suffix' | 'companyName' | 'notes' | 'website', value: string | null | undefined) => {
    const trimmed = text(value);
    if (trimmed) contact[key] = trimmed;
  };
  set('displayName', record.DisplayName);
  set('title', record.Title);
  set('givenName', record.GivenName);
  set('middleName', record.MiddleName);
  set('familyName', record.FamilyName);
  set('suffix', record.Suffix);
  set('companyName', record.CompanyName);
  set('website', record.WebAddr?.URI);
  set('notes', record.Notes);

  const currency = text(record.CurrencyRef?.value);
  if (currency && currency.length === 3) contact.currency = currency.toUpperCase();
  const terms = termRef ? text(termRef.name) ?? options.termNames?.get(termRef.value) : undefined;
  if (terms) contact.paymentTerms = terms;
  return contact;
}

function address(qbo: QboPhysicalAddress | null | undefined, type: Address['type']): Address | undefined {
  if (!qbo) return undefined;
  const lines = [qbo.Line1, qbo.Line2, qbo.Line3, qbo.Line4, qbo.Line5].map(text).filter((l): l is string => l !== undefined);
  const out: Address = { type, lines };
  const city = text(qbo.City);
  const region = text(qbo.CountrySubDivisionCode);
  const postalCode = text(qbo.PostalCode);
  const country = text(qbo.Country);
  if (city) out.city = city;
  if (region) out.region = region;
  if (postalCode) out.postalCode = postalCode;
  if (country) out.country = country;
  return lines.length > 0 || city || region || postalCode || country ? out : undefined;
}

/** QBO masks tax ids in responses ("XXXXXX1234"); a masked value is not the tax number. */
function unmasked(value: string | null | undefined): string | undefined {
  const trimmed = text(value);
  if (!trimmed || /^[X*•]{3,}/i.test(trimmed)) return undefined;
  return trimmed;
}

function text(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

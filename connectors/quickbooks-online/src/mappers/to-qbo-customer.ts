import type { Address, Contact, Phone } from '@ledgerlink/connector-sdk';
import type { QboNameListWrite, QboPhysicalAddressWrite } from '../vendor/name-list.schema.js';

/**
 * Canonical Contact → QBO Customer / Vendor body (pure). Empty values are left out, so the same
 * body serves a create and a sparse update (where absent fields stay unchanged in QBO).
 */

export interface ToQboOptions {
  /** The QBO Term Id resolved from `contact.paymentTerms` (terms are referenced by id). */
  readonly termId?: string;
}

export function toQboCustomer(contact: Contact, options: ToQboOptions = {}): QboNameListWrite {
  const body = common(contact);
  const ship = address(contact.addresses, 'shipping');
  if (ship) body.ShipAddr = ship;
  if (options.termId) body.SalesTermRef = { value: options.termId };
  const tax = text(contact.taxNumber);
  if (tax) body.PrimaryTaxIdentifier = tax;
  return body;
}

/** QBO's Vendor has no shipping address in its documented attributes; a supplier's shipping address is not sent. */
export function toQboVendor(contact: Contact, options: ToQboOptions = {}): QboNameListWrite {
  const body = common(contact);
  if (options.termId) body.TermRef = { value: options.termId };
  const tax = text(contact.taxNumber);
  if (tax) body.TaxIdentifier = tax;
  return body;
}

/**
 * The DisplayName QBO will get: the contact's own, else the company name when the contact has
 * no person name (QBO would otherwise refuse the create), else none (QBO builds it from the
 * name parts).
 */
export function qboDisplayNameOf(contact: Contact): string | undefined {
  const own = text(contact.displayName);
  if (own) return own;
  const hasPersonName = [contact.title, contact.givenName, contact.middleName, contact.familyName, contact.suffix].some((v) => text(v));
  return hasPersonName ? undefined : text(contact.companyName);
}

function common(contact: Contact): QboNameListWrite {
  const body: QboNameListWrite = {};
  const displayName = qboDisplayNameOf(contact);
  if (displayName) body.DisplayName = displayName;
  setText(body, 'Title', contact.title);
  setText(body, 'GivenName', contact.givenName);
  setText(body, 'MiddleName', contact.middleName);
  setText(body, 'FamilyName', contact.familyName);
  setText(body, 'Suffix', contact.suffix);
  setText(body, 'CompanyName', contact.companyName);

  const email = contact.emails.find((e) => e.type === 'primary' && text(e.address)) ?? contact.emails.find((e) => text(e.address));
  if (email) body.PrimaryEmailAddr = { Address: email.address.trim() };

  const phones = assignPhones(contact.phones);
  if (phones.primary) body.PrimaryPhone = { FreeFormNumber: phones.primary };
  if (phones.mobile) body.Mobile = { FreeFormNumber: phones.mobile };
  if (phones.fax) body.Fax = { FreeFormNumber: phones.fax };
  if (phones.other) body.AlternatePhone = { FreeFormNumber: phones.other };

  const website = text(contact.website);
  if (website) body.WebAddr = { URI: website };
  const bill = address(contact.addresses, 'billing');
  if (bill) body.BillAddr = bill;
  setText(body, 'Notes', contact.notes);
  const currency = text(contact.currency);
  if (currency) body.CurrencyRef = { value: currency.toUpperCase() };
  return body;
}

/**
 * QBO has four phone slots. primary → PrimaryPhone, mobile → Mobile, fax → Fax, other →
 * AlternatePhone; a work number fills PrimaryPhone when there is no primary, else AlternatePhone.
 */
function assignPhones(phones: readonly Phone[]): { primary?: string; mobile?: string; fax?: string; other?: string } {
  const first = (type: Phone['type']) => phones.find((p) => p.type === type && text(p.number))?.number.trim();
  const slots: { primary?: string; mobile?: string; fax?: string; other?: string } = {};
  const primary = first('primary');
  const work = first('work');
  const other = first('other');
  const mobile = first('mobile');
  const fax = first('fax');
  const primarySlot = primary ?? work;
  const otherSlot = other ?? (primary !== undefined ? work : undefined);
  if (primarySlot) slots.primary = primarySlot;
  if (otherSlot) slots.other = otherSlot;
  if (mobile) slots.mobile = mobile;
  if (fax) slots.fax = fax;
  return slots;
}

function address(addresses: readonly Address[], type: Address['type']): QboPhysicalAddressWrite | undefined {
  const found = addresses.find((a) => a.type === type);
  if (!found) return undefined;
  const out: QboPhysicalAddressWrite = {};
  const lines = found.lines.map((l) => l.trim()).filter((l) => l !== '');
  const keys = ['Line1', 'Line2', 'Line3', 'Line4', 'Line5'] as const;
  lines.slice(0, 5).forEach((line, i) => {
    out[keys[i] as (typeof keys)[number]] = line;
  });
  setText(out, 'City', found.city);
  setText(out, 'CountrySubDivisionCode', found.region);
  setText(out, 'PostalCode', found.postalCode);
  setText(out, 'Country', found.country);
  return Object.keys(out).length > 0 ? out : undefined;
}

function text(value: string | undefined | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function setText<T extends object, K extends keyof T>(target: T, key: K, value: string | undefined): void {
  const trimmed = text(value);
  if (trimmed !== undefined) (target as Record<K, string>)[key] = trimmed;
}

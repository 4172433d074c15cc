import { randomUUID } from 'node:crypto';
import { type Json, type JsonObject, isJsonObject } from '../json.js';
import { ElementError } from './errors.js';
import type { FilterRecord } from './where.js';
import { type ContactStatus, type XeroContact, type XeroOrganisation, type XeroStore, contactName } from './store.js';
import { divRound, fromUnits } from './money.js';
import { msDate, startOfUtcDay } from './xero-date.js';

/** Text fields a client may write, with Xero's maximum lengths (undefined: no limit). */
const TEXT_FIELDS: Readonly<Record<string, number | undefined>> = {
  Name: 255,
  FirstName: 255,
  LastName: 255,
  EmailAddress: 255,
  ContactNumber: 50,
  AccountNumber: 50,
  CompanyNumber: 50,
  TaxNumber: 50,
  BankAccountDetails: undefined,
  AccountsReceivableTaxType: undefined,
  AccountsPayableTaxType: undefined,
  DefaultCurrency: 3,
  XeroNetworkKey: undefined,
  SalesDefaultAccountCode: undefined,
  PurchasesDefaultAccountCode: undefined,
};
const TAX_NUMBER_TYPES = ['SSN', 'EIN', 'ITIN', 'ATIN'];
const STATUSES: readonly ContactStatus[] = ['ACTIVE', 'ARCHIVED', 'GDPRREQUEST'];
const ADDRESS_FIELDS: Readonly<Record<string, number>> = {
  AddressLine1: 500, AddressLine2: 500, AddressLine3: 500, AddressLine4: 500, City: 255, Region: 255, PostalCode: 50, Country: 50, AttentionTo: 255,
};
const PHONE_FIELDS: Readonly<Record<string, number>> = { PhoneNumber: 50, PhoneAreaCode: 10, PhoneCountryCode: 20 };
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function duplicateNameMessage(name: string): string {
  return `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`;
}
export const ARCHIVED_CONTACT_MESSAGE =
  'The contact with the specified contact details has been archived. The contact must be un-archived before creating new invoices or credit notes.';

/** Reads the writable fields of a contact element; collects every problem as a ValidationError. */
function readWritableFields(input: JsonObject, errors: string[]): JsonObject {
  const out: JsonObject = {};
  for (const [field, max] of Object.entries(TEXT_FIELDS)) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      errors.push(`${field} must be a string.`);
      continue;
    }
    if (max !== undefined && value.length > max) errors.push(`${field} must not be more than ${max} characters long.`);
    out[field] = value;
  }
  const taxNumberType = input.TaxNumberType;
  if (taxNumberType !== undefined && taxNumberType !== null) {
    if (typeof taxNumberType !== 'string' || !TAX_NUMBER_TYPES.includes(taxNumberType)) errors.push(`TaxNumberType must be one of ${TAX_NUMBER_TYPES.join(', ')}.`);
    else out.TaxNumberType = taxNumberType;
  }
  if (typeof out.EmailAddress === 'string' && out.EmailAddress !== '' && !EMAIL.test(out.EmailAddress)) errors.push('Email address must be valid.');
  if (input.Addresses !== undefined && input.Addresses !== null) out.Addresses = readList(input.Addresses, 'Addresses', 'AddressType', ['POBOX', 'STREET'], ADDRESS_FIELDS, errors);
  if (input.Phones !== undefined && input.Phones !== null) out.Phones = readList(input.Phones, 'Phones', 'PhoneType', ['DEFAULT', 'DDI', 'MOBILE', 'FAX', 'OFFICE'], PHONE_FIELDS, errors);
  if (input.ContactPersons !== undefined && input.ContactPersons !== null) {
    if (!Array.isArray(input.ContactPersons)) errors.push('ContactPersons must be an array.');
    else {
      if (input.ContactPersons.length > 5) errors.push('A contact can have at most 5 contact persons.');
      out.ContactPersons = input.ContactPersons.filter(isJsonObject).map((person) => {
        const clean: JsonObject = {};
        for (const key of ['FirstName', 'LastName', 'EmailAddress'] as const) {
          const v = person[key];
          if (typeof v === 'string') clean[key] = v;
        }
        if (typeof clean.EmailAddress === 'string' && clean.EmailAddress !== '' && !EMAIL.test(clean.EmailAddress)) errors.push('Email address must be valid.');
        clean.IncludeInEmails = person.IncludeInEmails === true;
        return clean;
      });
    }
  }
  return out;
}

function readList(value: Json, field: string, typeKey: string, types: readonly string[], limits: Readonly<Record<string, number>>, errors: string[]): Json[] {
  if (!Array.isArray(value)) {
    errors.push(`${field} must be an array.`);
    return [];
  }
  const out: Json[] = [];
  for (const item of value) {
    if (!isJsonObject(item)) {
      errors.push(`Each of ${field} must be an object.`);
      continue;
    }
    const type = item[typeKey];
    if (typeof type !== 'string' || !types.includes(type)) {
      errors.push(`${typeKey} must be one of ${types.join(', ')}.`);
      continue;
    }
    const clean: JsonObject = { [typeKey]: type };
    for (const [key, max] of Object.entries(limits)) {
      const v = item[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') errors.push(`${key} must be a string.`);
      else if (v.length > max) errors.push(`${key} must not be more than ${max} characters long.`);
      else clean[key] = v;
    }
    out.push(clean);
  }
  return out;
}

function checkName(name: unknown, errors: string[]): void {
  if (typeof name !== 'string' || name.trim() === '') {
    errors.push('Contact Name cannot be empty.');
    return;
  }
  if (/[<>]/.test(name)) errors.push('The contact name cannot contain the characters < or >.');
}

function readStatus(input: JsonObject, errors: string[]): ContactStatus | undefined {
  const value = input.ContactStatus;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !STATUSES.includes(value as ContactStatus)) {
    errors.push(`ContactStatus must be one of ${STATUSES.join(', ')}.`);
    return undefined;
  }
  return value as ContactStatus;
}

export interface ContactContext {
  readonly org: XeroOrganisation;
  readonly store: XeroStore;
  readonly now: number;
}

function uniquenessErrors(ctx: ContactContext, fields: JsonObject, status: ContactStatus, self: XeroContact | undefined, errors: string[]): void {
  const currency = fields.DefaultCurrency;
  if (typeof currency === 'string' && currency !== '' && !ctx.org.currencies.has(currency.toUpperCase())) {
    errors.push(`The currency ${currency} is not enabled for this organisation; it uses ${[...ctx.org.currencies].join(', ')}.`);
  }
  const name = fields.Name;
  if (status === 'ACTIVE' && typeof name === 'string') {
    const holder = ctx.org.activeContactNamed(name);
    if (holder !== undefined && holder !== self) errors.push(duplicateNameMessage(name.trim()));
  }
  const accountNumber = fields.AccountNumber;
  if (typeof accountNumber === 'string' && accountNumber !== '') {
    for (const other of ctx.org.contacts.values()) {
      if (other !== self && other.fields.AccountNumber === accountNumber) {
        errors.push('The Account Number already exists. Please enter a different Account Number.');
        break;
      }
    }
  }
  const contactNumber = fields.ContactNumber;
  if (typeof contactNumber === 'string' && contactNumber !== '') {
    const holder = ctx.org.findContactByNumber(contactNumber);
    if (holder !== undefined && holder !== self) errors.push(`The ContactNumber ${contactNumber} is already assigned to another contact.`);
  }
}

/** `PUT /Contacts` element, or a `POST` element that names no existing contact: a new contact. */
export function createContact(ctx: ContactContext, input: JsonObject): XeroContact {
  const errors: string[] = [];
  checkName(input.Name, errors);
  const fields = readWritableFields(input, errors);
  if (typeof fields.Name === 'string') fields.Name = fields.Name.trim();
  const status = readStatus(input, errors) ?? 'ACTIVE';
  if (errors.length === 0) uniquenessErrors(ctx, fields, status, undefined, errors);
  if (errors.length > 0) throw new ElementError(errors);
  const contact: XeroContact = { id: randomUUID(), createdMs: ctx.now, updatedMs: ctx.now, status, fields, mergedToContactId: undefined };
  ctx.org.insertContact(contact);
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'CONTACT', type: 'CREATE', resourceId: contact.id, atMs: ctx.now });
  return contact;
}

/** A partial update: omitted fields keep their values, supplied arrays replace the stored ones. */
export function updateContact(ctx: ContactContext, contact: XeroContact, input: JsonObject): XeroContact {
  const errors: string[] = [];
  if ('Name' in input) checkName(input.Name, errors);
  const supplied = readWritableFields(input, errors);
  if (typeof supplied.Name === 'string') supplied.Name = supplied.Name.trim();
  const status = readStatus(input, errors) ?? contact.status;
  if (status === 'ACTIVE' && contact.status !== 'ACTIVE' && contact.mergedToContactId !== undefined) {
    errors.push('This contact was merged into another contact and cannot be restored.');
  }
  const fields: JsonObject = { ...contact.fields, ...supplied };
  if (errors.length === 0) uniquenessErrors(ctx, fields, status, contact, errors);
  if (errors.length > 0) throw new ElementError(errors);
  ctx.org.updateContact(contact, { fields, status }, ctx.now);
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'CONTACT', type: 'UPDATE', resourceId: contact.id, atMs: ctx.now });
  return contact;
}

/**
 * `POST /Contacts` element: updates the contact named by ContactID (or, without one, by
 * ContactNumber); otherwise creates one.
 */
export function upsertContact(ctx: ContactContext, input: JsonObject, pathContactId?: string): XeroContact {
  const rawId = pathContactId ?? input.ContactID;
  if (typeof rawId === 'string' && rawId !== '') {
    const existing = ctx.org.contacts.get(rawId.toLowerCase());
    if (existing === undefined) throw new ElementError(['An existing Contact with the specified ContactID could not be found']);
    return updateContact(ctx, existing, input);
  }
  if (typeof input.ContactNumber === 'string' && input.ContactNumber !== '') {
    const existing = ctx.org.findContactByNumber(input.ContactNumber);
    if (existing !== undefined) return updateContact(ctx, existing, input);
  }
  return createContact(ctx, input);
}

/** Archives `loserId` and points it at `survivorId`, as merging in Xero's UI does; documents follow. */
export function mergeContacts(ctx: ContactContext, loser: XeroContact, survivor: XeroContact): void {
  if (loser === survivor) throw new ElementError(['A contact cannot be merged into itself.']);
  if (survivor.status !== 'ACTIVE') throw new ElementError(['The contact to keep must be ACTIVE.']);
  for (const invoice of ctx.org.invoices.values()) if (invoice.contactId === loser.id) invoice.contactId = survivor.id;
  for (const note of ctx.org.creditNotes.values()) if (note.contactId === loser.id) note.contactId = survivor.id;
  ctx.org.updateContact(loser, { status: 'ARCHIVED', mergedToContactId: survivor.id }, ctx.now);
  ctx.org.updateContact(survivor, {}, ctx.now);
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'CONTACT', type: 'UPDATE', resourceId: loser.id, atMs: ctx.now });
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'CONTACT', type: 'UPDATE', resourceId: survivor.id, atMs: ctx.now });
}

/** Which contacts have receivable / payable documents (IsCustomer / IsSupplier). */
export interface ContactRoles {
  readonly customers: ReadonlySet<string>;
  readonly suppliers: ReadonlySet<string>;
}

export function contactRoles(org: XeroOrganisation): ContactRoles {
  const customers = new Set<string>();
  const suppliers = new Set<string>();
  for (const doc of [...org.invoices.values(), ...org.creditNotes.values()]) {
    if (doc.status === 'DELETED') continue;
    if (doc.type === 'ACCREC' || doc.type === 'ACCRECCREDIT') customers.add(doc.contactId);
    else suppliers.add(doc.contactId);
  }
  return { customers, suppliers };
}

export interface ContactView {
  /** Paged list or single-record read: adds MergedToContactID and the default line amount types. */
  readonly detailed: boolean;
  readonly summaryOnly?: boolean;
  /** `Balances`, as Xero adds them to a contact read by id or in a paged list. */
  readonly balances?: JsonObject;
}

/**
 * A contact's `Balances` from its documents: Outstanding is what AUTHORISED invoices still owe
 * (AmountDue) less the credit left on AUTHORISED credit notes; Overdue is the AmountDue of
 * AUTHORISED invoices whose DueDate is before today (UTC). Receivable = ACCREC/ACCRECCREDIT,
 * payable = ACCPAY/ACCPAYCREDIT; amounts in the organisation's base currency (foreign documents
 * converted at their CurrencyRate).
 */
export function contactBalances(org: XeroOrganisation, contactId: string, nowMs: number): JsonObject {
  const today = startOfUtcDay(nowMs);
  const sums = { receivable: { outstanding: 0n, overdue: 0n }, payable: { outstanding: 0n, overdue: 0n } };
  for (const invoice of org.invoices.values()) {
    if (invoice.contactId !== contactId || invoice.status !== 'AUTHORISED') continue;
    const side = invoice.type === 'ACCREC' ? sums.receivable : sums.payable;
    const due = divRound((invoice.total - invoice.amountPaid - invoice.amountCredited) * 1_000_000n, invoice.currencyRate);
    side.outstanding += due;
    if (invoice.dueDateMs !== undefined && invoice.dueDateMs < today) side.overdue += due;
  }
  for (const note of org.creditNotes.values()) {
    if (note.contactId !== contactId || note.status !== 'AUTHORISED') continue;
    const side = note.type === 'ACCRECCREDIT' ? sums.receivable : sums.payable;
    side.outstanding -= divRound((note.total - note.amountPaid - note.amountCredited) * 1_000_000n, note.currencyRate);
  }
  const render = (side: { outstanding: bigint; overdue: bigint }): JsonObject => ({ Outstanding: fromUnits(side.outstanding, 2), Overdue: fromUnits(side.overdue, 2) });
  return { AccountsReceivable: render(sums.receivable), AccountsPayable: render(sums.payable) };
}

function text(fields: JsonObject, key: string): string {
  const value = fields[key];
  return typeof value === 'string' ? value : '';
}

/** A contact as Xero writes it in JSON. */
export function renderContact(contact: XeroContact, roles: ContactRoles, view: ContactView): JsonObject {
  const f = contact.fields;
  const out: JsonObject = { ContactID: contact.id };
  if (view.detailed && contact.mergedToContactId !== undefined) out.MergedToContactID = contact.mergedToContactId;
  for (const key of ['ContactNumber', 'AccountNumber']) if (text(f, key) !== '') out[key] = text(f, key);
  out.ContactStatus = contact.status;
  out.Name = contactName(contact);
  for (const key of ['FirstName', 'LastName', 'CompanyNumber', 'EmailAddress']) if (text(f, key) !== '') out[key] = text(f, key);
  out.BankAccountDetails = text(f, 'BankAccountDetails');
  for (const key of ['TaxNumber', 'TaxNumberType', 'AccountsReceivableTaxType', 'AccountsPayableTaxType', 'XeroNetworkKey', 'SalesDefaultAccountCode', 'PurchasesDefaultAccountCode', 'DefaultCurrency']) {
    if (text(f, key) !== '') out[key] = text(f, key);
  }
  if (view.summaryOnly !== true) {
    const stored = (field: string, typeKey: string, type: string): JsonObject | undefined => {
      const list = f[field];
      return Array.isArray(list) ? list.filter(isJsonObject).find((item) => item[typeKey] === type) : undefined;
    };
    out.Addresses = ['STREET', 'POBOX'].map((type) => {
      const a = stored('Addresses', 'AddressType', type) ?? {};
      const rendered: JsonObject = { AddressType: type };
      for (const key of ['AddressLine1', 'AddressLine2', 'AddressLine3', 'AddressLine4']) if (text(a, key) !== '') rendered[key] = text(a, key);
      for (const key of ['City', 'Region', 'PostalCode', 'Country']) rendered[key] = text(a, key);
      if (text(a, 'AttentionTo') !== '') rendered.AttentionTo = text(a, 'AttentionTo');
      return rendered;
    });
    const phoneTypes = ['DEFAULT', 'DDI', 'FAX', 'MOBILE'];
    const phones = Array.isArray(f.Phones) ? f.Phones.filter(isJsonObject) : [];
    if (phones.some((p) => p.PhoneType === 'OFFICE')) phoneTypes.push('OFFICE');
    out.Phones = phoneTypes.map((type) => {
      const p = phones.find((item) => item.PhoneType === type) ?? {};
      return { PhoneType: type, PhoneNumber: text(p, 'PhoneNumber'), PhoneAreaCode: text(p, 'PhoneAreaCode'), PhoneCountryCode: text(p, 'PhoneCountryCode') };
    });
  }
  out.UpdatedDateUTC = msDate(contact.updatedMs);
  out.ContactGroups = [];
  if (view.summaryOnly !== true) {
    out.IsSupplier = roles.suppliers.has(contact.id);
    out.IsCustomer = roles.customers.has(contact.id);
  }
  if (view.detailed || view.summaryOnly === true) {
    out.SalesDefaultLineAmountType = 'EXCLUSIVE';
    out.PurchasesDefaultLineAmountType = 'EXCLUSIVE';
  }
  out.SalesTrackingCategories = [];
  out.PurchasesTrackingCategories = [];
  if (view.balances !== undefined && view.summaryOnly !== true) out.Balances = view.balances;
  out.ContactPersons = Array.isArray(f.ContactPersons) ? f.ContactPersons : [];
  out.HasAttachments = false;
  out.HasValidationErrors = false;
  return out;
}

/** The fields `where` can test on a contact. */
export function contactFilterRecord(contact: XeroContact, roles: ContactRoles): FilterRecord {
  const f = contact.fields;
  const value = (key: string): string | null => (typeof f[key] === 'string' ? (f[key] as string) : null);
  return {
    ContactID: contact.id,
    ContactNumber: value('ContactNumber'),
    AccountNumber: value('AccountNumber'),
    ContactStatus: contact.status,
    Name: contactName(contact),
    FirstName: value('FirstName'),
    LastName: value('LastName'),
    EmailAddress: value('EmailAddress'),
    CompanyNumber: value('CompanyNumber'),
    TaxNumber: value('TaxNumber'),
    BankAccountDetails: value('BankAccountDetails'),
    DefaultCurrency: value('DefaultCurrency'),
    IsCustomer: roles.customers.has(contact.id),
    IsSupplier: roles.suppliers.has(contact.id),
    HasAttachments: false,
    MergedToContactID: contact.mergedToContactId ?? null,
    UpdatedDateUTC: { ms: contact.updatedMs },
  };
}

/** Case-insensitive `searchTerm` over Name, FirstName, LastName, ContactNumber and EmailAddress. */
export function contactMatchesSearch(contact: XeroContact, term: string): boolean {
  const needle = term.toLowerCase();
  return ['Name', 'FirstName', 'LastName', 'ContactNumber', 'EmailAddress'].some((key) => text(contact.fields, key).toLowerCase().includes(needle));
}

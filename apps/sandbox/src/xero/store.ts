import { randomInt, randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../http.js';
import type { JsonObject } from '../json.js';

export type ContactStatus = 'ACTIVE' | 'ARCHIVED' | 'GDPRREQUEST';

/** A contact as the sandbox keeps it; `fields` holds what clients may write (not status or ids). */
export interface XeroContact {
  readonly id: string;
  readonly createdMs: number;
  updatedMs: number;
  status: ContactStatus;
  fields: JsonObject;
  /** Set when the contact was merged into another (it is then ARCHIVED). */
  mergedToContactId: string | undefined;
}

export interface XeroLine {
  readonly LineItemID: string;
  readonly Description: string;
  /** 10^-4 units. */
  readonly quantity: bigint;
  /** 10^-4 units. */
  readonly unitAmount: bigint;
  readonly AccountCode: string | undefined;
  readonly ItemCode: string | undefined;
  readonly TaxType: string;
  /** Cents. */
  readonly taxAmount: bigint;
  /** Cents. */
  readonly lineAmount: bigint;
  /** Percent in 10^-2 units (ACCREC only). */
  readonly discountRate: bigint | undefined;
}

export type InvoiceType = 'ACCREC' | 'ACCPAY';
export type CreditNoteType = 'ACCRECCREDIT' | 'ACCPAYCREDIT';
export type DocumentStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';
export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

/** What invoices and credit notes share: lines, totals (cents) and bookkeeping. */
export interface XeroDocument {
  readonly id: string;
  readonly createdMs: number;
  updatedMs: number;
  contactId: string;
  number: string;
  reference: string | undefined;
  status: DocumentStatus;
  lineAmountTypes: LineAmountTypes;
  dateMs: number;
  dueDateMs: number | undefined;
  lines: XeroLine[];
  subTotal: bigint;
  totalTax: bigint;
  total: bigint;
  amountPaid: bigint;
  amountCredited: bigint;
  fullyPaidMs: number | undefined;
  paymentIds: string[];
  currencyCode: string;
  /** Units of `currencyCode` per unit of the base currency, in millionths (1_000_000n = 1). */
  currencyRate: bigint;
  url: string | undefined;
}

export interface XeroInvoice extends XeroDocument {
  readonly kind: 'invoice';
  readonly type: InvoiceType;
  sentToContact: boolean;
}

export interface XeroCreditNote extends XeroDocument {
  readonly kind: 'creditNote';
  readonly type: CreditNoteType;
}

export interface XeroPayment {
  readonly id: string;
  readonly documentId: string;
  readonly documentKind: 'invoice' | 'creditNote';
  readonly amount: bigint;
  readonly dateMs: number;
  readonly accountId: string;
  readonly reference: string | undefined;
  status: 'AUTHORISED' | 'DELETED';
  readonly paymentType: 'ACCRECPAYMENT' | 'ACCPAYPAYMENT' | 'ARCREDITPAYMENT' | 'APCREDITPAYMENT';
  updatedMs: number;
}

export interface XeroAccount {
  readonly AccountID: string;
  readonly Code: string;
  readonly Name: string;
  readonly Type: 'BANK' | 'REVENUE' | 'EXPENSE' | 'DIRECTCOSTS' | 'CURRLIAB';
}

/** Tax rates in 10^-4 percent (10 % → 100000). */
interface TaxSetup {
  readonly sales: string;
  readonly purchases: string;
  readonly rates: Readonly<Record<string, number>>;
}

const TAX: Readonly<Record<string, TaxSetup>> = {
  AU: { sales: 'OUTPUT', purchases: 'INPUT', rates: { OUTPUT: 100_000, INPUT: 100_000, EXEMPTOUTPUT: 0, EXEMPTEXPENSES: 0, BASEXCLUDED: 0, NONE: 0 } },
  NZ: { sales: 'OUTPUT2', purchases: 'INPUT2', rates: { OUTPUT2: 150_000, INPUT2: 150_000, ZERORATED: 0, NONE: 0 } },
  GB: { sales: 'OUTPUT2', purchases: 'INPUT2', rates: { OUTPUT2: 200_000, INPUT2: 200_000, ZERORATEDOUTPUT: 0, ZERORATEDINPUT: 0, NONE: 0 } },
  US: { sales: 'OUTPUT', purchases: 'INPUT', rates: { OUTPUT: 0, INPUT: 0, NONE: 0 } },
};

const VERSION: Readonly<Record<string, string>> = { AU: 'AU', NZ: 'NZ', GB: 'UK', US: 'US' };
const TIMEZONE: Readonly<Record<string, string>> = { AU: 'AUSEASTERNSTANDARDTIME', NZ: 'NEWZEALANDSTANDARDTIME', GB: 'GMTSTANDARDTIME', US: 'PACIFICSTANDARDTIME' };
const CURRENCY: Readonly<Record<string, string>> = { AU: 'AUD', NZ: 'NZD', GB: 'GBP', US: 'USD' };
/**
 * Currencies every sandbox organisation has enabled (Settings → Currencies in Xero), with a fixed
 * rate per Australian dollar standing in for Xero's daily XE.com rate, so tests are repeatable.
 */
const RATE_PER_AUD: Readonly<Record<string, number>> = { AUD: 1, NZD: 1.1, USD: 0.65, EUR: 0.6, GBP: 0.5, CAD: 0.9 };

export interface OrganisationSettings {
  readonly name: string;
  /** Fixed tenant id (the demo seed uses stable ones); random when absent. */
  readonly tenantId?: string;
  /** ISO country: AU, NZ, GB or US (default AU). */
  readonly countryCode?: string;
  readonly createdMs: number;
}

/** Key under which a name is unique: trimmed, inner blanks collapsed, case ignored. */
export function contactNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function contactName(contact: XeroContact): string {
  const value = contact.fields.Name;
  return typeof value === 'string' ? value : '';
}

/** One Xero organisation (tenant) with its contacts, invoices, credit notes and payments. */
export class XeroOrganisation {
  readonly tenantId: string;
  readonly name: string;
  readonly shortCode: string;
  readonly countryCode: string;
  readonly baseCurrency: string;
  /** Enabled currencies, base included. */
  readonly currencies: ReadonlySet<string> = new Set(Object.keys(RATE_PER_AUD));
  readonly version: string;
  readonly timezone: string;
  readonly createdMs: number;
  readonly tax: TaxSetup;
  readonly accounts: readonly XeroAccount[];
  readonly contacts = new Map<string, XeroContact>();
  readonly invoices = new Map<string, XeroInvoice>();
  readonly creditNotes = new Map<string, XeroCreditNote>();
  readonly payments = new Map<string, XeroPayment>();

  /** Xero's default CurrencyRate for `code` (units of it per base unit, in millionths). */
  defaultRate(code: string): bigint {
    const foreign = RATE_PER_AUD[code.toUpperCase()];
    const base = RATE_PER_AUD[this.baseCurrency];
    if (foreign === undefined || base === undefined) return 1_000_000n;
    return BigInt(Math.round((foreign / base) * 1_000_000));
  }
  /** ACTIVE contacts by name key. */
  private readonly activeNames = new Map<string, XeroContact>();
  private nextInvoiceNumber = 1;
  private nextCreditNoteNumber = 1;

  constructor(settings: OrganisationSettings & { readonly tenantId: string }) {
    this.tenantId = settings.tenantId;
    this.name = settings.name;
    const country = settings.countryCode !== undefined && settings.countryCode in TAX ? settings.countryCode : 'AU';
    this.countryCode = country;
    this.baseCurrency = CURRENCY[country] ?? 'AUD';
    this.version = VERSION[country] ?? 'GLOBAL';
    this.timezone = TIMEZONE[country] ?? 'UTC';
    this.tax = TAX[country] ?? { sales: 'NONE', purchases: 'NONE', rates: { NONE: 0 } };
    this.createdMs = settings.createdMs;
    const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    this.shortCode = `!${Array.from({ length: 5 }, () => letters[randomInt(letters.length)] ?? 'x').join('')}`;
    this.accounts = [
      { AccountID: randomUUID(), Code: '090', Name: 'Business Bank Account', Type: 'BANK' },
      { AccountID: randomUUID(), Code: '200', Name: 'Sales', Type: 'REVENUE' },
      { AccountID: randomUUID(), Code: '260', Name: 'Other Revenue', Type: 'REVENUE' },
      { AccountID: randomUUID(), Code: '310', Name: 'Cost of Goods Sold', Type: 'DIRECTCOSTS' },
      { AccountID: randomUUID(), Code: '400', Name: 'Advertising', Type: 'EXPENSE' },
      { AccountID: randomUUID(), Code: '429', Name: 'General Expenses', Type: 'EXPENSE' },
    ];
  }

  /** The ACTIVE contact holding this name, if any. */
  activeContactNamed(name: string): XeroContact | undefined {
    return this.activeNames.get(contactNameKey(name));
  }

  insertContact(contact: XeroContact): void {
    this.contacts.set(contact.id, contact);
    if (contact.status === 'ACTIVE') this.activeNames.set(contactNameKey(contactName(contact)), contact);
  }

  /** Applies new fields/status to a contact and keeps the active-name index in step. */
  updateContact(contact: XeroContact, change: { fields?: JsonObject; status?: ContactStatus; mergedToContactId?: string }, nowMs: number): void {
    const before = contactNameKey(contactName(contact));
    if (this.activeNames.get(before) === contact) this.activeNames.delete(before);
    if (change.fields !== undefined) contact.fields = change.fields;
    if (change.status !== undefined) contact.status = change.status;
    if (change.mergedToContactId !== undefined) contact.mergedToContactId = change.mergedToContactId;
    if (contact.status === 'ACTIVE') this.activeNames.set(contactNameKey(contactName(contact)), contact);
    contact.updatedMs = Math.max(nowMs, contact.updatedMs + 1);
  }

  findContactByNumber(contactNumber: string): XeroContact | undefined {
    for (const contact of this.contacts.values()) if (contact.fields.ContactNumber === contactNumber) return contact;
    return undefined;
  }

  /** Whether an ACCREC invoice number is taken (ACCPAY numbers need not be unique). */
  invoiceNumberTaken(number: string, exceptId?: string): boolean {
    const key = number.trim().toLowerCase();
    for (const invoice of this.invoices.values()) {
      if (invoice.type === 'ACCREC' && invoice.id !== exceptId && invoice.status !== 'DELETED' && invoice.number.trim().toLowerCase() === key) return true;
    }
    return false;
  }

  creditNoteNumberTaken(number: string, exceptId?: string): boolean {
    const key = number.trim().toLowerCase();
    for (const note of this.creditNotes.values()) {
      if (note.type === 'ACCRECCREDIT' && note.id !== exceptId && note.status !== 'DELETED' && note.number.trim().toLowerCase() === key) return true;
    }
    return false;
  }

  /** The next free `INV-0001`-style number. */
  allocateInvoiceNumber(): string {
    for (;;) {
      const candidate = `INV-${String(this.nextInvoiceNumber).padStart(4, '0')}`;
      this.nextInvoiceNumber += 1;
      if (!this.invoiceNumberTaken(candidate)) return candidate;
    }
  }

  allocateCreditNoteNumber(): string {
    for (;;) {
      const candidate = `CN-${String(this.nextCreditNoteNumber).padStart(4, '0')}`;
      this.nextCreditNoteNumber += 1;
      if (!this.creditNoteNumberTaken(candidate)) return candidate;
    }
  }

  account(ref: { code?: string | undefined; id?: string | undefined }): XeroAccount | undefined {
    return this.accounts.find((a) => (ref.id !== undefined && a.AccountID.toLowerCase() === ref.id.toLowerCase()) || (ref.code !== undefined && a.Code === ref.code));
  }

  /** Whether any non-deleted invoice of this type names the contact (IsCustomer / IsSupplier). */
  contactHasDocuments(contactId: string, type: InvoiceType): boolean {
    for (const invoice of this.invoices.values()) if (invoice.contactId === contactId && invoice.type === type && invoice.status !== 'DELETED') return true;
    const creditType = type === 'ACCREC' ? 'ACCRECCREDIT' : 'ACCPAYCREDIT';
    for (const note of this.creditNotes.values()) if (note.contactId === contactId && note.type === creditType && note.status !== 'DELETED') return true;
    return false;
  }
}

/** A remembered response to an `Idempotency-Key`. */
export interface IdempotentEntry {
  readonly fingerprint: string;
  readonly response: SandboxResponse;
  readonly expiresMs: number;
}

export type WebhookCategory = 'CONTACT' | 'INVOICE' | 'CREDITNOTE';
export interface XeroChange {
  readonly tenantId: string;
  readonly category: WebhookCategory;
  readonly type: 'CREATE' | 'UPDATE';
  readonly resourceId: string;
  readonly atMs: number;
  readonly data?: JsonObject;
}

/** All Xero organisations of one sandbox, the app-wide idempotency memory, and change listeners. */
export class XeroStore {
  private readonly organisations = new Map<string, XeroOrganisation>();
  readonly idempotency = new Map<string, IdempotentEntry>();
  private readonly listeners: ((change: XeroChange) => void)[] = [];

  createOrganisation(settings: OrganisationSettings): XeroOrganisation {
    if (settings.tenantId !== undefined && this.organisations.has(settings.tenantId)) throw new Error(`Organisation ${settings.tenantId} already exists`);
    const organisation = new XeroOrganisation({ ...settings, tenantId: settings.tenantId ?? randomUUID() });
    this.organisations.set(organisation.tenantId, organisation);
    return organisation;
  }

  get(tenantId: string): XeroOrganisation | undefined {
    return this.organisations.get(tenantId.toLowerCase()) ?? this.organisations.get(tenantId);
  }

  list(): XeroOrganisation[] {
    return [...this.organisations.values()];
  }

  onChange(listener: (change: XeroChange) => void): void {
    this.listeners.push(listener);
  }

  emit(change: XeroChange): void {
    for (const listener of this.listeners) listener(change);
  }

  clear(): void {
    this.organisations.clear();
    this.idempotency.clear();
  }
}

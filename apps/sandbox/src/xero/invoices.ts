import { randomUUID } from 'node:crypto';
import { type Json, type JsonObject, isJsonObject } from '../json.js';
import { ARCHIVED_CONTACT_MESSAGE, type ContactContext, type ContactRoles, createContact, renderContact } from './contacts.js';
import { ElementError } from './errors.js';
import { divRound, fromUnits, toUnits } from './money.js';
import type {
  CreditNoteType,
  DocumentStatus,
  InvoiceType,
  LineAmountTypes,
  XeroContact,
  XeroCreditNote,
  XeroDocument,
  XeroInvoice,
  XeroLine,
  XeroOrganisation,
  XeroPayment,
} from './store.js';
import type { FilterRecord } from './where.js';
import { dateString, isoSeconds, msDate, parseRequestDate, startOfUtcDay } from './xero-date.js';

export type DocumentContext = ContactContext;

const LINE_AMOUNT_TYPES: Readonly<Record<string, LineAmountTypes>> = { exclusive: 'Exclusive', inclusive: 'Inclusive', notax: 'NoTax' };
const CREATE_STATUSES: readonly DocumentStatus[] = ['DRAFT', 'SUBMITTED', 'AUTHORISED'];
/** Allowed status moves (xero-api.md §3.1); PAID is set by payments only. */
const TRANSITIONS: Readonly<Record<DocumentStatus, readonly DocumentStatus[]>> = {
  DRAFT: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  SUBMITTED: ['SUBMITTED', 'AUTHORISED', 'DRAFT', 'DELETED'],
  AUTHORISED: ['AUTHORISED', 'VOIDED'],
  PAID: ['PAID'],
  VOIDED: ['VOIDED'],
  DELETED: ['DELETED'],
};

function str(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Resolves the document's contact: by ContactID, ContactNumber or Name (an unknown Name creates one, as Xero does). */
function resolveContact(ctx: DocumentContext, input: Json | undefined, errors: string[]): XeroContact | undefined {
  if (!isJsonObject(input) || (str(input.ContactID) === undefined && str(input.ContactNumber) === undefined && str(input.Name) === undefined)) {
    errors.push('The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber');
    return undefined;
  }
  let contact: XeroContact | undefined;
  const id = str(input.ContactID);
  const number = str(input.ContactNumber);
  const name = str(input.Name);
  if (id !== undefined) {
    contact = ctx.org.contacts.get(id.toLowerCase());
    if (contact === undefined) {
      errors.push(`The contact with ContactID ${id} could not be found. Use a ContactID returned by GET /Contacts.`);
      return undefined;
    }
  } else if (number !== undefined) {
    contact = ctx.org.findContactByNumber(number);
  }
  if (contact === undefined && name !== undefined) {
    contact = ctx.org.activeContactNamed(name);
    if (contact === undefined) {
      try {
        contact = createContact(ctx, input);
      } catch (error) {
        if (error instanceof ElementError) errors.push(...error.messages);
        else throw error;
        return undefined;
      }
    }
  }
  if (contact === undefined) {
    errors.push(`The contact with ContactNumber ${number ?? ''} could not be found.`);
    return undefined;
  }
  if (contact.status !== 'ACTIVE') {
    errors.push(ARCHIVED_CONTACT_MESSAGE);
    return undefined;
  }
  return contact;
}

interface LineTotals {
  readonly lines: XeroLine[];
  readonly subTotal: bigint;
  readonly totalTax: bigint;
  readonly total: bigint;
}

/** Parses line items and computes every amount in integer units (no float drift). */
export function computeLines(
  org: XeroOrganisation,
  input: Json | undefined,
  options: { lineAmountTypes: LineAmountTypes; sales: boolean; allowDiscount: boolean; previous?: readonly XeroLine[] },
  errors: string[],
): LineTotals {
  const lines: XeroLine[] = [];
  if (input !== undefined && input !== null && !Array.isArray(input)) errors.push('LineItems must be an array.');
  const items = Array.isArray(input) ? input : [];
  let totalTax = 0n;
  let sumLines = 0n;
  items.forEach((raw, index) => {
    const where = `Line item ${index + 1}`;
    if (!isJsonObject(raw)) {
      errors.push(`${where} must be an object.`);
      return;
    }
    const description = str(raw.Description) ?? '';
    const hasQty = raw.Quantity !== undefined && raw.Quantity !== null;
    const hasUnit = raw.UnitAmount !== undefined && raw.UnitAmount !== null;
    const hasLine = raw.LineAmount !== undefined && raw.LineAmount !== null;
    if (!hasQty && !hasUnit && !hasLine && description.trim() === '') {
      errors.push('Description needs to be at least 1 char long.');
      return;
    }
    let quantity = hasQty ? toUnits(raw.Quantity, 4) : 10_000n;
    let unitAmount = hasUnit ? toUnits(raw.UnitAmount, 4) : undefined;
    if (quantity === undefined) {
      errors.push(`${where}: Quantity must be a number.`);
      return;
    }
    if (unitAmount === undefined && hasUnit) {
      errors.push(`${where}: UnitAmount must be a number.`);
      return;
    }
    if (unitAmount === undefined && hasLine) {
      const lineUnits = toUnits(raw.LineAmount, 2);
      if (lineUnits === undefined) {
        errors.push(`${where}: LineAmount must be a number.`);
        return;
      }
      unitAmount = quantity === 0n ? 0n : divRound(lineUnits * 100n * 10_000n, quantity);
    }
    unitAmount ??= 0n;
    if (!hasQty && !hasUnit && !hasLine) quantity = 0n;
    let discountRate: bigint | undefined;
    if (raw.DiscountRate !== undefined && raw.DiscountRate !== null) {
      if (!options.allowDiscount) errors.push('Discounts are only supported on ACCREC invoices.');
      discountRate = toUnits(raw.DiscountRate, 2);
      if (discountRate === undefined || discountRate < 0n || discountRate > 10_000n) {
        errors.push(`${where}: DiscountRate must be a percentage from 0 to 100.`);
        return;
      }
    }
    // quantity (10^-4) × unit (10^-4) = 10^-8; to cents divide by 10^6; a discount adds 10^-4 (percent × 100).
    const gross = quantity * unitAmount;
    const lineAmount = discountRate === undefined ? divRound(gross, 1_000_000n) : divRound(gross * (10_000n - discountRate), 10_000_000_000n);
    const accountCode = str(raw.AccountCode);
    if (accountCode !== undefined && accountCode !== '' && org.account({ code: accountCode }) === undefined) {
      errors.push(`Account code '${accountCode}' is not a valid code for this document.`);
    }
    const taxType = str(raw.TaxType) ?? (options.lineAmountTypes === 'NoTax' ? 'NONE' : options.sales ? org.tax.sales : org.tax.purchases);
    const rate = org.tax.rates[taxType];
    if (rate === undefined) {
      errors.push(`The TaxType code '${taxType}' does not exist or cannot be used for this type of transaction.`);
      return;
    }
    const bigRate = BigInt(options.lineAmountTypes === 'NoTax' ? 0 : rate);
    let taxAmount =
      options.lineAmountTypes === 'Inclusive' ? divRound(lineAmount * bigRate, 1_000_000n + bigRate) : divRound(lineAmount * bigRate, 1_000_000n);
    if (raw.TaxAmount !== undefined && raw.TaxAmount !== null && options.lineAmountTypes !== 'NoTax') {
      const override = toUnits(raw.TaxAmount, 2);
      if (override === undefined) errors.push(`${where}: TaxAmount must be a number.`);
      else taxAmount = override;
    }
    const previousId = str(raw.LineItemID);
    const kept = previousId !== undefined && options.previous?.some((line) => line.LineItemID === previousId.toLowerCase()) === true;
    lines.push({
      LineItemID: kept && previousId !== undefined ? previousId.toLowerCase() : randomUUID(),
      Description: description,
      quantity,
      unitAmount,
      AccountCode: accountCode,
      ItemCode: str(raw.ItemCode),
      TaxType: taxType,
      taxAmount,
      lineAmount,
      discountRate,
    });
    sumLines += lineAmount;
    totalTax += taxAmount;
  });
  if (options.lineAmountTypes === 'Inclusive') return { lines, subTotal: sumLines - totalTax, totalTax, total: sumLines };
  return { lines, subTotal: sumLines, totalTax, total: sumLines + totalTax };
}

function readLineAmountTypes(input: JsonObject, fallback: LineAmountTypes, errors: string[]): LineAmountTypes {
  const raw = input.LineAmountTypes;
  if (raw === undefined || raw === null) return fallback;
  const value = typeof raw === 'string' ? LINE_AMOUNT_TYPES[raw.toLowerCase()] : undefined;
  if (value === undefined) errors.push('LineAmountTypes must be Exclusive, Inclusive or NoTax.');
  return value ?? fallback;
}

function readDate(input: JsonObject, field: 'Date' | 'DueDate', errors: string[]): number | undefined {
  const raw = input[field];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const parsed = typeof raw === 'string' ? parseRequestDate(raw) : undefined;
  if (parsed === undefined) errors.push(`${field} must be a date in the form YYYY-MM-DD; got ${JSON.stringify(raw)}.`);
  return parsed;
}

function readStatus(input: JsonObject, errors: string[]): DocumentStatus | undefined {
  const raw = input.Status;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || !['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'].includes(raw)) {
    errors.push('Status must be DRAFT, SUBMITTED, AUTHORISED, VOIDED or DELETED.');
    return undefined;
  }
  return raw as DocumentStatus;
}

interface DocumentKindRules {
  readonly label: string;
  readonly numberField: 'InvoiceNumber' | 'CreditNoteNumber';
  readonly sales: boolean;
  readonly uniqueNumber: boolean;
}

function invoiceRules(type: InvoiceType): DocumentKindRules {
  return { label: 'Invoice', numberField: 'InvoiceNumber', sales: type === 'ACCREC', uniqueNumber: type === 'ACCREC' };
}
function creditRules(type: CreditNoteType): DocumentKindRules {
  return { label: 'Credit Note', numberField: 'CreditNoteNumber', sales: type === 'ACCRECCREDIT', uniqueNumber: type === 'ACCRECCREDIT' };
}

/** Shared create logic for invoices and credit notes; returns the document fields. */
function buildDocument(ctx: DocumentContext, input: JsonObject, rules: DocumentKindRules, taken: (n: string) => boolean, allocate: () => string): Omit<XeroDocument, 'id'> {
  const errors: string[] = [];
  const contact = resolveContact(ctx, input.Contact, errors);
  const lineAmountTypes = readLineAmountTypes(input, 'Exclusive', errors);
  const totals = computeLines(ctx.org, input.LineItems, { lineAmountTypes, sales: rules.sales, allowDiscount: rules.label === 'Invoice' && rules.sales }, errors);
  const dateMs = readDate(input, 'Date', errors) ?? startOfUtcDay(ctx.now);
  const dueDateMs = readDate(input, 'DueDate', errors);
  const status = readStatus(input, errors) ?? 'DRAFT';
  if (!CREATE_STATUSES.includes(status)) errors.push(`A new ${rules.label.toLowerCase()} can only be DRAFT, SUBMITTED or AUTHORISED.`);
  // Without CurrencyCode Xero uses the contact's DefaultCurrency, else the base currency.
  const contactCurrency = contact === undefined ? undefined : str(contact.fields.DefaultCurrency);
  const currency = (str(input.CurrencyCode) ?? (contactCurrency === '' ? undefined : contactCurrency) ?? ctx.org.baseCurrency).toUpperCase();
  if (!ctx.org.currencies.has(currency)) {
    errors.push(`The currency ${currency} is not enabled for this organisation; it uses ${[...ctx.org.currencies].join(', ')}.`);
  }
  let currencyRate = ctx.org.defaultRate(currency);
  if (input.CurrencyRate !== undefined && input.CurrencyRate !== null && currency !== ctx.org.baseCurrency) {
    const given = toUnits(input.CurrencyRate, 6);
    if (given === undefined || given <= 0n) errors.push('CurrencyRate must be a number greater than zero.');
    else currencyRate = given;
  }
  let number = str(input[rules.numberField])?.trim() ?? '';
  if (number.length > 255) errors.push(`${rules.numberField} must not be more than 255 characters long.`);
  if (rules.uniqueNumber) {
    if (number === '') number = allocate();
    else if (taken(number)) errors.push(rules.label === 'Invoice' ? 'Invoice # must be unique.' : 'Credit Note # must be unique.');
  }
  if (status === 'AUTHORISED' && totals.lines.length === 0 && errors.length === 0) errors.push(`A ${rules.label.toLowerCase()} must have at least one line item to be approved.`);
  if (errors.length > 0 || contact === undefined) throw new ElementError(errors);
  return {
    createdMs: ctx.now,
    updatedMs: ctx.now,
    contactId: contact.id,
    number,
    reference: str(input.Reference),
    status,
    lineAmountTypes,
    dateMs,
    dueDateMs,
    lines: totals.lines,
    subTotal: totals.subTotal,
    totalTax: totals.totalTax,
    total: totals.total,
    amountPaid: 0n,
    amountCredited: 0n,
    fullyPaidMs: undefined,
    paymentIds: [],
    currencyCode: currency,
    currencyRate,
    url: str(input.Url),
  };
}

function readInvoiceType(input: JsonObject): InvoiceType {
  const type = input.Type;
  if (type !== 'ACCREC' && type !== 'ACCPAY') throw new ElementError(['Invoice Type must be ACCREC (sales invoice) or ACCPAY (bill).']);
  return type;
}

export function createInvoice(ctx: DocumentContext, input: JsonObject): XeroInvoice {
  const type = readInvoiceType(input);
  const fields = buildDocument(ctx, input, invoiceRules(type), (n) => ctx.org.invoiceNumberTaken(n), () => ctx.org.allocateInvoiceNumber());
  const invoice: XeroInvoice = { ...fields, id: randomUUID(), kind: 'invoice', type, sentToContact: input.SentToContact === true };
  ctx.org.invoices.set(invoice.id, invoice);
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'INVOICE', type: 'CREATE', resourceId: invoice.id, atMs: ctx.now });
  return invoice;
}

/** Applies an update to an existing invoice or credit note (status moves, lines, dates, reference). */
function updateDocument(ctx: DocumentContext, doc: XeroInvoice | XeroCreditNote, input: JsonObject, rules: DocumentKindRules, taken: (n: string) => boolean): void {
  const errors: string[] = [];
  const nextStatus = readStatus(input, errors) ?? doc.status;
  if (!TRANSITIONS[doc.status].includes(nextStatus)) errors.push(`${rules.label} not of valid status for modification`);
  if (nextStatus === 'VOIDED' && doc.amountPaid + doc.amountCredited > 0n) errors.push('This document cannot be edited as it has a payment or credit note allocated to it');
  const changesContent = input.LineItems !== undefined || input.Contact !== undefined || input.LineAmountTypes !== undefined;
  if (changesContent && (doc.status === 'PAID' || doc.status === 'VOIDED' || doc.status === 'DELETED')) errors.push(`${rules.label} not of valid status for modification`);
  if (changesContent && doc.amountPaid + doc.amountCredited > 0n) errors.push('This document cannot be edited as it has a payment or credit note allocated to it');
  let contactId = doc.contactId;
  if (input.Contact !== undefined) {
    const contact = resolveContact(ctx, input.Contact, errors);
    if (contact !== undefined) contactId = contact.id;
  }
  const lineAmountTypes = readLineAmountTypes(input, doc.lineAmountTypes, errors);
  let totals: LineTotals | undefined;
  if (input.LineItems !== undefined || input.LineAmountTypes !== undefined) {
    const lineInput: Json =
      input.LineItems ??
      doc.lines.map((l) => ({ LineItemID: l.LineItemID, Description: l.Description, Quantity: fromUnits(l.quantity, 4), UnitAmount: fromUnits(l.unitAmount, 4), TaxType: l.TaxType, ...(l.AccountCode === undefined ? {} : { AccountCode: l.AccountCode }) }));
    totals = computeLines(ctx.org, lineInput, { lineAmountTypes, sales: rules.sales, allowDiscount: rules.label === 'Invoice' && rules.sales, previous: doc.lines }, errors);
  }
  const dateMs = readDate(input, 'Date', errors);
  const dueDateMs = readDate(input, 'DueDate', errors);
  const number = str(input[rules.numberField])?.trim();
  if (number !== undefined && number !== doc.number && rules.uniqueNumber && taken(number)) errors.push(rules.label === 'Invoice' ? 'Invoice # must be unique.' : 'Credit Note # must be unique.');
  if (errors.length > 0) throw new ElementError([...new Set(errors)]);
  doc.status = nextStatus;
  doc.contactId = contactId;
  doc.lineAmountTypes = lineAmountTypes;
  if (totals !== undefined) {
    doc.lines = totals.lines;
    doc.subTotal = totals.subTotal;
    doc.totalTax = totals.totalTax;
    doc.total = totals.total;
  }
  if (dateMs !== undefined) doc.dateMs = dateMs;
  if (dueDateMs !== undefined) doc.dueDateMs = dueDateMs;
  if (number !== undefined && number !== '') doc.number = number;
  if (typeof input.Reference === 'string') doc.reference = input.Reference;
  if (typeof input.Url === 'string') doc.url = input.Url;
  doc.updatedMs = Math.max(ctx.now, doc.updatedMs + 1);
}

/** `POST /Invoices` element: update by InvoiceID (or an ACCREC InvoiceNumber), else create. */
export function upsertInvoice(ctx: DocumentContext, input: JsonObject, pathId?: string): XeroInvoice {
  const id = pathId ?? str(input.InvoiceID);
  let invoice: XeroInvoice | undefined;
  if (id !== undefined && id !== '') {
    invoice = ctx.org.invoices.get(id.toLowerCase());
    if (invoice === undefined) throw new ElementError(['An existing Invoice with the specified InvoiceID could not be found']);
  } else if (typeof input.InvoiceNumber === 'string' && input.InvoiceNumber !== '') {
    const key = input.InvoiceNumber.trim().toLowerCase();
    invoice = [...ctx.org.invoices.values()].find((i) => i.type === 'ACCREC' && i.status !== 'DELETED' && i.number.toLowerCase() === key);
  }
  if (invoice === undefined) return createInvoice(ctx, input);
  const target = invoice;
  updateDocument(ctx, target, input, invoiceRules(target.type), (n) => ctx.org.invoiceNumberTaken(n, target.id));
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'INVOICE', type: 'UPDATE', resourceId: target.id, atMs: ctx.now });
  return target;
}

function readCreditType(input: JsonObject): CreditNoteType {
  const type = input.Type;
  if (type !== 'ACCRECCREDIT' && type !== 'ACCPAYCREDIT') throw new ElementError(['Credit Note Type must be ACCRECCREDIT or ACCPAYCREDIT.']);
  return type;
}

function creditEvent(ctx: DocumentContext, note: XeroCreditNote, type: 'CREATE' | 'UPDATE'): void {
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'CREDITNOTE', type, resourceId: note.id, atMs: ctx.now, data: { Type: note.type, Status: note.status } });
}

export function createCreditNote(ctx: DocumentContext, input: JsonObject): XeroCreditNote {
  const type = readCreditType(input);
  const fields = buildDocument(ctx, input, creditRules(type), (n) => ctx.org.creditNoteNumberTaken(n), () => ctx.org.allocateCreditNoteNumber());
  const note: XeroCreditNote = { ...fields, id: randomUUID(), kind: 'creditNote', type };
  ctx.org.creditNotes.set(note.id, note);
  creditEvent(ctx, note, 'CREATE');
  return note;
}

export function upsertCreditNote(ctx: DocumentContext, input: JsonObject, pathId?: string): XeroCreditNote {
  const id = pathId ?? str(input.CreditNoteID);
  if (id === undefined || id === '') return createCreditNote(ctx, input);
  const note = ctx.org.creditNotes.get(id.toLowerCase());
  if (note === undefined) throw new ElementError(['An existing Credit Note with the specified CreditNoteID could not be found']);
  updateDocument(ctx, note, input, creditRules(note.type), (n) => ctx.org.creditNoteNumberTaken(n, note.id));
  creditEvent(ctx, note, 'UPDATE');
  return note;
}

function settle(doc: XeroDocument, dateMs: number): void {
  if (doc.total - doc.amountPaid - doc.amountCredited === 0n && doc.status === 'AUTHORISED') {
    doc.status = 'PAID';
    doc.fullyPaidMs = dateMs;
  } else if (doc.total - doc.amountPaid - doc.amountCredited > 0n && doc.status === 'PAID') {
    doc.status = 'AUTHORISED';
    doc.fullyPaidMs = undefined;
  }
}

/** `PUT /CreditNotes/{id}/Allocations`: applies credit to an invoice of the same side. */
export function allocateCreditNote(ctx: DocumentContext, note: XeroCreditNote, input: JsonObject): JsonObject {
  const errors: string[] = [];
  if (note.status !== 'AUTHORISED') errors.push('Only AUTHORISED credit notes can be allocated.');
  const invoiceRef = input.Invoice;
  const invoiceId = isJsonObject(invoiceRef) ? str(invoiceRef.InvoiceID) : undefined;
  const invoice = invoiceId === undefined ? undefined : ctx.org.invoices.get(invoiceId.toLowerCase());
  if (invoice === undefined) errors.push('Invoice must be specified with an existing InvoiceID.');
  const amount = toUnits(input.Amount, 2);
  if (amount === undefined || amount <= 0n) errors.push('Amount must be a positive number.');
  if (invoice !== undefined && amount !== undefined) {
    if ((note.type === 'ACCRECCREDIT') !== (invoice.type === 'ACCREC')) errors.push('The credit note and the invoice must both be receivable or both payable.');
    if (invoice.status !== 'AUTHORISED') errors.push('Invoice not of valid status for allocation');
    if (amount > note.total - note.amountPaid - note.amountCredited) errors.push('The amount exceeds the remaining credit on this credit note.');
    if (amount > invoice.total - invoice.amountPaid - invoice.amountCredited) errors.push('Payment amount exceeds the amount outstanding on this document');
  }
  if (errors.length > 0 || invoice === undefined || amount === undefined) throw new ElementError(errors);
  const dateMs = (typeof input.Date === 'string' ? parseRequestDate(input.Date) : undefined) ?? startOfUtcDay(ctx.now);
  note.amountCredited += amount;
  invoice.amountCredited += amount;
  settle(note, dateMs);
  settle(invoice, dateMs);
  note.updatedMs = Math.max(ctx.now, note.updatedMs + 1);
  invoice.updatedMs = Math.max(ctx.now, invoice.updatedMs + 1);
  creditEvent(ctx, note, 'UPDATE');
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'INVOICE', type: 'UPDATE', resourceId: invoice.id, atMs: ctx.now });
  return { AllocationID: randomUUID(), Amount: fromUnits(amount, 2), Date: msDate(dateMs), Invoice: { InvoiceID: invoice.id, InvoiceNumber: invoice.number } };
}

/** `PUT /Payments` element: pays (part of) an AUTHORISED invoice from a bank account. */
export function createPayment(ctx: DocumentContext, input: JsonObject): XeroPayment {
  const errors: string[] = [];
  const ref = input.Invoice;
  let invoice: XeroInvoice | undefined;
  if (isJsonObject(ref)) {
    const id = str(ref.InvoiceID);
    const number = str(ref.InvoiceNumber);
    if (id !== undefined) invoice = ctx.org.invoices.get(id.toLowerCase());
    else if (number !== undefined) invoice = [...ctx.org.invoices.values()].find((i) => i.number.toLowerCase() === number.toLowerCase() && i.status !== 'DELETED');
  }
  if (invoice === undefined) errors.push('Invoice could not be found. Send Invoice: {InvoiceID} (or {InvoiceNumber}) of an existing invoice.');
  const accountRef = input.Account;
  const account = isJsonObject(accountRef) ? ctx.org.account({ code: str(accountRef.Code), id: str(accountRef.AccountID) }) : undefined;
  if (account === undefined) errors.push('Account must be specified: send Account: {Code} or {AccountID} of a bank account (the demo organisations have 090).');
  else if (account.Type !== 'BANK') errors.push(`Account code '${account.Code}' is not a bank account; payments need a bank account.`);
  const amount = toUnits(input.Amount, 2);
  if (amount === undefined || amount <= 0n) errors.push('Payment amount must be greater than zero.');
  if (invoice !== undefined) {
    if (invoice.status !== 'AUTHORISED') errors.push('Payments can only be made against AUTHORISED documents.');
    else if (amount !== undefined && amount > invoice.total - invoice.amountPaid - invoice.amountCredited) errors.push('Payment amount exceeds the amount outstanding on this document');
  }
  const dateMs = typeof input.Date === 'string' ? parseRequestDate(input.Date) : startOfUtcDay(ctx.now);
  if (dateMs === undefined) errors.push('Date must be a date in the form YYYY-MM-DD.');
  if (errors.length > 0 || invoice === undefined || account === undefined || amount === undefined || dateMs === undefined) throw new ElementError(errors);
  const payment: XeroPayment = {
    id: randomUUID(),
    documentId: invoice.id,
    documentKind: 'invoice',
    amount,
    dateMs,
    accountId: account.AccountID,
    reference: str(input.Reference),
    status: 'AUTHORISED',
    paymentType: invoice.type === 'ACCREC' ? 'ACCRECPAYMENT' : 'ACCPAYPAYMENT',
    updatedMs: ctx.now,
  };
  ctx.org.payments.set(payment.id, payment);
  invoice.amountPaid += amount;
  invoice.paymentIds.push(payment.id);
  settle(invoice, dateMs);
  invoice.updatedMs = Math.max(ctx.now, invoice.updatedMs + 1);
  ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'INVOICE', type: 'UPDATE', resourceId: invoice.id, atMs: ctx.now });
  return payment;
}

/** `POST /Payments/{id}` with `{"Status":"DELETED"}`: reverses a payment. */
export function deletePayment(ctx: DocumentContext, payment: XeroPayment, input: JsonObject): XeroPayment {
  if (input.Status !== 'DELETED') throw new ElementError(['Only {"Status": "DELETED"} can be posted to a payment.']);
  if (payment.status === 'DELETED') return payment;
  const invoice = ctx.org.invoices.get(payment.documentId);
  payment.status = 'DELETED';
  payment.updatedMs = Math.max(ctx.now, payment.updatedMs + 1);
  if (invoice !== undefined) {
    invoice.amountPaid -= payment.amount;
    settle(invoice, payment.dateMs);
    invoice.updatedMs = Math.max(ctx.now, invoice.updatedMs + 1);
    ctx.store.emit({ tenantId: ctx.org.tenantId, category: 'INVOICE', type: 'UPDATE', resourceId: invoice.id, atMs: ctx.now });
  }
  return payment;
}

function money(units: bigint): number {
  return fromUnits(units, 2);
}

function renderLine(org: XeroOrganisation, line: XeroLine, unitdp: 2 | 4): JsonObject {
  const out: JsonObject = {
    Description: line.Description,
    UnitAmount: unitdp === 4 ? fromUnits(line.unitAmount, 4) : fromUnits(divRound(line.unitAmount, 100n), 2),
    TaxType: line.TaxType,
    TaxAmount: money(line.taxAmount),
    LineAmount: money(line.lineAmount),
    Tracking: [],
    Quantity: fromUnits(line.quantity, 4),
    LineItemID: line.LineItemID,
  };
  if (line.AccountCode !== undefined) {
    out.AccountCode = line.AccountCode;
    const account = org.account({ code: line.AccountCode });
    if (account !== undefined) out.AccountID = account.AccountID;
  }
  if (line.ItemCode !== undefined) out.ItemCode = line.ItemCode;
  if (line.discountRate !== undefined) out.DiscountRate = fromUnits(line.discountRate, 2);
  return out;
}

export interface DocumentView {
  readonly withLines: boolean;
  readonly unitdp: 2 | 4;
  readonly roles: ContactRoles;
}

function renderDocumentContact(org: XeroOrganisation, contactId: string, roles: ContactRoles): JsonObject {
  const contact = org.contacts.get(contactId);
  return contact === undefined ? { ContactID: contactId } : renderContact(contact, roles, { detailed: false });
}

function paymentSummary(payment: XeroPayment, currencyRate: bigint): JsonObject {
  return {
    PaymentID: payment.id,
    Date: msDate(payment.dateMs),
    Amount: money(payment.amount),
    ...(payment.reference === undefined ? {} : { Reference: payment.reference }),
    CurrencyRate: fromUnits(currencyRate, 6),
    HasAccount: false,
    HasValidationErrors: false,
  };
}

export function renderInvoice(org: XeroOrganisation, invoice: XeroInvoice, view: DocumentView): JsonObject {
  const payments = invoice.paymentIds.map((id) => org.payments.get(id)).filter((p): p is XeroPayment => p !== undefined && p.status === 'AUTHORISED');
  const out: JsonObject = {
    Type: invoice.type,
    InvoiceID: invoice.id,
    InvoiceNumber: invoice.number,
    Reference: invoice.reference ?? '',
    Payments: payments.map((p) => paymentSummary(p, invoice.currencyRate)),
    CreditNotes: [],
    Prepayments: [],
    Overpayments: [],
    AmountDue: money(invoice.total - invoice.amountPaid - invoice.amountCredited),
    AmountPaid: money(invoice.amountPaid),
    AmountCredited: money(invoice.amountCredited),
    CurrencyRate: fromUnits(invoice.currencyRate, 6),
    IsDiscounted: invoice.lines.some((l) => l.discountRate !== undefined && l.discountRate > 0n),
    HasAttachments: false,
    HasErrors: false,
    Contact: renderDocumentContact(org, invoice.contactId, view.roles),
    DateString: dateString(invoice.dateMs),
    Date: msDate(invoice.dateMs),
    Status: invoice.status,
    LineAmountTypes: invoice.lineAmountTypes,
    SubTotal: money(invoice.subTotal),
    TotalTax: money(invoice.totalTax),
    Total: money(invoice.total),
    UpdatedDateUTC: msDate(invoice.updatedMs),
    UpdatedDateUTCString: isoSeconds(invoice.updatedMs),
    CurrencyCode: invoice.currencyCode,
    SentToContact: invoice.sentToContact,
  };
  if (invoice.dueDateMs !== undefined) {
    out.DueDateString = dateString(invoice.dueDateMs);
    out.DueDate = msDate(invoice.dueDateMs);
  }
  if (invoice.fullyPaidMs !== undefined) out.FullyPaidOnDate = msDate(invoice.fullyPaidMs);
  if (invoice.url !== undefined) out.Url = invoice.url;
  if (view.withLines) out.LineItems = invoice.lines.map((line) => renderLine(org, line, view.unitdp));
  return out;
}

export function renderCreditNote(org: XeroOrganisation, note: XeroCreditNote, view: DocumentView): JsonObject {
  const out: JsonObject = {
    Type: note.type,
    CreditNoteID: note.id,
    CreditNoteNumber: note.number,
    Reference: note.reference ?? '',
    Contact: renderDocumentContact(org, note.contactId, view.roles),
    DateString: dateString(note.dateMs),
    Date: msDate(note.dateMs),
    Status: note.status,
    LineAmountTypes: note.lineAmountTypes,
    SubTotal: money(note.subTotal),
    TotalTax: money(note.totalTax),
    Total: money(note.total),
    UpdatedDateUTC: msDate(note.updatedMs),
    UpdatedDateUTCString: isoSeconds(note.updatedMs),
    CurrencyCode: note.currencyCode,
    CurrencyRate: fromUnits(note.currencyRate, 6),
    RemainingCredit: money(note.status === 'AUTHORISED' || note.status === 'PAID' ? note.total - note.amountPaid - note.amountCredited : 0n),
    Allocations: [],
    Payments: [],
    HasAttachments: false,
    HasErrors: false,
  };
  if (note.dueDateMs !== undefined) out.DueDate = msDate(note.dueDateMs);
  if (note.fullyPaidMs !== undefined) out.FullyPaidOnDate = msDate(note.fullyPaidMs);
  if (view.withLines) out.LineItems = note.lines.map((line) => renderLine(org, line, view.unitdp));
  return out;
}

export function renderPayment(org: XeroOrganisation, payment: XeroPayment): JsonObject {
  const invoice = org.invoices.get(payment.documentId);
  const account = org.account({ id: payment.accountId });
  const contact = invoice === undefined ? undefined : org.contacts.get(invoice.contactId);
  return {
    PaymentID: payment.id,
    Date: msDate(payment.dateMs),
    // The bank accounts are in the base currency: BankAmount is the amount at the invoice's rate.
    BankAmount: money(invoice === undefined ? payment.amount : divRound(payment.amount * 1_000_000n, invoice.currencyRate)),
    Amount: money(payment.amount),
    ...(payment.reference === undefined ? {} : { Reference: payment.reference }),
    CurrencyRate: fromUnits(invoice?.currencyRate ?? 1_000_000n, 6),
    PaymentType: payment.paymentType,
    Status: payment.status,
    UpdatedDateUTC: msDate(payment.updatedMs),
    UpdatedDateUTCString: isoSeconds(payment.updatedMs),
    HasAccount: true,
    IsReconciled: false,
    Account: account === undefined ? {} : { AccountID: account.AccountID, Code: account.Code },
    Invoice:
      invoice === undefined
        ? {}
        : {
            Type: invoice.type,
            InvoiceID: invoice.id,
            InvoiceNumber: invoice.number,
            Contact: contact === undefined ? { ContactID: invoice.contactId } : { ContactID: contact.id, Name: typeof contact.fields.Name === 'string' ? contact.fields.Name : '' },
            CurrencyCode: invoice.currencyCode,
          },
    HasValidationErrors: false,
  };
}

export function documentFilterRecord(org: XeroOrganisation, doc: XeroInvoice | XeroCreditNote): FilterRecord {
  const contact = org.contacts.get(doc.contactId);
  const base: Record<string, FilterRecord[string]> = {
    Type: doc.type,
    Status: doc.status,
    Reference: doc.reference ?? null,
    Contact: {
      ContactID: doc.contactId,
      Name: contact === undefined ? null : typeof contact.fields.Name === 'string' ? contact.fields.Name : null,
      ContactNumber: contact === undefined ? null : typeof contact.fields.ContactNumber === 'string' ? contact.fields.ContactNumber : null,
    },
    Date: { ms: doc.dateMs },
    DueDate: doc.dueDateMs === undefined ? null : { ms: doc.dueDateMs },
    SubTotal: money(doc.subTotal),
    TotalTax: money(doc.totalTax),
    Total: money(doc.total),
    AmountDue: money(doc.total - doc.amountPaid - doc.amountCredited),
    AmountPaid: money(doc.amountPaid),
    AmountCredited: money(doc.amountCredited),
    CurrencyCode: doc.currencyCode,
    UpdatedDateUTC: { ms: doc.updatedMs },
  };
  if (doc.kind === 'invoice') {
    base.InvoiceID = doc.id;
    base.InvoiceNumber = doc.number;
    base.SentToContact = doc.sentToContact;
  } else {
    base.CreditNoteID = doc.id;
    base.CreditNoteNumber = doc.number;
  }
  return base;
}

export function paymentFilterRecord(org: XeroOrganisation, payment: XeroPayment): FilterRecord {
  const invoice = org.invoices.get(payment.documentId);
  return {
    PaymentID: payment.id,
    Status: payment.status,
    PaymentType: payment.paymentType,
    Amount: money(payment.amount),
    Reference: payment.reference ?? null,
    Date: { ms: payment.dateMs },
    UpdatedDateUTC: { ms: payment.updatedMs },
    Invoice: { InvoiceID: payment.documentId, InvoiceNumber: invoice?.number ?? null },
  };
}

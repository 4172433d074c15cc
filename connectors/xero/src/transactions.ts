import { createHash } from 'node:crypto';
import {
  ConnectorErrors,
  isConnectorError,
  minorUnitsToDecimalNumber,
  toMinorUnits,
  type ConnectorContext,
  type ConnectorError,
  type ItemResult,
  type PushedTransaction,
  type PushTransactionItem,
  type RemoteTransaction,
  type Transaction,
  type TransactionLine,
  type TransactionsApi,
  type TransactionType,
} from '@ledgerlink/connector-sdk';
import { batchIdempotencyKey, type XeroClient } from './client.js';
import type { XeroConfig } from './config.js';
import { parseXeroDate } from './vendor/contact.schema.js';
import type { XeroCollection, XeroCreditNote, XeroInvoice, XeroLineItem, XeroPayment } from './vendor/transaction.schema.js';

/** Xero recommends arrays of at most 50 elements (reference §4). */
export const TRANSACTION_BATCH_SIZE = 50;
const PAGE_SIZE = 100;
/** listForContact reads at most this many pages per collection (newest changes are what a person looks at). */
const MAX_PAGES = 50;

export const XERO_TRANSACTION_TYPES = ['invoice', 'bill', 'credit_note', 'payment'] as const satisfies readonly TransactionType[];
type XeroTransactionType = (typeof XERO_TRANSACTION_TYPES)[number];
const isXeroType = (type: TransactionType): type is XeroTransactionType => (XERO_TRANSACTION_TYPES as readonly string[]).includes(type);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STOPS = new Set(['rate_limited', 'auth_expired', 'auth_revoked']);

/**
 * The per-item marker written into Xero so `find()` can look the document up after an uncertain
 * write: `ll-` and 16 characters of the SHA-256 of the item's idempotency key.
 */
export function markerFor(idempotencyKey: string): string {
  return `ll-${createHash('sha256').update(idempotencyKey, 'utf8').digest('base64url').slice(0, 16)}`;
}
const MARKER_SUFFIX = /\s*\[ll-[A-Za-z0-9_-]{16}\]$/;
const withMarker = (reference: string | undefined, marker: string) => (reference ? `${reference} [${marker}]` : `[${marker}]`);
/** The reference a person wrote, without the connector's marker. */
export const stripMarker = (reference: string | null | undefined): string | undefined => {
  const clean = (reference ?? '').replace(MARKER_SUFFIX, '').trim();
  return clean === '' ? undefined : clean;
};
const isMarker = (value: string | null | undefined) => /^\[ll-[A-Za-z0-9_-]{16}\]$/.test(value ?? '');

/** Where a document of a canonical type lives in Xero and how it is marked. */
interface Placement {
  readonly collection: XeroCollection;
  /** Xero's Type (ACCREC, ACCPAY, ACCRECCREDIT, ACCPAYCREDIT); payments have none. */
  readonly xeroType?: string;
  /** Xero accepts `Reference` on sales documents and payments only (reference §3.1, §3.2). */
  readonly referenceField: boolean;
}

function placementOf(transaction: Pick<Transaction, 'type' | 'customFields'>): Placement {
  if (transaction.type === 'invoice') return { collection: 'Invoices', xeroType: 'ACCREC', referenceField: true };
  if (transaction.type === 'bill') return { collection: 'Invoices', xeroType: 'ACCPAY', referenceField: false };
  if (transaction.type === 'credit_note') {
    return transaction.customFields.xeroType === 'ACCPAYCREDIT'
      ? { collection: 'CreditNotes', xeroType: 'ACCPAYCREDIT', referenceField: false }
      : { collection: 'CreditNotes', xeroType: 'ACCRECCREDIT', referenceField: true };
  }
  return { collection: 'Payments', referenceField: true };
}

const decimal = (minor: number, currency: string) => minorUnitsToDecimalNumber(minor, currency);

/** Quantity × unit amount in minor units, exactly (quantities have at most 4 decimals in Xero). */
function lineTotal(line: TransactionLine, index: number): number {
  const scaled = Math.round(line.quantity * 10_000);
  if (Math.abs(scaled - line.quantity * 10_000) > 1e-6) throw ConnectorErrors.validation(`lines[${index}].quantity`, `Xero keeps at most 4 decimals of a quantity; round line ${index + 1}'s quantity`);
  const product = BigInt(scaled) * BigInt(line.unitAmount);
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs + 5_000n) / 10_000n;
  return Number(negative ? -rounded : rounded);
}

/** Canonical transaction → the Xero element to send (checked first, each problem naming its field). */
export function toXeroDocument(item: PushTransactionItem, marker: string): Record<string, unknown> {
  const { transaction } = item;
  if (!isXeroType(transaction.type)) throw ConnectorErrors.validation('type', `Xero connector pushes invoice, bill, credit_note and payment, not ${transaction.type}`);
  if (!GUID.test(item.contactId) && transaction.type !== 'payment') throw ConnectorErrors.validation('contactId', `Xero contact ids are GUIDs; ${JSON.stringify(item.contactId)} is not one`);
  const currency = transaction.currency.toUpperCase();
  const status = transaction.status === 'open' ? 'AUTHORISED' : transaction.status === 'draft' ? 'DRAFT' : undefined;
  const placement = placementOf(transaction);
  // Xero keeps 255 characters of Reference; the marker takes 22 of them.
  if (placement.referenceField && (transaction.reference?.length ?? 0) > 255 - 22) {
    throw ConnectorErrors.validation('reference', 'Xero keeps 255 characters of a reference and Ledgerlink adds a 22-character marker; shorten the reference to 233 characters');
  }
  if (transaction.type === 'payment') {
    if (item.remoteId !== undefined) throw ConnectorErrors.validation('remoteId', 'Xero payments cannot be changed; delete the payment in Xero and push a new one');
    if (transaction.status !== 'open' && transaction.status !== 'paid') throw ConnectorErrors.validation('status', 'A Xero payment is pushed as open (or paid); delete it in Xero to reverse it');
    if (transaction.total <= 0) throw ConnectorErrors.validation('total', 'A Xero payment must be greater than zero');
    const invoiceId = transaction.customFields.invoiceId;
    const invoiceNumber = transaction.customFields.invoiceNumber;
    if (!invoiceId && !invoiceNumber) throw ConnectorErrors.validation('customFields.invoiceId', 'A Xero payment pays an invoice or bill: set customFields.invoiceId (its Xero InvoiceID) or customFields.invoiceNumber');
    const accountCode = transaction.customFields.accountCode;
    if (!accountCode) throw ConnectorErrors.validation('customFields.accountCode', 'A Xero payment needs the bank account it was paid from or into: set customFields.accountCode (e.g. 090)');
    return {
      Invoice: invoiceId ? { InvoiceID: invoiceId } : { InvoiceNumber: invoiceNumber },
      Account: { Code: accountCode },
      Date: transaction.issueDate,
      Amount: decimal(transaction.total, currency),
      Reference: withMarker(transaction.reference, marker),
    };
  }
  if (status === undefined) throw ConnectorErrors.validation('status', `A Xero ${transaction.type.replace('_', ' ')} is pushed as open (AUTHORISED) or draft; Xero sets paid itself and voids only from its own screens`);
  if (transaction.lines.length === 0) throw ConnectorErrors.validation('lines', 'Xero needs at least one line');
  const taxed = (transaction.taxTotal ?? 0) !== 0 || transaction.lines.some((l) => l.taxCode !== undefined || (l.taxAmount ?? 0) !== 0);
  let sum = 0;
  const lines = transaction.lines.map((line, index) => {
    const expected = lineTotal(line, index);
    if (expected !== line.amount) {
      throw ConnectorErrors.validation(`lines[${index}].amount`, `Line ${index + 1}: quantity × unit amount is ${expected} minor units but amount says ${line.amount}; Xero computes the line amount itself`);
    }
    sum += line.amount;
    return {
      Description: line.description ?? '',
      Quantity: line.quantity,
      UnitAmount: decimal(line.unitAmount, currency),
      LineAmount: decimal(line.amount, currency),
      ...(line.accountCode ? { AccountCode: line.accountCode } : {}),
      ...(line.itemCode ? { ItemCode: line.itemCode } : {}),
      ...(taxed && line.taxCode ? { TaxType: line.taxCode } : {}),
      ...(taxed && line.taxAmount !== undefined ? { TaxAmount: decimal(line.taxAmount, currency) } : {}),
    };
  });
  const tax = transaction.taxTotal ?? transaction.lines.reduce((t, l) => t + (l.taxAmount ?? 0), 0);
  if (sum + tax !== transaction.total) {
    throw ConnectorErrors.validation('total', `The lines (${sum}) and tax (${tax}) add up to ${sum + tax} minor units, not the total ${transaction.total}; Xero computes the total itself`);
  }
  const numberField = placement.collection === 'Invoices' ? 'InvoiceNumber' : 'CreditNoteNumber';
  const idField = placement.collection === 'Invoices' ? 'InvoiceID' : 'CreditNoteID';
  // Sales numbers are unique in Xero, so a given number is the marker; otherwise the marker goes
  // in Reference (sales) or, for purchases (no Reference in Xero), in the number when none is given.
  const number = transaction.number ?? (placement.referenceField ? undefined : `[${marker}]`);
  return {
    ...(item.remoteId !== undefined ? { [idField]: item.remoteId } : {}),
    Type: placement.xeroType,
    Contact: { ContactID: item.contactId },
    Date: transaction.issueDate,
    ...(transaction.dueDate !== undefined && placement.collection === 'Invoices' ? { DueDate: transaction.dueDate } : {}),
    ...(number !== undefined ? { [numberField]: number } : {}),
    ...(placement.referenceField ? { Reference: withMarker(transaction.reference, marker) } : {}),
    CurrencyCode: currency,
    LineAmountTypes: taxed ? 'Exclusive' : 'NoTax',
    Status: status,
    LineItems: lines,
  };
}

const minor = (value: number | string | null | undefined, currency: string): number | undefined =>
  value === null || value === undefined || value === '' ? undefined : toMinorUnits(value, currency);
const dateOnly = (dateString: string | null | undefined, msDate: string | null | undefined): string | undefined =>
  (dateString ? dateString.slice(0, 10) : parseXeroDate(msDate)?.slice(0, 10)) ?? undefined;

function fromXeroLine(line: XeroLineItem, currency: string): TransactionLine {
  const quantity = line.Quantity === null || line.Quantity === undefined ? 1 : Number(line.Quantity);
  const amount = minor(line.LineAmount, currency) ?? 0;
  return {
    ...(line.Description ? { description: line.Description } : {}),
    quantity,
    unitAmount: minor(line.UnitAmount, currency) ?? amount,
    amount,
    ...(line.TaxAmount !== null && line.TaxAmount !== undefined ? { taxAmount: minor(line.TaxAmount, currency) ?? 0 } : {}),
    ...(line.ItemCode ? { itemCode: line.ItemCode } : {}),
    ...(line.AccountCode ? { accountCode: line.AccountCode } : {}),
    ...(line.TaxType ? { taxCode: line.TaxType } : {}),
  };
}

type DocumentStatus = Transaction['status'];
/** Xero's document status (and what is left to pay) → canonical status. */
export function statusOf(xeroStatus: string | undefined, total: number, due: number | undefined): DocumentStatus {
  if (xeroStatus === 'DRAFT' || xeroStatus === 'SUBMITTED') return 'draft';
  if (xeroStatus === 'PAID') return 'paid';
  if (xeroStatus === 'VOIDED' || xeroStatus === 'DELETED') return 'void';
  // AUTHORISED: open until something is paid or credited.
  return due !== undefined && due < total && due > 0 ? 'partially_paid' : due === 0 && total > 0 ? 'paid' : 'open';
}

export interface Links {
  document(type: XeroTransactionType, id: string): string;
}

export function fromXeroInvoice(invoice: XeroInvoice, links: Links): RemoteTransaction {
  const currency = invoice.CurrencyCode ?? 'USD';
  const type: XeroTransactionType = invoice.Type === 'ACCPAY' ? 'bill' : 'invoice';
  const total = minor(invoice.Total, currency) ?? 0;
  const amountDue = minor(invoice.AmountDue, currency);
  const status = statusOf(invoice.Status, total, amountDue);
  const number = invoice.InvoiceNumber && !isMarker(invoice.InvoiceNumber) ? invoice.InvoiceNumber : undefined;
  const reference = stripMarker(invoice.Reference);
  const dueDate = dateOnly(invoice.DueDateString, invoice.DueDate);
  const subtotal = minor(invoice.SubTotal, currency);
  const taxTotal = minor(invoice.TotalTax, currency);
  const updatedAt = parseXeroDate(invoice.UpdatedDateUTC);
  const id = invoice.InvoiceID ?? '';
  return {
    id,
    ...(invoice.UpdatedDateUTC ? { version: invoice.UpdatedDateUTC } : {}),
    contactId: invoice.Contact?.ContactID ?? '',
    status: invoice.Status === 'DELETED' ? 'deleted' : status,
    ...(updatedAt ? { updatedAt } : {}),
    deepLink: links.document(type, id),
    transaction: {
      type,
      ...(number !== undefined ? { number: number.slice(0, 21) } : {}),
      issueDate: dateOnly(invoice.DateString, invoice.Date) ?? '1970-01-01',
      ...(dueDate ? { dueDate } : {}),
      currency,
      lines: (invoice.LineItems ?? []).map((l) => fromXeroLine(l, currency)),
      ...(subtotal !== undefined ? { subtotal } : {}),
      ...(taxTotal !== undefined ? { taxTotal } : {}),
      total,
      ...(amountDue !== undefined ? { amountDue } : {}),
      ...(reference !== undefined ? { reference } : {}),
      status,
      customFields: { xeroType: invoice.Type ?? '' },
    },
  };
}

export function fromXeroCreditNote(note: XeroCreditNote, links: Links): RemoteTransaction {
  const currency = note.CurrencyCode ?? 'USD';
  const total = minor(note.Total, currency) ?? 0;
  const remaining = minor(note.RemainingCredit, currency);
  const status = statusOf(note.Status, total, remaining);
  const number = note.CreditNoteNumber && !isMarker(note.CreditNoteNumber) ? note.CreditNoteNumber : undefined;
  const reference = stripMarker(note.Reference);
  const subtotal = minor(note.SubTotal, currency);
  const taxTotal = minor(note.TotalTax, currency);
  const updatedAt = parseXeroDate(note.UpdatedDateUTC);
  const id = note.CreditNoteID ?? '';
  return {
    id,
    ...(note.UpdatedDateUTC ? { version: note.UpdatedDateUTC } : {}),
    contactId: note.Contact?.ContactID ?? '',
    status: note.Status === 'DELETED' ? 'deleted' : status,
    ...(updatedAt ? { updatedAt } : {}),
    deepLink: links.document('credit_note', id),
    transaction: {
      type: 'credit_note',
      ...(number !== undefined ? { number: number.slice(0, 21) } : {}),
      issueDate: dateOnly(note.DateString, note.Date) ?? '1970-01-01',
      currency,
      lines: (note.LineItems ?? []).map((l) => fromXeroLine(l, currency)),
      ...(subtotal !== undefined ? { subtotal } : {}),
      ...(taxTotal !== undefined ? { taxTotal } : {}),
      total,
      ...(remaining !== undefined ? { amountDue: remaining } : {}),
      ...(reference !== undefined ? { reference } : {}),
      status,
      customFields: { xeroType: note.Type ?? '' },
    },
  };
}

/** A payment (as Xero answers a write or lists it inside its invoice) → canonical. */
export function fromXeroPayment(payment: XeroPayment, invoice: { id: string; number?: string | null | undefined; contactId: string; currency: string }, links: Links): RemoteTransaction {
  const currency = invoice.currency;
  const total = minor(payment.Amount, currency) ?? 0;
  const deleted = payment.Status === 'DELETED';
  const reference = stripMarker(payment.Reference);
  const updatedAt = parseXeroDate(payment.UpdatedDateUTC);
  return {
    id: payment.PaymentID ?? '',
    ...(payment.UpdatedDateUTC ? { version: payment.UpdatedDateUTC } : {}),
    contactId: invoice.contactId,
    status: deleted ? 'deleted' : 'paid',
    ...(updatedAt ? { updatedAt } : {}),
    // Xero has no page for a payment; it shows on the invoice it pays.
    deepLink: links.document('invoice', invoice.id),
    transaction: {
      type: 'payment',
      issueDate: parseXeroDate(payment.Date)?.slice(0, 10) ?? '1970-01-01',
      currency,
      lines: [],
      total,
      ...(reference !== undefined ? { reference } : {}),
      status: deleted ? 'void' : 'paid',
      customFields: { invoiceId: invoice.id, ...(invoice.number ? { invoiceNumber: invoice.number } : {}) },
    },
  };
}

/** The canonical field a Xero validation message on a document is about. */
export function transactionFieldOf(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('contact')) return 'contactId';
  if (m.includes('account')) return m.includes('bank') || m.includes('payment') ? 'customFields.accountCode' : 'lines.accountCode';
  if (m.includes('taxtype') || m.includes('tax')) return 'lines.taxCode';
  if (m.includes('currency')) return 'currency';
  if (m.includes('invoice #') || m.includes('credit note #') || m.includes('number')) return 'number';
  if (m.includes('duedate')) return 'dueDate';
  if (m.includes('date')) return 'issueDate';
  if (m.includes('line') || m.includes('description') || m.includes('quantity') || m.includes('unitamount')) return 'lines';
  if (m.includes('amount') || m.includes('outstanding')) return 'total';
  if (m.includes('invoice could not be found') || m.includes('invoice must')) return 'customFields.invoiceId';
  if (m.includes('status')) return 'status';
  return 'transaction';
}

function elementFailure(messages: readonly string[]): ConnectorError {
  const message = messages.join(' ') || 'Xero refused the document without saying why';
  const first = messages[0] ?? '';
  if (/must be unique/i.test(first)) return ConnectorErrors.duplicate(undefined, `Xero refused the document: ${message}`, { field: 'number' });
  return ConnectorErrors.validation(transactionFieldOf(first), `Xero refused the document: ${message}`);
}

const failed = (element: { StatusAttributeString?: string | null | undefined; ValidationErrors?: readonly { Message: string }[] | null | undefined }, id: string | undefined) =>
  element.StatusAttributeString === 'ERROR' || (element.ValidationErrors?.length ?? 0) > 0 || !id || /^0{8}-/.test(id);

export function createTransactionsApi(ctx: ConnectorContext<XeroConfig>, client: XeroClient): TransactionsApi {
  const base = ctx.config.appBaseUrl;
  const links: Links = {
    document(type, id) {
      const ref = encodeURIComponent(id);
      if (type === 'bill') return `${base}/AccountsPayable/View.aspx?InvoiceID=${ref}`;
      if (type === 'credit_note') return `${base}/AccountsPayable/ViewCreditNote.aspx?creditNoteID=${ref}`;
      return `${base}/AccountsReceivable/View.aspx?InvoiceID=${ref}`;
    },
  };
  const asError = (error: unknown): ConnectorError => (isConnectorError(error) ? error : ConnectorErrors.uncertain(`Writing to Xero failed: ${String(error)}`));

  const toRemote = (collection: XeroCollection, element: XeroInvoice | XeroCreditNote | XeroPayment, item: PushTransactionItem): RemoteTransaction => {
    if (collection === 'Invoices') return fromXeroInvoice(element as XeroInvoice, links);
    if (collection === 'CreditNotes') return fromXeroCreditNote(element as XeroCreditNote, links);
    const payment = element as XeroPayment;
    return fromXeroPayment(
      payment,
      {
        id: payment.Invoice?.InvoiceID ?? item.transaction.customFields.invoiceId ?? '',
        number: payment.Invoice?.InvoiceNumber,
        contactId: payment.Invoice?.Contact?.ContactID ?? item.contactId,
        currency: payment.Invoice?.CurrencyCode ?? item.transaction.currency,
      },
      links,
    );
  };
  const idOf = (collection: XeroCollection, element: XeroInvoice | XeroCreditNote | XeroPayment): string | undefined =>
    collection === 'Invoices' ? (element as XeroInvoice).InvoiceID : collection === 'CreditNotes' ? (element as XeroCreditNote).CreditNoteID : (element as XeroPayment).PaymentID;

  const push = async (items: readonly PushTransactionItem[]): Promise<ItemResult<PushedTransaction>[]> => {
    const results: (ItemResult<PushedTransaction> | undefined)[] = items.map(() => undefined);
    const fail = (index: number, error: ConnectorError) => {
      results[index] = { ok: false, error: error.toJSON() };
    };
    const prepared: { index: number; collection: XeroCollection; method: 'PUT' | 'POST'; body: Record<string, unknown> }[] = [];
    items.forEach((item, index) => {
      try {
        const body = toXeroDocument(item, markerFor(item.idempotencyKey));
        prepared.push({ index, collection: placementOf(item.transaction).collection, method: item.remoteId ? 'POST' : 'PUT', body });
      } catch (error) {
        fail(index, asError(error));
      }
    });
    // Invoices before payments, so a payment of an invoice pushed in the same call finds it.
    const groups: (typeof prepared)[] = [];
    for (const collection of ['Invoices', 'CreditNotes', 'Payments'] as const) {
      for (const method of ['PUT', 'POST'] as const) {
        const mine = prepared.filter((p) => p.collection === collection && p.method === method);
        for (let start = 0; start < mine.length; start += TRANSACTION_BATCH_SIZE) groups.push(mine.slice(start, start + TRANSACTION_BATCH_SIZE));
      }
    }
    let stopped: ConnectorError | undefined;
    for (const group of groups) {
      const first = group[0];
      if (!first) continue;
      if (stopped) {
        for (const p of group) fail(p.index, stopped);
        continue;
      }
      const operation = `${first.collection.toLowerCase()}-${first.method === 'PUT' ? 'create' : 'update'}`;
      const key = batchIdempotencyKey(operation, group.map((p) => items[p.index]?.idempotencyKey ?? ''));
      try {
        const answer = await client.writeDocuments(first.collection, first.method, group.map((p) => p.body), key);
        group.forEach((p, n) => {
          const element = answer[n];
          const item = items[p.index];
          if (!element || !item) return;
          const id = idOf(p.collection, element);
          if (failed(element, id)) fail(p.index, elementFailure((element.ValidationErrors ?? []).map((v) => v.Message)));
          else results[p.index] = { ok: true, value: { remote: toRemote(p.collection, element, item), created: !item.remoteId } };
        });
      } catch (error) {
        const failure = asError(error);
        if (STOPS.has(failure.kind)) stopped = failure;
        for (const p of group) fail(p.index, failure);
      }
    }
    return results.map((result) => result ?? { ok: false, error: ConnectorErrors.uncertain('Xero did not answer for this transaction; call find() before retrying').toJSON() });
  };

  /** Every page of a document list (capped), newest changes included. */
  const allPages = async <C extends 'Invoices' | 'CreditNotes'>(collection: C, where: string, since: string | undefined) => {
    const out: (C extends 'Invoices' ? XeroInvoice : XeroCreditNote)[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const batch = await client.listDocuments(collection, { where, page, pageSize: PAGE_SIZE, ...(since ? { ifModifiedSince: since } : {}) });
      out.push(...(batch as (C extends 'Invoices' ? XeroInvoice : XeroCreditNote)[]));
      if (batch.length < PAGE_SIZE) break;
    }
    return out;
  };

  const listForContact: TransactionsApi['listForContact'] = async ({ kind, contactId, since, types }) => {
    if (!GUID.test(contactId)) throw ConnectorErrors.validation('contactId', `Xero contact ids are GUIDs; ${JSON.stringify(contactId)} is not one`);
    let sinceIso: string | undefined;
    if (since !== undefined) {
      const ms = Date.parse(since);
      if (Number.isNaN(ms)) throw ConnectorErrors.validation('since', `since must be an ISO timestamp such as 2026-01-31T09:30:00Z; got ${JSON.stringify(since)}`);
      sinceIso = new Date(ms).toISOString();
    }
    const wanted = new Set<TransactionType>(types ?? XERO_TRANSACTION_TYPES);
    const sales = kind === 'customer';
    const contactFilter = `Contact.ContactID==Guid("${contactId.toLowerCase()}")`;
    const out: RemoteTransaction[] = [];
    if (wanted.has('invoice') || wanted.has('bill') || wanted.has('payment')) {
      const invoices = await allPages('Invoices', `${contactFilter} AND Type=="${sales ? 'ACCREC' : 'ACCPAY'}"`, sinceIso);
      for (const invoice of invoices) {
        const remote = fromXeroInvoice(invoice, links);
        if (wanted.has(remote.transaction.type)) out.push(remote);
        if (!wanted.has('payment')) continue;
        for (const payment of invoice.Payments ?? []) {
          out.push(fromXeroPayment(payment, { id: invoice.InvoiceID ?? '', number: invoice.InvoiceNumber, contactId, currency: invoice.CurrencyCode ?? 'USD' }, links));
        }
      }
    }
    if (wanted.has('credit_note')) {
      const notes = await allPages('CreditNotes', `${contactFilter} AND Type=="${sales ? 'ACCRECCREDIT' : 'ACCPAYCREDIT'}"`, sinceIso);
      out.push(...notes.map((n) => fromXeroCreditNote(n, links)));
    }
    return out.sort((a, b) => b.transaction.issueDate.localeCompare(a.transaction.issueDate) || (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || b.id.localeCompare(a.id));
  };

  const find: NonNullable<TransactionsApi['find']> = async ({ type, idempotencyKey, number, contactId }) => {
    if (!isXeroType(type)) return undefined;
    const placement = placementOf({ type, customFields: {} });
    const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    const contact = contactId !== undefined && GUID.test(contactId) ? ` AND Contact.ContactID==Guid("${contactId.toLowerCase()}")` : '';
    const candidates: string[] = [];
    if (idempotencyKey !== undefined) {
      const marker = `[${markerFor(idempotencyKey)}]`;
      if (type === 'payment') candidates.push(`Reference.EndsWith(${quote(marker)})`);
      if (type === 'invoice') candidates.push(`Type=="ACCREC" AND Reference.EndsWith(${quote(marker)})${contact}`);
      if (type === 'bill') candidates.push(`Type=="ACCPAY" AND InvoiceNumber==${quote(marker)}${contact}`);
      if (type === 'credit_note') {
        candidates.push(`Type=="ACCRECCREDIT" AND Reference.EndsWith(${quote(marker)})${contact}`);
        candidates.push(`Type=="ACCPAYCREDIT" AND CreditNoteNumber==${quote(marker)}${contact}`);
      }
    }
    if (number !== undefined && placement.collection !== 'Payments') {
      const field = placement.collection === 'Invoices' ? 'InvoiceNumber' : 'CreditNoteNumber';
      candidates.push(`${field}==${quote(number)}${contact}`);
    }
    for (const where of candidates) {
      const found = await client.listDocuments(placement.collection, { where, page: 1, pageSize: 10 });
      const element = found[0];
      if (!element) continue;
      if (placement.collection === 'Invoices') {
        const remote = fromXeroInvoice(element as XeroInvoice, links);
        if (remote.transaction.type === type) return remote;
        continue;
      }
      if (placement.collection === 'CreditNotes') return fromXeroCreditNote(element as XeroCreditNote, links);
      const payment = element as XeroPayment;
      return fromXeroPayment(
        payment,
        { id: payment.Invoice?.InvoiceID ?? '', number: payment.Invoice?.InvoiceNumber, contactId: payment.Invoice?.Contact?.ContactID ?? contactId ?? '', currency: payment.Invoice?.CurrencyCode ?? 'USD' },
        links,
      );
    }
    return undefined;
  };

  return { push, listForContact, find };
}


import { ConnectorErrors, fromMinorUnits, toMinorUnits, type RemoteTransaction, type Transaction, type TransactionLine, type TransactionType } from '@ledgerlink/connector-sdk';
import type { QboRef } from '../vendor/name-list.schema.js';
import type { QboTransaction, QboTxnLine, TxnEntity } from '../vendor/transaction.schema.js';

/**
 * Pure mappers between canonical transactions and QBO Invoice, Bill, Payment, CreditMemo,
 * SalesReceipt and Estimate. Amounts go through the SDK's money helpers, never floats.
 */

export const TXN_ENTITY = {
  invoice: 'Invoice',
  bill: 'Bill',
  payment: 'Payment',
  credit_note: 'CreditMemo',
  sales_receipt: 'SalesReceipt',
  estimate: 'Estimate',
} as const satisfies Partial<Record<TransactionType, TxnEntity>>;
export type QboTransactionType = keyof typeof TXN_ENTITY;

export const QBO_TRANSACTION_TYPES = Object.keys(TXN_ENTITY) as QboTransactionType[];

export function isQboTransactionType(type: TransactionType): type is QboTransactionType {
  return type in TXN_ENTITY;
}

export function typeOfEntity(entity: TxnEntity): QboTransactionType {
  const found = QBO_TRANSACTION_TYPES.find((type) => TXN_ENTITY[type] === entity);
  if (!found) throw new Error(`unknown QBO transaction entity ${entity}`);
  return found;
}

/** Bills (and bill payments) belong to vendors; everything else to customers. */
export function partyKeyOf(entity: TxnEntity): 'CustomerRef' | 'VendorRef' {
  return entity === 'Bill' ? 'VendorRef' : 'CustomerRef';
}

const DEEP_LINK: Readonly<Record<QboTransactionType, string>> = {
  invoice: 'invoice',
  bill: 'bill',
  payment: 'recvpayment',
  credit_note: 'creditmemo',
  sales_receipt: 'salesreceipt',
  estimate: 'estimate',
};

export function transactionDeepLink(appBaseUrl: string, type: QboTransactionType, id: string): string {
  return `${appBaseUrl}/${DEEP_LINK[type]}?txnId=${encodeURIComponent(id)}`;
}

/** QBO's limit on PrivateNote (the "Memo" of a transaction). */
export const MAX_PRIVATE_NOTE = 4000;
const MARKER = /\n?\[ledgerlink:([\x21-\x5a\x5c\x5e-\x7e]+)\]\s*$/;

/**
 * The marker written at the end of PrivateNote: `[ledgerlink:<requestid>]`, where requestid is the
 * item's idempotency key (hashed when longer than 50 characters, see requestIdFor). QuickBooks
 * keeps PrivateNote on the document, so `find()` can recognise a document an earlier, uncertain
 * push created.
 */
export function markerFor(requestId: string): string {
  return `[ledgerlink:${requestId}]`;
}

/** The memo a person wrote and the idempotency marker, split from a PrivateNote. */
export function splitPrivateNote(note: string | null | undefined): { memo?: string; marker?: string } {
  if (!note) return {};
  const match = MARKER.exec(note);
  if (!match) return { memo: note };
  const memo = note.slice(0, match.index);
  return { ...(memo.trim() !== '' ? { memo } : {}), ...(match[1] !== undefined ? { marker: match[1] } : {}) };
}

/** References already looked up for each line (same order as the lines). */
export interface LineRefs {
  readonly item?: QboRef;
  readonly account?: QboRef;
}

export interface ToQboOptions {
  readonly contactId: string;
  readonly requestId: string;
  readonly lineRefs: readonly LineRefs[];
  readonly termId?: string;
  /** For a payment: the QBO invoice it pays (LinkedTxn); absent leaves the payment unapplied. */
  readonly appliesToInvoiceId?: string;
}

const NEEDS_LINES = new Set<QboTransactionType>(['invoice', 'bill', 'credit_note', 'sales_receipt']);

/** Checks what QuickBooks would refuse or silently change, naming the canonical field. */
export function checkTransaction(transaction: Transaction): void {
  const type = transaction.type;
  if (transaction.status === 'void' || transaction.status === 'draft') {
    throw ConnectorErrors.validation('status', `QuickBooks has no ${transaction.status} ${type.replace('_', ' ')}s through its API; push it as open (void it in QuickBooks instead)`);
  }
  if (NEEDS_LINES.has(type as QboTransactionType) && transaction.lines.length === 0) {
    throw ConnectorErrors.validation('lines', `A QuickBooks ${type.replace('_', ' ')} needs at least one line; add a line with an amount`);
  }
  if (type !== 'payment') {
    const sum = transaction.lines.reduce((total, line) => total + line.amount, 0);
    if (transaction.subtotal !== undefined && transaction.subtotal !== sum) {
      throw ConnectorErrors.validation('subtotal', `subtotal ${transaction.subtotal} is not the sum of the line amounts (${sum}); QuickBooks computes it from the lines`);
    }
    const expected = sum + (transaction.taxTotal ?? 0);
    if (transaction.total !== expected) {
      throw ConnectorErrors.validation('total', `total ${transaction.total} is not the sum of the line amounts plus tax (${expected}); QuickBooks computes the total from the lines, so fix the lines or the total`);
    }
  } else if (transaction.total < 0) {
    throw ConnectorErrors.validation('total', 'A QuickBooks payment cannot be negative');
  }
  if (transaction.memo !== undefined && transaction.memo.length > MAX_PRIVATE_NOTE - 80) {
    throw ConnectorErrors.validation('memo', `memo is ${transaction.memo.length} characters; QuickBooks keeps at most ${MAX_PRIVATE_NOTE - 80} of them here (the rest holds Ledgerlink's idempotency marker)`);
  }
}

function decimal(minor: number, currency: string): number {
  return Number(fromMinorUnits(minor, currency));
}

function salesLine(line: TransactionLine, refs: LineRefs, currency: string): Record<string, unknown> {
  const exact = line.quantity * line.unitAmount === line.amount;
  return {
    ...(line.description !== undefined ? { Description: line.description } : {}),
    Amount: decimal(line.amount, currency),
    DetailType: 'SalesItemLineDetail',
    SalesItemLineDetail: {
      ...(refs.item ? { ItemRef: refs.item } : {}),
      ...(exact ? { Qty: line.quantity, UnitPrice: decimal(line.unitAmount, currency) } : {}),
      ...(line.taxCode !== undefined ? { TaxCodeRef: { value: line.taxCode } } : {}),
    },
  };
}

function billLine(line: TransactionLine, refs: LineRefs, currency: string, index: number): Record<string, unknown> {
  const base = { ...(line.description !== undefined ? { Description: line.description } : {}), Amount: decimal(line.amount, currency) };
  const tax = line.taxCode !== undefined ? { TaxCodeRef: { value: line.taxCode } } : {};
  if (refs.item) {
    const exact = line.quantity * line.unitAmount === line.amount;
    return {
      ...base,
      DetailType: 'ItemBasedExpenseLineDetail',
      ItemBasedExpenseLineDetail: { ItemRef: refs.item, ...(exact ? { Qty: line.quantity, UnitPrice: decimal(line.unitAmount, currency) } : {}), ...tax },
    };
  }
  if (!refs.account) {
    throw ConnectorErrors.validation(`lines[${index}].accountCode`, 'A QuickBooks bill line needs an expense account: give the line an accountCode (or an itemCode), or set the connector\'s defaultExpenseAccount');
  }
  return { ...base, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: refs.account, ...tax } };
}

/** The QBO document to create (or to apply as a sparse update) for a canonical transaction. */
export function toQboTransaction(transaction: Transaction, options: ToQboOptions): Record<string, unknown> {
  const type = transaction.type;
  if (!isQboTransactionType(type)) throw ConnectorErrors.validation('type', `QuickBooks Online transactions of type ${type} are not supported by this connector`);
  checkTransaction(transaction);
  const entity = TXN_ENTITY[type];
  const currency = transaction.currency;
  const note = [transaction.memo, markerFor(options.requestId)].filter((part) => part !== undefined && part !== '').join('\n');
  const body: Record<string, unknown> = {
    [partyKeyOf(entity)]: { value: options.contactId },
    TxnDate: transaction.issueDate,
    CurrencyRef: { value: currency },
    PrivateNote: note,
  };
  if (transaction.number !== undefined) body[type === 'payment' ? 'PaymentRefNum' : 'DocNumber'] = transaction.number;
  if (transaction.dueDate !== undefined) {
    if (type === 'invoice' || type === 'bill') body.DueDate = transaction.dueDate;
    if (type === 'estimate') body.ExpirationDate = transaction.dueDate;
  }
  if (options.termId !== undefined) {
    if (type === 'invoice' || type === 'estimate') body.SalesTermRef = { value: options.termId };
    if (type === 'bill') body.TermRef = { value: options.termId };
  }
  if (type === 'payment') {
    body.TotalAmt = decimal(transaction.total, currency);
    if (options.appliesToInvoiceId !== undefined) {
      body.Line = [{ Amount: decimal(transaction.total, currency), LinkedTxn: [{ TxnId: options.appliesToInvoiceId, TxnType: 'Invoice' }] }];
    }
    return body;
  }
  body.Line = transaction.lines.map((line, index) => {
    const refs = options.lineRefs[index] ?? {};
    return type === 'bill' ? billLine(line, refs, currency, index) : salesLine(line, refs, currency);
  });
  return body;
}

const READ_LINE_TYPES = new Set(['SalesItemLineDetail', 'ItemBasedExpenseLineDetail', 'AccountBasedExpenseLineDetail', 'DescriptionOnly']);

function minor(value: string | null | undefined, currency: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return toMinorUnits(value, currency);
}

function fromQboLine(line: QboTxnLine, currency: string): TransactionLine {
  const detail = line.SalesItemLineDetail ?? line.ItemBasedExpenseLineDetail ?? line.AccountBasedExpenseLineDetail ?? undefined;
  const amount = minor(line.Amount, currency) ?? 0;
  const quantity = detail?.Qty !== null && detail?.Qty !== undefined && detail.Qty !== '' ? Number(detail.Qty) : 1;
  const unitAmount = minor(detail?.UnitPrice, currency) ?? (quantity === 1 ? amount : 0);
  const item = detail?.ItemRef?.name ?? detail?.ItemRef?.value;
  const account = detail?.AccountRef?.name ?? detail?.AccountRef?.value;
  const tax = detail?.TaxCodeRef?.value;
  return {
    ...(line.Description ? { description: line.Description } : {}),
    quantity,
    unitAmount,
    amount,
    ...(item ? { itemCode: item } : {}),
    ...(account ? { accountCode: account } : {}),
    ...(tax ? { taxCode: tax } : {}),
  };
}

/** The document's number: DocNumber, or PaymentRefNum for payments. */
export function documentNumberOf(type: QboTransactionType, raw: QboTransaction): string | undefined {
  return (type === 'payment' ? raw.PaymentRefNum : raw.DocNumber) ?? undefined;
}

/** Status from QBO's amounts: voided documents read TotalAmt 0 and PrivateNote "Voided". */
export function statusOf(type: QboTransactionType, raw: QboTransaction, total: number, balance: number | undefined): Transaction['status'] {
  if (total === 0 && /^Voided\b/i.test(raw.PrivateNote ?? '')) return 'void';
  if ((type === 'invoice' || type === 'bill') && balance !== undefined && total > 0) {
    if (balance === 0) return 'paid';
    if (balance < total) return 'partially_paid';
  }
  return 'open';
}

/** A QBO document as a canonical RemoteTransaction. `fallbackCurrency` is used when QBO omits CurrencyRef. */
export function fromQboTransaction(entity: TxnEntity, raw: QboTransaction, appBaseUrl: string, fallbackCurrency = 'USD'): RemoteTransaction {
  const type = typeOfEntity(entity);
  const currency = raw.CurrencyRef?.value ?? fallbackCurrency;
  const lines = type === 'payment' ? [] : (raw.Line ?? []).filter((line) => READ_LINE_TYPES.has(line.DetailType ?? '')).map((line) => fromQboLine(line, currency));
  const total = minor(raw.TotalAmt, currency) ?? lines.reduce((sum, line) => sum + line.amount, 0);
  const taxTotal = minor(raw.TxnTaxDetail?.TotalTax, currency);
  const balance = type === 'invoice' || type === 'bill' ? minor(raw.Balance, currency) : undefined;
  const status = statusOf(type, raw, total, balance);
  const { memo } = splitPrivateNote(raw.PrivateNote);
  const dueDate = type === 'estimate' ? raw.ExpirationDate : raw.DueDate;
  const party = raw[partyKeyOf(entity)];
  const terms = raw.SalesTermRef?.name ?? raw.TermRef?.name;
  const updated = raw.MetaData?.LastUpdatedTime;
  const transaction: Transaction = {
    type,
    ...(documentNumberOf(type, raw) ? { number: (documentNumberOf(type, raw) ?? '').slice(0, 21) } : {}),
    issueDate: raw.TxnDate ?? (updated ? new Date(updated).toISOString().slice(0, 10) : ''),
    ...(dueDate ? { dueDate } : {}),
    currency,
    lines,
    ...(type !== 'payment' ? { subtotal: lines.reduce((sum, line) => sum + line.amount, 0) } : {}),
    ...(taxTotal !== undefined ? { taxTotal } : {}),
    total,
    ...(balance !== undefined ? { amountDue: balance } : {}),
    ...(terms ? { paymentTerms: terms } : {}),
    ...(memo !== undefined && status !== 'void' ? { memo } : {}),
    status,
    customFields: {},
  };
  return {
    id: raw.Id,
    ...(raw.SyncToken != null ? { version: raw.SyncToken } : {}),
    contactId: party?.value ?? '',
    status,
    ...(updated && !Number.isNaN(Date.parse(updated)) ? { updatedAt: new Date(updated).toISOString() } : {}),
    deepLink: transactionDeepLink(appBaseUrl, type, raw.Id),
    transaction,
  };
}

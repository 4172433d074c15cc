import { type JsonObject, isJsonObject } from '../json.js';
import { QboFaults } from './faults.js';
import { refTo, resolveRef } from './lists.js';
import { fromCents, multiplyToCents, toCents } from './money.js';
import { formatQboDate, formatQboTime } from './qbo-time.js';
import type { EntityRecord, QboCompany, TxnKind, TxnRecord } from './store.js';

const PARTY: Readonly<Record<TxnKind, 'CustomerRef' | 'VendorRef'>> = {
  Invoice: 'CustomerRef',
  SalesReceipt: 'CustomerRef',
  CreditMemo: 'CustomerRef',
  Estimate: 'CustomerRef',
  Payment: 'CustomerRef',
  Bill: 'VendorRef',
};
const NEEDS_LINES = new Set<TxnKind>(['Invoice', 'Bill', 'SalesReceipt', 'CreditMemo']);
const SALES_FORMS = new Set<TxnKind>(['Invoice', 'SalesReceipt', 'CreditMemo', 'Estimate']);
const VOIDABLE = new Set<TxnKind>(['Invoice', 'Payment', 'SalesReceipt']);
const SALES_LINE_TYPES = new Set(['SalesItemLineDetail', 'DescriptionOnly', 'SubTotalLineDetail']);
const BILL_LINE_TYPES = new Set(['AccountBasedExpenseLineDetail', 'ItemBasedExpenseLineDetail']);
/** Read-only or system properties: any value sent is overwritten (Intuit: "any value you supply is over-written"). */
const SYSTEM = new Set(['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status', 'TotalAmt', 'Balance', 'UnappliedAmt', 'RemainingCredit', 'HomeBalance', 'HomeTotalAmt']);
const MAX_DOC_NUMBER = 21;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Bulk-seeded invoices store no Line (one service line is implied by the total) to stay compact;
 * this gives them their line back for reading and before any change.
 */
export function linesOf(record: TxnRecord): JsonObject {
  if (record.fields.Line !== undefined) return record.fields;
  const line: JsonObject = { Id: '1', LineNum: 1, Amount: fromCents(record.totalCents), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' } } };
  return { ...record.fields, Line: [line] };
}

export interface TxnWriteOptions {
  /** `include=allowduplicatedocnum` was on the request. */
  readonly allowDuplicateDocNumber?: boolean;
}

interface Computed {
  readonly fields: JsonObject;
  readonly totalCents: number;
  readonly links: { txnId: string; cents: number }[];
}

function amountOf(value: unknown, element: string): number {
  const cents = toCents(value);
  if (cents === undefined) throw QboFaults.parseObject(`${element} must be a number such as 100.25`);
  return cents;
}

/** Checks the lines, resolves their references and sums them in cents. */
function lines(company: QboCompany, kind: TxnKind, raw: unknown): { lines: JsonObject[]; totalCents: number } {
  if (!Array.isArray(raw)) throw QboFaults.parseObject('Line must be an array of line objects');
  const allowed = kind === 'Bill' ? BILL_LINE_TYPES : SALES_LINE_TYPES;
  let total = 0;
  const out: JsonObject[] = [];
  raw.forEach((value: unknown, index) => {
    if (!isJsonObject(value)) throw QboFaults.parseObject(`Line ${index + 1} must be an object`);
    const detailType = value.DetailType;
    if (typeof detailType !== 'string' || detailType === '') throw QboFaults.requiredParameter('Line.DetailType');
    if (!allowed.has(detailType)) {
      throw QboFaults.businessValidation(`${kind} lines must have DetailType ${[...allowed].join(' or ')}; got ${detailType}.`, 'Line.DetailType');
    }
    const line: JsonObject = { ...value, Id: String(index + 1), LineNum: index + 1 };
    if (detailType === 'SubTotalLineDetail') {
      line.Amount = fromCents(total);
      line.SubTotalLineDetail = {};
      out.push(line);
      return;
    }
    if (detailType === 'DescriptionOnly') {
      const cents = value.Amount === undefined ? 0 : amountOf(value.Amount, 'Line.Amount');
      line.Amount = fromCents(cents);
      total += cents;
      out.push(line);
      return;
    }
    const detail = value[detailType];
    if (!isJsonObject(detail)) throw QboFaults.requiredParameter(`Line.${detailType}`);
    const nextDetail: JsonObject = { ...detail };
    if (detailType === 'AccountBasedExpenseLineDetail') {
      if (detail.AccountRef === undefined) throw QboFaults.requiredParameter('Line.AccountBasedExpenseLineDetail.AccountRef');
      nextDetail.AccountRef = refTo(resolveRef(company.lists.Account, detail.AccountRef, 'Line.AccountBasedExpenseLineDetail.AccountRef', company.batchCreated));
    } else {
      const element = `Line.${detailType}.ItemRef`;
      const itemRef = detail.ItemRef ?? (detailType === 'SalesItemLineDetail' ? { value: '1' } : undefined);
      if (itemRef === undefined) throw QboFaults.requiredParameter(element);
      nextDetail.ItemRef = refTo(resolveRef(company.lists.Item, itemRef, element, company.batchCreated));
    }
    let cents: number;
    if (value.Amount !== undefined && value.Amount !== null) cents = amountOf(value.Amount, 'Line.Amount');
    else if (typeof detail.Qty === 'number' && typeof detail.UnitPrice === 'number') cents = multiplyToCents(detail.Qty, detail.UnitPrice) ?? 0;
    else throw QboFaults.requiredParameter('Line.Amount');
    line[detailType] = nextDetail;
    line.Amount = fromCents(cents);
    total += cents;
    out.push(line);
  });
  return { lines: out, totalCents: total };
}

function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Validates a whole transaction body (after sparse merging) and derives its amounts. */
function compute(company: QboCompany, kind: TxnKind, input: JsonObject, self: TxnRecord | undefined, nowMs: number, options: TxnWriteOptions): Computed {
  const fields: JsonObject = {};
  for (const [key, value] of Object.entries(input)) if (!SYSTEM.has(key) && value !== null) fields[key] = value;
  const partyKey = PARTY[kind];
  if (fields[partyKey] === undefined) throw QboFaults.requiredParameter(partyKey);
  const party = resolveRef(partyKey === 'VendorRef' ? company.vendors : company.customers, fields[partyKey], partyKey, company.batchCreated);
  fields[partyKey] = refTo(party);

  const txnDate = fields.TxnDate ?? formatQboDate(nowMs, company.timeZone);
  if (typeof txnDate !== 'string' || !DATE.test(txnDate) || Number.isNaN(Date.parse(txnDate))) {
    throw QboFaults.parseObject('TxnDate must be a date like 2026-11-23');
  }
  fields.TxnDate = txnDate;
  if (fields.DueDate !== undefined && (typeof fields.DueDate !== 'string' || !DATE.test(fields.DueDate))) {
    throw QboFaults.parseObject('DueDate must be a date like 2026-12-23');
  }
  if (fields.SalesTermRef !== undefined) fields.SalesTermRef = refTo(resolveRef(company.lists.Term, fields.SalesTermRef, 'SalesTermRef'));
  if (kind === 'Invoice' || kind === 'Bill') {
    const termRef = fields.SalesTermRef ?? fields.TermRef;
    const term = isJsonObject(termRef) && typeof termRef.value === 'string' ? company.lists.Term.get(termRef.value) : undefined;
    const dueDays = typeof term?.fields.DueDays === 'number' ? term.fields.DueDays : 0;
    fields.DueDate ??= addDays(txnDate, dueDays);
  }
  fields.CurrencyRef = { value: company.currency.value, name: company.currency.name };

  if (SALES_FORMS.has(kind) || kind === 'Bill') docNumber(company, kind, fields, self, options);

  if (kind === 'Payment') return payment(company, fields, self, input.TotalAmt);
  if (fields.Line === undefined) {
    if (NEEDS_LINES.has(kind)) throw QboFaults.requiredParameter('Line');
    fields.Line = [];
  }
  const computed = lines(company, kind, fields.Line);
  fields.Line = [...computed.lines, { Amount: fromCents(computed.totalCents), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }].filter(
    (line, index, all) => line.DetailType !== 'SubTotalLineDetail' || index === all.length - 1,
  );
  return { fields, totalCents: computed.totalCents, links: [] };
}

function docNumber(company: QboCompany, kind: TxnKind, fields: JsonObject, self: TxnRecord | undefined, options: TxnWriteOptions): void {
  let value = fields.DocNumber;
  if (value === undefined || value === '') {
    if (kind === 'Bill') return;
    value = self?.fields.DocNumber ?? company.allocateDocNumber(kind);
  }
  if (typeof value !== 'string') throw QboFaults.parseObject('DocNumber must be a string');
  if (value.length > MAX_DOC_NUMBER) throw QboFaults.stringLength('DocNumber', MAX_DOC_NUMBER, value.length);
  const holder = company.docNumberHolder(kind, value);
  if (holder !== undefined && holder !== self?.id && company.duplicateDocNumbers === 'reject' && options.allowDuplicateDocNumber !== true) {
    throw QboFaults.duplicateDocNumber(value, kind, holder);
  }
  fields.DocNumber = value;
}

type PaymentLink = TxnRecord['links'][number];

/**
 * A payment's applications (`Line[].LinkedTxn`): invoices it pays and credit memos whose credit
 * it uses, each checked against what is still open. The invoices paid minus the credit used is
 * what the payment's money covers; it cannot exceed TotalAmt (the rest is UnappliedAmt).
 */
function payment(company: QboCompany, fields: JsonObject, self: TxnRecord | undefined, totalAmt: unknown): Computed {
  if ((totalAmt === undefined || totalAmt === null) && self === undefined) throw QboFaults.requiredParameter('TotalAmt');
  const totalCents = totalAmt === undefined || totalAmt === null ? (self?.totalCents ?? 0) : amountOf(totalAmt, 'TotalAmt');
  if (totalCents < 0) throw QboFaults.businessValidation('TotalAmt cannot be negative.', 'TotalAmt');
  const customerId = (fields.CustomerRef as JsonObject).value;
  const raw = fields.Line ?? [];
  if (!Array.isArray(raw)) throw QboFaults.parseObject('Line must be an array of line objects');
  const links: PaymentLink[] = [];
  const outLines: JsonObject[] = [];
  let invoices = 0;
  let credits = 0;
  const sumFor = (list: readonly PaymentLink[], id: string) => list.filter((l) => l.txnId === id).reduce((sum, l) => sum + l.cents, 0);
  for (const value of raw as unknown[]) {
    if (!isJsonObject(value) || !Array.isArray(value.LinkedTxn) || value.LinkedTxn.length === 0) {
      throw QboFaults.requiredParameter('Line.LinkedTxn', ': a payment line names the invoice it pays, {"LinkedTxn":[{"TxnId":"<invoice Id>","TxnType":"Invoice"}]}');
    }
    const cents = amountOf(value.Amount, 'Line.Amount');
    if (cents < 0) throw QboFaults.businessValidation('A payment line Amount cannot be negative.', 'Line.Amount');
    const linked: JsonObject[] = [];
    for (const link of value.LinkedTxn) {
      if (!isJsonObject(link) || typeof link.TxnId !== 'string') throw QboFaults.requiredParameter('Line.LinkedTxn.TxnId');
      if (link.TxnType !== 'Invoice' && link.TxnType !== 'CreditMemo') {
        throw QboFaults.businessValidation('The sandbox applies payments to invoices and credit memos only (TxnType "Invoice" or "CreditMemo").', 'Line.LinkedTxn.TxnType');
      }
      const txnType = link.TxnType;
      const target = company.txns[txnType].get(link.TxnId);
      if (target === undefined || target.voided || company.batchCreated?.has(target) === true) throw QboFaults.objectNotFound('Line.LinkedTxn.TxnId');
      if ((target.fields.CustomerRef as JsonObject | undefined)?.value !== customerId) {
        throw QboFaults.businessValidation(`${txnType} ${target.id} belongs to another customer; a payment can only use its own customer's ${txnType === 'Invoice' ? 'invoices' : 'credit memos'}.`, 'Line.LinkedTxn');
      }
      const open = target.balanceCents + sumFor(self?.links ?? [], target.id) - sumFor(links, target.id);
      if (cents > open) {
        throw QboFaults.businessValidation(
          txnType === 'Invoice'
            ? `The payment applies ${fromCents(cents)} to invoice ${target.id}, which has ${fromCents(open)} open.`
            : `The payment uses ${fromCents(cents)} of credit memo ${target.id}, which has ${fromCents(open)} credit remaining.`,
          'Line.Amount',
        );
      }
      links.push({ txnId: target.id, cents, txnType });
      linked.push({ TxnId: target.id, TxnType: txnType });
    }
    if (linked.some((l) => l.TxnType === 'CreditMemo')) credits += cents;
    else invoices += cents;
    outLines.push({ Amount: fromCents(cents), LinkedTxn: linked });
  }
  if (credits > invoices) {
    throw QboFaults.businessValidation(`The credit used (${fromCents(credits)}) is more than the invoices paid (${fromCents(invoices)}); apply credit only against invoices.`, 'Line.Amount');
  }
  if (invoices - credits > totalCents) {
    throw QboFaults.businessValidation(`The amounts applied (${fromCents(invoices - credits)} after ${fromCents(credits)} of credit) are more than the payment's TotalAmt (${fromCents(totalCents)}).`, 'TotalAmt');
  }
  fields.Line = outLines;
  delete fields.DocNumber;
  return { fields, totalCents, links };
}

/** Cents of a payment's money applied: invoices paid minus credit memos used. */
function appliedByPayment(record: TxnRecord): number {
  return record.links.reduce((sum, link) => sum + (link.txnType === 'CreditMemo' ? -link.cents : link.cents), 0);
}

function customerBalance(company: QboCompany, customerId: unknown, deltaCents: number): void {
  if (deltaCents === 0 || typeof customerId !== 'string') return;
  const customer = company.customers.get(customerId);
  if (customer === undefined) return;
  const before = toCents(customer.fields.Balance) ?? 0;
  customer.fields = { ...customer.fields, Balance: fromCents(before + deltaCents) };
}

function partyId(record: TxnRecord): unknown {
  const ref = record.fields.CustomerRef;
  return isJsonObject(ref) ? ref.value : undefined;
}

/** Adds (sign 1) or takes back (sign -1) a payment's applications on its invoices and credit memos. */
function applyLinks(company: QboCompany, record: TxnRecord, sign: 1 | -1): void {
  for (const link of record.links) {
    const credit = link.txnType === 'CreditMemo';
    const target = credit ? company.txns.CreditMemo.get(link.txnId) : company.txns.Invoice.get(link.txnId);
    if (target === undefined) continue;
    target.appliedCents += sign * link.cents;
    if (credit) target.balanceCents = target.totalCents - target.appliedCents;
    else setBalance(company, target, target.totalCents - target.appliedCents);
    const others = (Array.isArray(target.fields.LinkedTxn) ? target.fields.LinkedTxn : []).filter((l) => !(isJsonObject(l) && l.TxnId === record.id));
    target.fields = { ...target.fields, LinkedTxn: sign === 1 ? [...others, { TxnId: record.id, TxnType: 'Payment' }] : others };
  }
}

/** Sets an invoice's open balance and moves the customer's balance by the difference. */
function setBalance(company: QboCompany, invoice: TxnRecord, balanceCents: number): void {
  customerBalance(company, partyId(invoice), balanceCents - invoice.balanceCents);
  invoice.balanceCents = balanceCents;
}

function store(record: TxnRecord, computed: Computed): void {
  record.fields = computed.fields;
  record.totalCents = computed.totalCents;
  if (record.kind === 'Payment') record.links = computed.links;
}

export function createTransaction(company: QboCompany, kind: TxnKind, body: unknown, nowMs: number, options: TxnWriteOptions = {}): TxnRecord {
  if (!isJsonObject(body)) throw QboFaults.parseObject(`Expected a JSON object with the ${kind}'s fields`);
  if (body.Id !== undefined) throw QboFaults.businessValidation('Id is assigned by QuickBooks; leave it out when creating.', 'Id');
  const computed = compute(company, kind, body, undefined, nowMs, options);
  const record: TxnRecord = {
    kind,
    id: company.allocateTxnId(),
    syncToken: 0,
    createdMs: nowMs,
    updatedMs: nowMs,
    fields: {},
    totalCents: 0,
    balanceCents: 0,
    appliedCents: 0,
    links: [],
    voided: false,
  };
  store(record, computed);
  company.txns[kind].set(record.id, record);
  company.setDocNumber(kind, typeof record.fields.DocNumber === 'string' ? record.fields.DocNumber : undefined, record.id);
  if (kind === 'Invoice') setBalance(company, record, record.totalCents);
  if (kind === 'Bill' || kind === 'CreditMemo') record.balanceCents = record.totalCents;
  if (kind === 'Payment') applyLinks(company, record, 1);
  return record;
}

function existing(company: QboCompany, kind: TxnKind, body: unknown): { record: TxnRecord; body: JsonObject } {
  if (!isJsonObject(body)) throw QboFaults.parseObject(`Expected a JSON object with the ${kind}'s Id and SyncToken`);
  if (typeof body.Id !== 'string' || body.Id === '') throw QboFaults.requiredParameter('Id');
  const record = company.txns[kind].get(body.Id);
  if (record === undefined) throw QboFaults.objectNotFound();
  if (typeof body.SyncToken !== 'string' || body.SyncToken === '') throw QboFaults.requiredParameter('SyncToken');
  if (body.SyncToken !== String(record.syncToken)) throw QboFaults.staleObject();
  return { record, body };
}

/** Full or sparse update; Line, when sent, replaces every line. */
export function updateTransaction(company: QboCompany, kind: TxnKind, input: unknown, nowMs: number, options: TxnWriteOptions = {}): TxnRecord {
  const { record, body } = existing(company, kind, input);
  if (record.voided) throw QboFaults.businessValidation(`This ${kind} is voided and cannot be changed.`);
  const merged = body.sparse === true ? { ...linesOf(record), ...body } : body;
  const computed = compute(company, kind, merged, record, nowMs, options);
  if (kind === 'Invoice' && computed.totalCents < record.appliedCents) {
    throw QboFaults.businessValidation(`The invoice total cannot be less than the ${fromCents(record.appliedCents)} already paid on it.`, 'Line');
  }
  if (kind === 'CreditMemo' && computed.totalCents < record.appliedCents) {
    throw QboFaults.businessValidation(`The credit memo total cannot be less than the ${fromCents(record.appliedCents)} of its credit already used by payments.`, 'Line');
  }
  const previousDoc = typeof record.fields.DocNumber === 'string' ? record.fields.DocNumber : undefined;
  if (kind === 'Payment') applyLinks(company, record, -1);
  if (kind === 'Invoice' && partyId(record) !== (computed.fields.CustomerRef as JsonObject).value) setBalance(company, record, 0);
  store(record, computed);
  if (kind === 'Payment') applyLinks(company, record, 1);
  if (kind === 'Invoice') setBalance(company, record, record.totalCents - record.appliedCents);
  if (kind === 'Bill') record.balanceCents = record.totalCents;
  if (kind === 'CreditMemo') record.balanceCents = record.totalCents - record.appliedCents;
  company.setDocNumber(kind, typeof record.fields.DocNumber === 'string' ? record.fields.DocNumber : undefined, record.id, previousDoc);
  record.syncToken += 1;
  record.updatedMs = nowMs;
  return record;
}

function refuseIfPaid(record: TxnRecord, action: string): void {
  if (record.kind === 'Invoice' && record.appliedCents > 0) {
    throw QboFaults.businessValidation(`Invoice ${record.id} has payments applied; ${action} or change those payments first.`);
  }
  if (record.kind === 'CreditMemo' && record.appliedCents > 0) {
    throw QboFaults.businessValidation(`Credit memo ${record.id} has its credit used by payments; ${action} or change those payments first.`);
  }
}

/** `?operation=void`: amounts become zero, the record stays (`PrivateNote: "Voided"`). */
export function voidTransaction(company: QboCompany, kind: TxnKind, input: unknown, nowMs: number): TxnRecord {
  if (!VOIDABLE.has(kind)) throw QboFaults.unsupportedOperation(`Operation void is not supported for ${kind}; delete it instead.`);
  const { record } = existing(company, kind, input);
  if (record.voided) return record;
  refuseIfPaid(record, 'void');
  if (kind === 'Payment') applyLinks(company, record, -1);
  if (kind === 'Invoice') setBalance(company, record, 0);
  record.voided = true;
  record.totalCents = 0;
  record.links = [];
  const current = linesOf(record);
  const zeroed = Array.isArray(current.Line) ? current.Line.map((line) => (isJsonObject(line) ? { ...line, Amount: 0 } : line)) : [];
  record.fields = { ...current, Line: zeroed, PrivateNote: 'Voided' };
  record.syncToken += 1;
  record.updatedMs = nowMs;
  return record;
}

/** `?operation=delete`: transactions are hard-deleted; later reads answer 610. */
export function deleteTransaction(company: QboCompany, kind: TxnKind, input: unknown, nowMs: number): TxnRecord {
  const { record } = existing(company, kind, input);
  refuseIfPaid(record, 'delete');
  if (kind === 'Payment') applyLinks(company, record, -1);
  if (kind === 'Invoice') setBalance(company, record, 0);
  company.txns[kind].delete(record.id);
  company.setDocNumber(kind, undefined, record.id, typeof record.fields.DocNumber === 'string' ? record.fields.DocNumber : undefined);
  company.bury(kind, record.id, nowMs);
  return record;
}

/** The transaction as the QuickBooks Online API returns it. */
export function renderTransaction(company: QboCompany, record: TxnRecord): JsonObject {
  const entity: JsonObject = { domain: 'QBO', Id: record.id, SyncToken: String(record.syncToken), sparse: false, ...linesOf(record), TotalAmt: fromCents(record.totalCents) };
  switch (record.kind) {
    case 'Invoice':
    case 'Bill':
      entity.Balance = fromCents(record.balanceCents);
      break;
    case 'SalesReceipt':
      entity.Balance = 0;
      break;
    case 'CreditMemo':
      entity.RemainingCredit = fromCents(record.balanceCents);
      entity.Balance = fromCents(record.balanceCents);
      break;
    case 'Payment':
      entity.UnappliedAmt = fromCents(record.totalCents - appliedByPayment(record));
      break;
    case 'Estimate':
      entity.TxnStatus ??= 'Pending';
      break;
  }
  entity.MetaData = { CreateTime: formatQboTime(record.createdMs, company.timeZone), LastUpdatedTime: formatQboTime(record.updatedMs, company.timeZone) };
  return entity;
}

/** The delete response body entity: `{"status":"Deleted","domain":"QBO","Id":"…"}`. */
export function renderDeleted(record: EntityRecord): JsonObject {
  return { status: 'Deleted', domain: 'QBO', Id: record.id };
}

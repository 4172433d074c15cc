import type { JsonObject } from '../json.js';
import { fromCents } from './money.js';
import { formatQboDate } from './qbo-time.js';
import type { NameRecord, QboCompany, TxnRecord } from './store.js';

export interface BulkSize {
  readonly customers?: number | undefined;
  readonly vendors?: number | undefined;
  readonly invoices?: number | undefined;
}

/** Largest number of records one seed request may add. */
export const MAX_SEED_RECORDS = 1_000_000;

/**
 * Fills a company with `customers`, `vendors` and `invoices` quickly and compactly: the rules
 * checks of the API are skipped (names are generated valid and unique), records share their
 * constant sub-objects, and nothing per record holds a closure. Invoices go round the customers,
 * one service line each, amounts 10.00 … 999.99 so balances are exact sums of cents.
 */
export function seedBulk(company: QboCompany, size: BulkSize, nowMs: number): { customers: number; vendors: number; invoices: number } {
  const customers = size.customers ?? 0;
  const vendors = size.vendors ?? 0;
  const invoices = size.invoices ?? 0;
  if (customers + vendors + invoices > MAX_SEED_RECORDS) throw new RangeError(`customers + vendors + invoices must be at most ${MAX_SEED_RECORDS}`);
  if (invoices > 0 && customers === 0 && company.customers.size === 0) throw new RangeError('invoices need customers: add customers to the same request');
  const currency: JsonObject = { value: company.currency.value, name: company.currency.name };
  const tag = company.realmId.slice(-4);
  const width = String(Math.max(customers, vendors, 1)).length;
  const newCustomers: NameRecord[] = [];
  for (let i = 1; i <= customers; i += 1) {
    const name = `Customer ${tag}-${String(i).padStart(width, '0')}`;
    const record: NameRecord = {
      kind: 'Customer',
      id: company.allocateNameId(),
      syncToken: 0,
      createdMs: nowMs,
      updatedMs: nowMs,
      fields: { DisplayName: name, PrintOnCheckName: name, Active: true, Balance: 0, CurrencyRef: currency },
    };
    company.insert(record);
    newCustomers.push(record);
  }
  for (let i = 1; i <= vendors; i += 1) {
    const name = `Vendor ${tag}-${String(i).padStart(width, '0')}`;
    company.insert({
      kind: 'Vendor',
      id: company.allocateNameId(),
      syncToken: 0,
      createdMs: nowMs,
      updatedMs: nowMs,
      fields: { DisplayName: name, PrintOnCheckName: name, Active: true, Balance: 0, CurrencyRef: currency },
    });
  }
  const payees = newCustomers.length > 0 ? newCustomers : [...company.customers.values()].filter((c) => c.fields.Active !== false);
  const txnDate = formatQboDate(nowMs, company.timeZone);
  // Seeded invoices number on from the company's next DocNumber; the DocNumber index is rebuilt lazily.
  const firstDoc = Number(company.allocateDocNumber('Invoice'));
  const balances = new Map<NameRecord, number>();
  const refs = new Map<NameRecord, JsonObject>();
  const noLinks: { txnId: string; cents: number }[] = [];
  for (let i = 0; i < invoices; i += 1) {
    const customer = payees[i % payees.length];
    if (customer === undefined) break;
    const cents = 1000 + ((i * 7919) % 99_000);
    const id = company.allocateTxnId();
    const docNumber = String(firstDoc + i);
    let customerRef = refs.get(customer);
    if (customerRef === undefined) {
      customerRef = { value: customer.id, name: customer.fields.DisplayName ?? '' };
      refs.set(customer, customerRef);
    }
    const record: TxnRecord = {
      kind: 'Invoice',
      id,
      syncToken: 0,
      createdMs: nowMs,
      updatedMs: nowMs,
      fields: {
        DocNumber: docNumber,
        TxnDate: txnDate,
        DueDate: txnDate,
        CustomerRef: customerRef,
        CurrencyRef: currency,
      },
      totalCents: cents,
      balanceCents: cents,
      appliedCents: 0,
      links: noLinks,
      voided: false,
    };
    company.txns.Invoice.set(id, record);
    balances.set(customer, (balances.get(customer) ?? 0) + cents);
  }
  if (invoices > 0) company.docNumbersChanged();
  for (const [customer, cents] of balances) customer.fields = { ...customer.fields, Balance: fromCents(cents) };
  return { customers, vendors, invoices };
}

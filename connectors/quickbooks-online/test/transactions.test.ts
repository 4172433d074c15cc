import { Contact, Transaction, type PushTransactionItem, type RemoteContact, type TransactionInput, type TransactionsApi } from '@ledgerlink/connector-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectToSandbox, type SandboxConnection } from './support/sandbox-connection.js';

let connection: SandboxConnection;
const run = Math.random().toString(36).slice(2, 8);
const unique = (name: string) => `${name} ${run}`;
let counter = 0;
const key = (label: string) => `tx-${run}-${label}-${(counter += 1)}`;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  connection = await connectToSandbox();
});
afterAll(async () => {
  await connection?.close();
});
afterEach(async () => {
  await control('faults/qbo', { burst429: 0, timeoutAfterCommitRate: 0 });
});

const transactions = (): TransactionsApi => {
  const api = connection.session.transactions;
  if (!api) throw new Error('session.transactions is missing');
  return api;
};

async function control(path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${connection.url}/_control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${await response.text()}`);
}

/** Calls the QBO API directly (a person working in QuickBooks). */
async function qbo(method: 'GET' | 'POST', path: string, options: { query?: Record<string, string>; body?: unknown } = {}) {
  const response = await connection.http.request({
    method,
    url: `${connection.config.apiBaseUrl}/v3/company/${connection.tenant.id}/${path}`,
    query: { minorversion: 75, ...options.query },
    headers: { Accept: 'application/json' },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  if (response.status !== 200) throw new Error(`${method} ${path} → ${response.status} ${response.text}`);
  return response.body as Record<string, Record<string, unknown>>;
}

async function contact(kind: 'customer' | 'supplier', name: string): Promise<RemoteContact> {
  const [result] = await connection.session.contacts.upsert([{ idempotencyKey: key(`contact-${name}`), contact: Contact.parse({ kind, displayName: unique(name) }) }]);
  if (!result?.ok) throw new Error(`creating ${name} failed: ${JSON.stringify(result)}`);
  return result.value.remote;
}

const invoice = (overrides: Partial<TransactionInput> = {}): Transaction =>
  Transaction.parse({
    type: 'invoice',
    issueDate: today,
    currency: 'USD',
    lines: [
      { description: 'Design work', quantity: 3, unitAmount: 1999, amount: 5997, itemCode: 'Consulting' },
      { description: 'Odd cents', quantity: 1, unitAmount: 10, amount: 10, itemCode: 'hours' },
      { description: 'More odd cents', quantity: 1, unitAmount: 20, amount: 20, itemCode: 'Hours' },
    ],
    total: 6027,
    ...overrides,
  });

async function pushOk(item: PushTransactionItem) {
  const [result] = await transactions().push([item]);
  if (!result?.ok) throw new Error(`push failed: ${JSON.stringify(result)}`);
  return result.value;
}

describe('transactions.push', () => {
  it('pushes an invoice, bill, payment, credit note, sales receipt and estimate in one batch request with exact amounts', async () => {
    const customer = await contact('customer', 'Every Type Customer');
    const vendor = await contact('supplier', 'Every Type Vendor');
    const before = connection.http.sent.length;
    const items: PushTransactionItem[] = [
      { idempotencyKey: key('invoice'), contactId: customer.id, transaction: invoice({ number: `INV-${run}`, dueDate: today, memo: 'Thanks for your business' }) },
      {
        idempotencyKey: key('bill'),
        contactId: vendor.id,
        transaction: Transaction.parse({
          type: 'bill',
          issueDate: today,
          currency: 'USD',
          lines: [
            { description: 'Paper', quantity: 1, unitAmount: 4510, amount: 4510, accountCode: 'Office Expenses' },
            { description: 'Power', quantity: 1, unitAmount: 12001, amount: 12001, accountCode: 'utilities' },
          ],
          total: 16511,
        }),
      },
      { idempotencyKey: key('payment'), contactId: customer.id, transaction: Transaction.parse({ type: 'payment', issueDate: today, currency: 'USD', total: 1234 }) },
      { idempotencyKey: key('credit'), contactId: customer.id, transaction: invoice({ type: 'credit_note' }) },
      { idempotencyKey: key('receipt'), contactId: customer.id, transaction: invoice({ type: 'sales_receipt' }) },
      { idempotencyKey: key('estimate'), contactId: customer.id, transaction: invoice({ type: 'estimate', dueDate: today }) },
    ];
    const results = await transactions().push(items);
    expect(connection.http.sent.slice(before).filter((r) => /\/batch(\?|$)/.test(r.url))).toHaveLength(1);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true]);
    const values = results.map((r) => (r.ok ? r.value : undefined));
    expect(values.map((v) => v?.remote.transaction.type)).toEqual(['invoice', 'bill', 'payment', 'credit_note', 'sales_receipt', 'estimate']);
    expect(values.map((v) => v?.remote.transaction.total)).toEqual([6027, 16511, 1234, 6027, 6027, 6027]);
    expect(values.every((v) => v?.created === true)).toBe(true);
    const [first] = values;
    expect(first?.remote.transaction).toMatchObject({ number: `INV-${run}`, memo: 'Thanks for your business', amountDue: 6027, dueDate: today });
    expect(first?.remote.transaction.lines.map((l) => [l.quantity, l.unitAmount, l.amount, l.itemCode])).toEqual([
      [3, 1999, 5997, 'Consulting'],
      [1, 10, 10, 'Hours'],
      [1, 20, 20, 'Hours'],
    ]);
    expect(values[1]?.remote.transaction.lines.map((l) => l.accountCode)).toEqual(['Office Expenses', 'Utilities']);
    expect(first?.remote.deepLink).toBe(`${connection.config.appBaseUrl}/invoice?txnId=${first?.remote.id ?? ''}`);
    expect(values[4]?.remote.deepLink).toContain('/salesreceipt?txnId=');
  });

  it('splits 31 items into batches of 30 and answers every item in order', async () => {
    const customer = await contact('customer', 'Many Invoices');
    const before = connection.http.sent.length;
    const items = Array.from({ length: 31 }, (_, i): PushTransactionItem => ({
      idempotencyKey: key(`many-${i}`),
      contactId: customer.id,
      transaction: invoice({ number: `M${run}-${i}`, lines: [{ quantity: 1, unitAmount: 100 + i, amount: 100 + i, itemCode: 'Hours' }], total: 100 + i }),
    }));
    const results = await transactions().push(items);
    const batches = connection.http.sent.slice(before).filter((r) => /\/batch(\?|$)/.test(r.url));
    expect(batches).toHaveLength(2);
    expect(batches.map((b) => (b.body as { BatchItemRequest: unknown[] }).BatchItemRequest.length)).toEqual([30, 1]);
    expect(results.map((r) => (r.ok ? r.value.remote.transaction.number : r.error.kind))).toEqual(items.map((_, i) => `M${run}-${i}`));
    expect(results.map((r) => (r.ok ? r.value.remote.transaction.total : 0))).toEqual(items.map((_, i) => 100 + i));
  });

  it('replaying the same items sends the same requestid and creates nothing new', async () => {
    const customer = await contact('customer', 'Replay Customer');
    const item = { idempotencyKey: key('replay'), contactId: customer.id, transaction: invoice() };
    const first = await pushOk(item);
    const again = await pushOk(item);
    expect(again.remote.id).toBe(first.remote.id);
    const listed = await transactions().listForContact({ kind: 'customer', contactId: customer.id });
    expect(listed.map((t) => t.id)).toEqual([first.remote.id]);
  });

  it('an outcome lost to a time-out after the write is uncertain, and find() locates the document by its idempotency key', async () => {
    const customer = await contact('customer', 'Uncertain Customer');
    const item = { idempotencyKey: key('uncertain'), contactId: customer.id, transaction: invoice({ memo: 'Keep this note' }) };
    await control('faults/qbo', { timeoutAfterCommitRate: 1 });
    const [result] = await transactions().push([item]);
    await control('faults/qbo', { timeoutAfterCommitRate: 0 });
    expect(result?.ok === false && result.error.kind).toBe('uncertain');
    const find = transactions().find;
    if (!find) throw new Error('find is missing');
    const found = await find({ type: 'invoice', idempotencyKey: item.idempotencyKey, contactId: customer.id });
    expect(found?.contactId).toBe(customer.id);
    expect(found?.transaction.total).toBe(6027);
    expect(found?.transaction.memo).toBe('Keep this note');
    // Without the contact, the most recent documents are searched.
    expect((await find({ type: 'invoice', idempotencyKey: item.idempotencyKey }))?.id).toBe(found?.id);
    expect(await find({ type: 'invoice', idempotencyKey: key('never-pushed'), contactId: customer.id })).toBeUndefined();
    // By number: an invoice's DocNumber, a payment's reference number.
    const numbered = await pushOk({ idempotencyKey: key('numbered'), contactId: customer.id, transaction: invoice({ number: `F-${run}` }) });
    expect((await find({ type: 'invoice', number: `F-${run}`, contactId: customer.id }))?.id).toBe(numbered.remote.id);
    const paid = await pushOk({ idempotencyKey: key('numbered-payment'), contactId: customer.id, transaction: Transaction.parse({ type: 'payment', number: `P-${run}`, issueDate: today, currency: 'USD', total: 500 }) });
    expect(paid.remote.transaction.number).toBe(`P-${run}`);
    expect((await find({ type: 'payment', number: `P-${run}` }))?.id).toBe(paid.remote.id);
  });

  it('applies a payment to the invoice named by customFields.invoiceNumber (or invoiceId), so the invoice reads back paid', async () => {
    const customer = await contact('customer', 'Applied Payment Customer');
    const billed = await pushOk({ idempotencyKey: key('to-pay'), contactId: customer.id, transaction: invoice({ number: `AP-${run}` }) });
    const total = billed.remote.transaction.total;
    const byNumber = await pushOk({
      idempotencyKey: key('pay-by-number'),
      contactId: customer.id,
      transaction: Transaction.parse({ type: 'payment', issueDate: today, currency: 'USD', total: 1000, customFields: { invoiceNumber: `AP-${run}` } }),
    });
    expect(byNumber.remote.transaction.total).toBe(1000);
    await pushOk({
      idempotencyKey: key('pay-by-id'),
      contactId: customer.id,
      transaction: Transaction.parse({ type: 'payment', issueDate: today, currency: 'USD', total: total - 1000, customFields: { invoiceId: billed.remote.id } }),
    });
    const listed = await transactions().listForContact({ kind: 'customer', contactId: customer.id, types: ['invoice'] });
    expect(listed.find((t) => t.id === billed.remote.id)).toMatchObject({ status: 'paid', transaction: { amountDue: 0 } });
    const [unknown] = await transactions().push([
      { idempotencyKey: key('pay-unknown'), contactId: customer.id, transaction: Transaction.parse({ type: 'payment', issueDate: today, currency: 'USD', total: 5, customFields: { invoiceNumber: `NOPE-${run}` } }) },
    ]);
    expect(unknown?.ok === false && unknown.error).toMatchObject({ kind: 'validation', field: 'customFields.invoiceNumber' });
  });

  it('maps QuickBooks faults per item: unknown customer, unknown item, duplicate number, stale version', async () => {
    const customer = await contact('customer', 'Fault Customer');
    const taken = await pushOk({ idempotencyKey: key('taken'), contactId: customer.id, transaction: invoice({ number: `T-${run}` }) });
    const results = await transactions().push([
      { idempotencyKey: key('unknown-customer'), contactId: '987654321', transaction: invoice() },
      { idempotencyKey: key('unknown-item'), contactId: customer.id, transaction: invoice({ lines: [{ quantity: 1, unitAmount: 5, amount: 5, itemCode: 'No Such Thing' }], total: 5 }) },
      { idempotencyKey: key('duplicate'), contactId: customer.id, transaction: invoice({ number: `T-${run}` }) },
      { idempotencyKey: key('ok'), contactId: customer.id, transaction: invoice() },
      { idempotencyKey: key('bad-total'), contactId: customer.id, transaction: invoice({ total: 1 }) },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : [r.error.kind, r.error.field]))).toEqual([
      ['validation', 'contactId'],
      ['validation', 'lines[0].itemCode'],
      ['duplicate', 'number'],
      'ok',
      ['validation', 'total'],
    ]);
    expect(results[2]?.ok === false && results[2].error.existingRemoteId).toBe(taken.remote.id);

    // Someone edits the invoice in QuickBooks: the version the host holds is stale.
    await qbo('POST', 'invoice', { query: { operation: 'update' }, body: { Id: taken.remote.id, SyncToken: taken.remote.version, sparse: true, DueDate: '2030-01-01' } });
    const [stale] = await transactions().push([
      { idempotencyKey: key('stale'), contactId: customer.id, remoteId: taken.remote.id, ...(taken.remote.version ? { version: taken.remote.version } : {}), transaction: invoice({ number: `T-${run}` }) },
    ]);
    expect(stale?.ok === false && stale.error.kind).toBe('stale');
    // Without a version the connector reads the current SyncToken and updates.
    const updated = await pushOk({ idempotencyKey: key('update'), contactId: customer.id, remoteId: taken.remote.id, transaction: invoice({ number: `T-${run}`, lines: [{ quantity: 2, unitAmount: 250, amount: 500, itemCode: 'Hours' }], total: 500 }) });
    expect(updated.created).toBe(false);
    expect(updated.remote.id).toBe(taken.remote.id);
    expect(updated.remote.transaction.total).toBe(500);
  });

  it('a rate limit fails the whole batch with the time to wait', async () => {
    const customer = await contact('customer', 'Throttled Customer');
    await control('faults/qbo', { burst429: 1 });
    const results = await transactions().push([
      { idempotencyKey: key('throttled-a'), contactId: customer.id, transaction: invoice() },
      { idempotencyKey: key('throttled-b'), contactId: customer.id, transaction: invoice() },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['rate_limited', 'rate_limited']);
    expect(results[0]?.ok === false && results[0].error.retryAfterSeconds).toBe(60);
  });
});

describe('transactions.listForContact', () => {
  it("lists a customer's documents newest first with paid, partially paid and void status, and filters by since", async () => {
    const customer = await contact('customer', 'Timeline Customer');
    const paid = await pushOk({ idempotencyKey: key('paid'), contactId: customer.id, transaction: invoice({ issueDate: '2026-01-10' }) });
    const partial = await pushOk({ idempotencyKey: key('partial'), contactId: customer.id, transaction: invoice({ issueDate: '2026-02-10' }) });
    const voided = await pushOk({ idempotencyKey: key('void'), contactId: customer.id, transaction: invoice({ issueDate: '2026-03-10' }) });
    await qbo('POST', 'payment', {
      body: {
        CustomerRef: { value: customer.id },
        TotalAmt: 60.37,
        Line: [
          { Amount: 60.27, LinkedTxn: [{ TxnId: paid.remote.id, TxnType: 'Invoice' }] },
          { Amount: 0.1, LinkedTxn: [{ TxnId: partial.remote.id, TxnType: 'Invoice' }] },
        ],
      },
    });
    await qbo('POST', 'invoice', { query: { operation: 'void' }, body: { Id: voided.remote.id, SyncToken: voided.remote.version } });
    const other = await contact('customer', 'Someone Else');
    await pushOk({ idempotencyKey: key('other'), contactId: other.id, transaction: invoice() });

    const listed = await transactions().listForContact({ kind: 'customer', contactId: customer.id });
    const invoices = listed.filter((t) => t.transaction.type === 'invoice');
    expect(invoices.map((t) => [t.id, t.status])).toEqual([
      [voided.remote.id, 'void'],
      [partial.remote.id, 'partially_paid'],
      [paid.remote.id, 'paid'],
    ]);
    expect(invoices.find((t) => t.id === partial.remote.id)?.transaction.amountDue).toBe(6017);
    const payments = listed.filter((t) => t.transaction.type === 'payment');
    expect(payments.map((t) => t.transaction.total)).toEqual([6037]);
    expect(payments[0]?.deepLink).toContain('/recvpayment?txnId=');
    expect(listed.every((t) => t.contactId === customer.id)).toBe(true);

    expect((await transactions().listForContact({ kind: 'customer', contactId: customer.id, types: ['payment'] })).map((t) => t.transaction.type)).toEqual(['payment']);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await transactions().listForContact({ kind: 'customer', contactId: customer.id, since: future })).toEqual([]);
  });

  it("lists a vendor's bills", async () => {
    const vendor = await contact('supplier', 'Timeline Vendor');
    const bill = await pushOk({
      idempotencyKey: key('vendor-bill'),
      contactId: vendor.id,
      transaction: Transaction.parse({ type: 'bill', issueDate: today, currency: 'USD', lines: [{ quantity: 1, unitAmount: 999, amount: 999, accountCode: 'Office Expenses' }], total: 999 }),
    });
    const listed = await transactions().listForContact({ kind: 'supplier', contactId: vendor.id });
    expect(listed.map((t) => [t.id, t.transaction.type, t.status, t.transaction.amountDue])).toEqual([[bill.remote.id, 'bill', 'open', 999]]);
    expect(listed[0]?.deepLink).toBe(`${connection.config.appBaseUrl}/bill?txnId=${bill.remote.id}`);
  });
});

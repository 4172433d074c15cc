import { Contact, Transaction, type PushTransactionItem, type RemoteContact, type TransactionInput } from '@ledgerlink/connector-sdk';
import { SANDBOX_XERO_WEBHOOK_KEY, xeroSignature } from '@ledgerlink/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector, { markerFor } from '../src/index.js';
import { connectToSandbox, type SandboxConnection } from './support/sandbox-connection.js';

let connection: SandboxConnection;
const run = Math.random().toString(36).slice(2, 8);
const unique = (name: string) => `${name} ${run}`;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  connection = await connectToSandbox();
});
afterAll(async () => {
  await connection?.close();
});

const api = () => {
  const transactions = connection.session.transactions;
  if (!transactions) throw new Error('session.transactions is missing');
  return transactions;
};

async function contactNamed(name: string, kind: 'customer' | 'supplier' = 'customer'): Promise<RemoteContact> {
  const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `c-${name}`, contact: Contact.parse({ kind, displayName: name }) }]);
  if (!result?.ok) throw new Error(`create ${name} failed: ${JSON.stringify(result)}`);
  return result.value.remote;
}

const doc = (input: Partial<TransactionInput> & Pick<TransactionInput, 'type'>): Transaction =>
  Transaction.parse({
    issueDate: today,
    currency: 'AUD',
    lines: [{ description: 'Freight', quantity: 3, unitAmount: 1999, amount: 5997, accountCode: '200' }],
    total: 5997,
    ...input,
  });

describe('transactions.push', () => {
  it('pushes an invoice, a bill, a credit note and a payment in one call with exact minor units and one Idempotency-Key per request', async () => {
    const customer = await contactNamed(unique('Txn Customer'));
    const supplier = await contactNamed(unique('Txn Supplier'), 'supplier');
    const before = connection.http.sent.length;
    const items: PushTransactionItem[] = [
      { idempotencyKey: `inv-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice', reference: 'PO 17', dueDate: today }) },
      { idempotencyKey: `bill-${run}`, contactId: supplier.id, transaction: doc({ type: 'bill', number: `SUP-${run}`, lines: [{ description: 'Boxes', quantity: 200, unitAmount: 115, amount: 23000, accountCode: '310' }], total: 23000 }) },
      { idempotencyKey: `cn-${run}`, contactId: customer.id, transaction: doc({ type: 'credit_note', lines: [{ description: 'Refund', quantity: 1, unitAmount: 1, amount: 1, accountCode: '200' }], total: 1 }) },
    ];
    const results = await api().push(items);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const [invoice, bill, credit] = results.map((r) => (r.ok ? r.value.remote : undefined));
    expect(invoice).toMatchObject({ contactId: customer.id, status: 'open', transaction: { type: 'invoice', total: 5997, amountDue: 5997, currency: 'AUD', reference: 'PO 17', lines: [{ quantity: 3, unitAmount: 1999, amount: 5997 }] } });
    expect(invoice?.deepLink).toContain(`AccountsReceivable/View.aspx?InvoiceID=${invoice?.id ?? ''}`);
    expect(bill).toMatchObject({ contactId: supplier.id, transaction: { type: 'bill', number: `SUP-${run}`, total: 23000 } });
    expect(credit).toMatchObject({ transaction: { type: 'credit_note', total: 1 } });
    const writes = connection.http.sent.slice(before).filter((r) => r.method === 'PUT');
    expect(writes.map((r) => new URL(r.url).pathname.split('/').pop())).toEqual(['Invoices', 'CreditNotes']);
    for (const write of writes) {
      expect(write.url).toContain('summarizeErrors=false');
      expect(write.headers['idempotency-key']).toBeTruthy();
    }

    const [payment] = await api().push([
      { idempotencyKey: `pay-${run}`, contactId: customer.id, transaction: doc({ type: 'payment', lines: [], total: 2000, reference: 'bank 1', customFields: { invoiceId: invoice?.id ?? '', accountCode: '090' } }) },
    ]);
    expect(payment).toMatchObject({ ok: true, value: { remote: { contactId: customer.id, status: 'paid', transaction: { type: 'payment', total: 2000, reference: 'bank 1' } } } });
    const listed = await api().listForContact({ kind: 'customer', contactId: customer.id });
    expect(listed.find((t) => t.id === invoice?.id)).toMatchObject({ status: 'partially_paid', transaction: { amountDue: 3997 } });
    expect(listed.map((t) => t.transaction.type).sort()).toEqual(['credit_note', 'invoice', 'payment']);
    expect(await api().listForContact({ kind: 'customer', contactId: customer.id, types: ['payment'] })).toHaveLength(1);
  });

  it('pushes and reads back an invoice in a foreign currency with its own minor units', async () => {
    const customer = await contactNamed(unique('Txn Dollars'));
    const [result] = await api().push([{ idempotencyKey: `usd-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice', currency: 'USD' }) }]);
    expect(result).toMatchObject({ ok: true, value: { remote: { transaction: { currency: 'USD', total: 5997 } } } });
    const [yen] = await api().push([{ idempotencyKey: `xyz-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice', currency: 'JPY', lines: [{ quantity: 1, unitAmount: 100, amount: 100 }], total: 100 }) }]);
    expect(yen).toMatchObject({ ok: false, error: { kind: 'validation', field: 'currency' } });
  });

  it('a bad item fails alone with validation naming the field; the rest of the batch is written', async () => {
    const customer = await contactNamed(unique('Txn Validation'));
    const results = await api().push([
      { idempotencyKey: `v1-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice', lines: [{ description: 'x', quantity: 1, unitAmount: 100, amount: 100, accountCode: '999' }], total: 100 }) },
      { idempotencyKey: `v2-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice', total: 6000 }) },
      { idempotencyKey: `v3-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice', status: 'paid' }) },
      { idempotencyKey: `v4-${run}`, contactId: customer.id, transaction: doc({ type: 'payment', lines: [], total: 100, customFields: { accountCode: '090' } }) },
      { idempotencyKey: `v5-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice' }) },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : `${r.error.kind}:${r.error.field ?? ''}`))).toEqual([
      'validation:lines.accountCode',
      'validation:total',
      'validation:status',
      'validation:customFields.invoiceId',
      'ok',
    ]);
  });

  it('a write whose answer is lost is found again by find() before any retry, and a replay creates nothing', async () => {
    const customer = await contactNamed(unique('Txn Uncertain'));
    const item: PushTransactionItem = { idempotencyKey: `lost-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice' }) };
    await connection.control('faults/xero', { timeoutAfterCommitRate: 1 });
    let lost;
    try {
      [lost] = await api().push([item]);
    } finally {
      await connection.control('faults/xero', { timeoutAfterCommitRate: 0 });
    }
    expect(lost).toMatchObject({ ok: false, error: { kind: 'uncertain' } });
    const found = await api().find?.({ type: 'invoice', idempotencyKey: item.idempotencyKey, contactId: customer.id });
    expect(found).toMatchObject({ contactId: customer.id, transaction: { type: 'invoice', total: 5997 } });
    expect(found?.transaction.reference).toBeUndefined();
    expect(await api().find?.({ type: 'invoice', idempotencyKey: `never-${run}`, contactId: customer.id })).toBeUndefined();
    const [retry] = await api().push([item]);
    expect(retry?.ok && retry.value.remote.id).toBe(found?.id);
    expect((await api().listForContact({ kind: 'customer', contactId: customer.id })).map((t) => t.id)).toEqual([found?.id]);
  });

  it('find() also locates a bill by its marker and a payment by its reference marker', async () => {
    const supplier = await contactNamed(unique('Txn Find Supplier'), 'supplier');
    const [bill] = await api().push([{ idempotencyKey: `fb-${run}`, contactId: supplier.id, transaction: doc({ type: 'bill' }) }]);
    expect(bill?.ok).toBe(true);
    const found = await api().find?.({ type: 'bill', idempotencyKey: `fb-${run}`, contactId: supplier.id });
    expect(found?.id).toBe(bill?.ok ? bill.value.remote.id : 'missing');
    expect(found?.transaction.number).toBeUndefined();
    const [payment] = await api().push([
      { idempotencyKey: `fp-${run}`, contactId: supplier.id, transaction: doc({ type: 'payment', lines: [], total: 100, customFields: { invoiceId: found?.id ?? '', accountCode: '090' } }) },
    ]);
    expect(payment?.ok).toBe(true);
    expect((await api().find?.({ type: 'payment', idempotencyKey: `fp-${run}` }))?.id).toBe(payment?.ok ? payment.value.remote.id : 'missing');
    expect(markerFor(`fp-${run}`)).toMatch(/^ll-[A-Za-z0-9_-]{16}$/);
  });

  it("Xero's 429 fails every item with rate_limited and its Retry-After", async () => {
    const customer = await contactNamed(unique('Txn Throttled'));
    await connection.control('faults/xero', { burst429: 1 });
    const results = await api().push([
      { idempotencyKey: `rl1-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice' }) },
      { idempotencyKey: `rl2-${run}`, contactId: customer.id, transaction: doc({ type: 'credit_note' }) },
    ]);
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { kind: 'rate_limited' } });
    for (const result of results) if (!result.ok) expect(result.error.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('transactions.listForContact', () => {
  it('lists newest first, and `since` returns only documents changed after it (If-Modified-Since)', async () => {
    const customer = await contactNamed(unique('Txn List'));
    const older = await api().push([{ idempotencyKey: `old-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice', issueDate: '2026-01-05' }) }]);
    const newer = await api().push([{ idempotencyKey: `new-${run}`, contactId: customer.id, transaction: doc({ type: 'invoice', issueDate: '2026-03-05' }) }]);
    const ids = [newer[0], older[0]].map((r) => (r?.ok ? r.value.remote.id : ''));
    const all = await api().listForContact({ kind: 'customer', contactId: customer.id });
    expect(all.map((t) => t.id)).toEqual(ids);
    const before = connection.http.sent.length;
    const later = await api().listForContact({ kind: 'customer', contactId: customer.id, since: new Date(Date.now() + 60_000).toISOString(), types: ['invoice'] });
    expect(later).toEqual([]);
    const sent = connection.http.sent.slice(before);
    expect(sent[0]?.headers['if-modified-since']).toBeTruthy();
    expect(new URL(sent[0]?.url ?? 'http://x').searchParams.get('where')).toContain(`Contact.ContactID==Guid("${customer.id.toLowerCase()}")`);
  });

  it('refuses a contact id that is not a Xero GUID with validation on contactId', async () => {
    await expect(api().listForContact({ kind: 'customer', contactId: '") OR (1==1' })).rejects.toMatchObject({ kind: 'validation', field: 'contactId' });
  });
});

describe('webhooks', () => {
  // The key the sandbox signs with, as LEDGERLINK_CONNECTOR_XERO_WEBHOOK_KEY would set it.
  let signed: Awaited<ReturnType<typeof connector.connect>> | undefined;
  beforeAll(async () => {
    signed = await connector.connect({ ...connection.ctx, config: { ...connection.config, webhookKey: SANDBOX_XERO_WEBHOOK_KEY } });
  });
  const webhooks = () => {
    const api = signed?.webhooks;
    if (!api) throw new Error('session.webhooks is missing');
    return api;
  };

  it('refuses every request while no webhook key is configured, naming the variable', async () => {
    const { webhookKey: _configured, ...withoutKey } = connection.config;
    const unsigned = await connector.connect({ ...connection.ctx, config: withoutKey });
    const rawBody = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'A' });
    expect(unsigned.webhooks?.verify({ headers: { 'x-xero-signature': xeroSignature(rawBody) }, rawBody, url })).toMatchObject({ ok: false, reason: expect.stringContaining('LEDGERLINK_CONNECTOR_XERO_WEBHOOK_KEY') });
  });
  const url = 'https://ledgerlink.example/webhooks/xero';

  it('passes Intent to Receive: an empty events body signed by the sandbox verifies, a wrongly signed one does not', () => {
    const rawBody = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'ABCDEF0123' });
    expect(webhooks().verify({ headers: { 'x-xero-signature': xeroSignature(rawBody) }, rawBody, url })).toEqual({ ok: true });
    expect(webhooks().verify({ headers: { 'x-xero-signature': xeroSignature(rawBody, 'another-key') }, rawBody, url })).toMatchObject({ ok: false });
    expect(webhooks().verify({ headers: {}, rawBody, url })).toMatchObject({ ok: false });
    expect(webhooks().parse({ headers: {}, rawBody, url })).toEqual([]);
  });

  it('parses CONTACT and INVOICE events with their tenant', () => {
    const rawBody = JSON.stringify({
      events: [
        { resourceUrl: 'https://api.xero.com/api.xro/2.0/Contacts/c1', resourceId: 'c1', eventDateUtc: '2026-11-23T10:15:39.902', eventType: 'UPDATE', eventCategory: 'CONTACT', tenantId: 't1', tenantType: 'ORGANISATION' },
        { resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/i1', resourceId: 'i1', eventDateUtc: '2026-11-23T10:16:00.000', eventType: 'CREATE', eventCategory: 'INVOICE', tenantId: 't1', tenantType: 'ORGANISATION' },
      ],
      firstEventSequence: 1,
      lastEventSequence: 2,
      entropy: 'XYZ',
    });
    expect(webhooks().verify({ headers: { 'x-xero-signature': xeroSignature(rawBody) }, rawBody, url })).toEqual({ ok: true });
    const events = webhooks().parse({ headers: {}, rawBody, url });
    expect(events.map((e) => [e.entity, e.id, e.operation, e.tenantId, e.occurredAt])).toEqual([
      ['customer', 'c1', 'update', 't1', '2026-11-23T10:15:39.902Z'],
      ['supplier', 'c1', 'update', 't1', '2026-11-23T10:15:39.902Z'],
      ['invoice', 'i1', 'create', 't1', '2026-11-23T10:16:00.000Z'],
    ]);
  });
});

import { Contact, type PushTransactionItem, type TransactionInput, Transaction } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER } from '../src/index.js';
import { connectToSandbox, type SandboxConnection } from './support/sandbox-connection.js';

let connection: SandboxConnection;
const run = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  connection = await connectToSandbox();
});
afterAll(async () => {
  await connection?.close();
});

const transactions = () => {
  const api = connection.session.transactions;
  if (!api) throw new Error('the HubSpot session has no transactions');
  return api;
};

async function customer(name: string): Promise<string> {
  const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `c-${name}-${run}`, contact: Contact.parse({ kind: 'customer', displayName: `${name} ${run}` }) }]);
  if (!result?.ok) throw new Error(JSON.stringify(result));
  return result.value.remote.id;
}

interface RawNote {
  id: string;
  properties: Record<string, string | null>;
  associations?: Record<string, { results: { id: string }[] }>;
}
const notesOn = async (contactId: string) =>
  ((await connection.inspect(connection.portalPath('notes'))) as RawNote[]).filter((n) => n.associations?.contacts?.results.some((r) => r.id === contactId));

const invoice = (input: Partial<TransactionInput> = {}) =>
  Transaction.parse({
    type: 'invoice',
    number: '1001',
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    currency: 'USD',
    lines: [{ description: 'Consulting', quantity: 3, unitAmount: 41152, amount: 123456 }],
    subtotal: 123456,
    taxTotal: 0,
    total: 123456,
    amountDue: 123456,
    status: 'open',
    customFields: { sourceConnector: 'quickbooks-online', sourceId: '130', deepLink: 'https://app.qbo.intuit.com/app/invoice?txnId=130' },
    ...input,
  });

async function push(item: PushTransactionItem) {
  const [result] = await transactions().push([item]);
  if (!result?.ok) throw new Error(JSON.stringify(result));
  return result.value;
}

describe('transactions as notes on the contact (decision 0006)', () => {
  it('writes one note with the number, type, exact amounts, status and a link back to the accounting provider', async () => {
    const contactId = await customer('Notes Co');
    const pushed = await push({ idempotencyKey: `inv-${run}`, contactId, transaction: invoice() });
    expect(pushed.created).toBe(true);
    expect(pushed.remote).toMatchObject({ contactId, status: 'open', transaction: { total: 123456, number: '1001' } });
    const notes = await notesOn(contactId);
    expect(notes).toHaveLength(1);
    const body = notes[0]?.properties.hs_note_body ?? '';
    expect(body).toContain('Invoice 1001');
    expect(body).toContain('Open');
    expect(body).toContain('USD 1234.56');
    expect(body).toContain('href="https://app.qbo.intuit.com/app/invoice?txnId=130"');
    expect(body).toContain('Open in QuickBooks Online');
    expect(body).toContain(MARKER);
    expect(notes[0]?.properties.hs_timestamp).toBe('2026-11-02T00:00:00.000Z');
  });

  it('payment received, then voided: the same note is updated (found by its marker, even with new idempotency keys and no remote id)', async () => {
    const contactId = await customer('Update Co');
    const first = await push({ idempotencyKey: `upd-1-${run}`, contactId, transaction: invoice() });
    const paid = await push({ idempotencyKey: `upd-2-${run}`, contactId, transaction: invoice({ status: 'paid', amountDue: 0 }) });
    expect(paid.created).toBe(false);
    expect(paid.remote.id).toBe(first.remote.id);
    const voided = await push({ idempotencyKey: `upd-3-${run}`, contactId, remoteId: first.remote.id, transaction: invoice({ status: 'void', amountDue: 0 }) });
    expect(voided.remote.id).toBe(first.remote.id);
    const notes = await notesOn(contactId);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.properties.hs_note_body).toContain('Voided');
    const listed = await transactions().listForContact({ kind: 'customer', contactId });
    expect(listed.map((t) => [t.id, t.status, t.transaction.amountDue])).toEqual([[first.remote.id, 'void', 0]]);
  });

  it('a replay that changes nothing writes nothing', async () => {
    const contactId = await customer('Replay Notes');
    const item = { idempotencyKey: `same-${run}`, contactId, transaction: invoice({ customFields: { sourceId: 'X-9' } }) };
    await push(item);
    const before = connection.http.sent.length;
    await push(item);
    expect(connection.http.sent.slice(before).filter((r) => r.method === 'PATCH' || (r.method === 'POST' && r.url.endsWith('/crm/v3/objects/notes')))).toEqual([]);
  });

  it('listForContact reads amounts back exactly in minor units (zero- and three-decimal currencies), filtered by type, newest first, and ignores notes people wrote', async () => {
    const contactId = await customer('Currencies');
    await push({ idempotencyKey: `jpy-${run}`, contactId, transaction: invoice({ number: 'J-1', currency: 'JPY', total: 98765, subtotal: 98765, amountDue: 98765, lines: [], customFields: {} }) });
    await push({
      idempotencyKey: `kwd-${run}`,
      contactId,
      transaction: Transaction.parse({ type: 'payment', issueDate: '2026-11-03', currency: 'KWD', total: 1234, reference: `pay-${run}`, status: 'paid' }),
    });
    await fetch(`${connection.config.apiBaseUrl}/crm/v3/objects/notes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${connection.credentials.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { hs_note_body: 'Called about the invoice', hs_timestamp: Date.now() }, associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }] }),
    });
    const all = await transactions().listForContact({ kind: 'customer', contactId });
    expect(all.map((t) => t.transaction.type)).toEqual(['payment', 'invoice']);
    expect(all.find((t) => t.transaction.currency === 'JPY')?.transaction.total).toBe(98765);
    expect(all.find((t) => t.transaction.currency === 'KWD')?.transaction.total).toBe(1234);
    expect((await notesOn(contactId)).map((n) => n.properties.hs_note_body).join(' ')).toContain('KWD 1.234');
    expect((await transactions().listForContact({ kind: 'customer', contactId, types: ['invoice'] })).map((t) => t.transaction.number)).toEqual(['J-1']);
    expect(await transactions().listForContact({ kind: 'customer', contactId, since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
  });

  it('HTML in the document is text on the timeline, not markup', async () => {
    const contactId = await customer('Escaping');
    await push({ idempotencyKey: `html-${run}`, contactId, transaction: invoice({ number: '<b>7</b>', memo: '<script>alert(1)</script>', customFields: {} }) });
    const body = (await notesOn(contactId))[0]?.properties.hs_note_body ?? '';
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;');
  });

  it('a batch puts each note on its own contact; an unknown contact fails alone', async () => {
    const a = await customer('Batch A');
    const b = await customer('Batch B');
    const results = await transactions().push([
      { idempotencyKey: `ba-${run}`, contactId: a, transaction: invoice({ number: 'A-1', customFields: {} }) },
      { idempotencyKey: `bx-${run}`, contactId: '99999999', transaction: invoice({ number: 'X-1', customFields: {} }) },
      { idempotencyKey: `bb-${run}`, contactId: b, transaction: invoice({ number: 'B-1', customFields: {} }) },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect((await notesOn(a)).map((n) => n.properties.hs_note_body).join()).toContain('A-1');
    expect((await notesOn(b)).map((n) => n.properties.hs_note_body).join()).toContain('B-1');
  });
});

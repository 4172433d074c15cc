import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Contact, Transaction, type ChangeEvent, type WebhookRequest, type WebhooksApi } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToSandbox, type SandboxConnection } from './support/sandbox-connection.js';

/**
 * The sandbox delivers real QBO webhooks (both formats, signed with intuit-signature) to a
 * receiver started here; the connector must accept and parse exactly what it sends.
 */
const VERIFIER = `verifier-${Math.random().toString(36).slice(2)}`;
const run = Math.random().toString(36).slice(2, 8);
let connection: SandboxConnection;
let server: Server;
let receiverUrl = '';
const received: WebhookRequest[] = [];

beforeAll(async () => {
  connection = await connectToSandbox({ env: { LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN: VERIFIER } });
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      received.push({ headers, rawBody: Buffer.concat(chunks).toString('utf8'), url: `${receiverUrl}${request.url ?? ''}` });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await connection?.close();
});

const webhooks = (): WebhooksApi => {
  const api = connection.session.webhooks;
  if (!api) throw new Error('session.webhooks is missing');
  return api;
};

async function control(method: 'POST' | 'DELETE', path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${connection.url}/_control/${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${await response.text()}`);
}

/** Waits (bounded) until the deliveries received hold events matching `want`. */
async function eventsUntil(want: (events: ChangeEvent[]) => boolean): Promise<ChangeEvent[]> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const events = received.flatMap((request) => {
      expect(webhooks().verify(request)).toMatchObject({ ok: true });
      return webhooks().parse(request);
    });
    if (want(events)) return events;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the expected events did not arrive; received ${JSON.stringify(received.map((r) => r.rawBody))}`);
}

async function customer(name: string): Promise<string> {
  const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `wh-${run}-${name}`, contact: Contact.parse({ kind: 'customer', displayName: `${name} ${run}` }) }]);
  if (!result?.ok) throw new Error(JSON.stringify(result));
  return result.value.remote.id;
}

describe.each(['classic', 'cloudevents'] as const)('webhooks in the %s format', (format) => {
  it('verifies the signature and parses creates, merges (with the survivor) and voids, with the realm as tenant', async () => {
    received.length = 0;
    await control('POST', 'qbo/webhooks', { url: `${receiverUrl}/hooks`, verifierToken: VERIFIER, format });
    const loser = await customer(`Loser ${format}`);
    const survivor = await customer(`Survivor ${format}`);
    await control('POST', `qbo/companies/${connection.tenant.id}/customers/${loser}/merge`, { intoId: survivor });
    const transactions = connection.session.transactions;
    if (!transactions) throw new Error('session.transactions is missing');
    const [pushed] = await transactions.push([
      {
        idempotencyKey: `wh-${run}-${format}-invoice`,
        contactId: survivor,
        transaction: Transaction.parse({ type: 'invoice', issueDate: '2026-11-01', currency: 'USD', lines: [{ quantity: 1, unitAmount: 500, amount: 500, itemCode: 'Hours' }], total: 500 }),
      },
    ]);
    if (!pushed?.ok) throw new Error(JSON.stringify(pushed));
    const voidResponse = await connection.http.request({
      method: 'POST',
      url: `${connection.config.apiBaseUrl}/v3/company/${connection.tenant.id}/invoice`,
      query: { minorversion: 75, operation: 'void' },
      body: { Id: pushed.value.remote.id, SyncToken: pushed.value.remote.version },
    });
    expect(voidResponse.status).toBe(200);

    const events = await eventsUntil((all) => all.some((e) => e.operation === 'merge') && all.filter((e) => e.entity === 'invoice').length >= 2);
    expect(events).toContainEqual(expect.objectContaining({ entity: 'customer', id: loser, operation: 'create', tenantId: connection.tenant.id }));
    expect(events).toContainEqual(expect.objectContaining({ entity: 'customer', id: loser, operation: 'merge', survivorId: survivor, tenantId: connection.tenant.id }));
    expect(events).toContainEqual(expect.objectContaining({ entity: 'invoice', id: pushed.value.remote.id, operation: 'create' }));
    // A Void is a change of the document (its status then reads void).
    expect(events).toContainEqual(expect.objectContaining({ entity: 'invoice', id: pushed.value.remote.id, operation: 'update', raw: expect.objectContaining(format === 'classic' ? { operation: 'Void' } : { type: 'qbo.invoice.voided.v1' }) }));
    for (const event of events) expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);

    const request = received[0];
    if (!request) throw new Error('nothing was delivered');
    expect(webhooks().verify({ ...request, rawBody: request.rawBody.replace(loser, `${loser}0`) })).toMatchObject({ ok: false });
    expect(webhooks().verify({ ...request, headers: { 'intuit-signature': 'AAAA' } })).toMatchObject({ ok: false });
    await control('DELETE', 'qbo/webhooks');
  });
});

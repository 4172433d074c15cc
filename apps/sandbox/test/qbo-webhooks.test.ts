import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { DEMO_REALMS } from '../src/qbo/seed.js';
import { type Tokens, connect, control, qbo } from './helpers.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver on loopback that answers the statuses it is given (then 200). */
class Receiver {
  readonly received: Received[] = [];
  statuses: number[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(this.statuses.shift() ?? 200).end();
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.count ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/hooks`;
  }

  /** Resolves once `count` deliveries have arrived (no clock involved: the test waits for events). */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Resolves once the 200-answered deliveries carry `count` events in all (one delivery may batch several). */
  async waitForEvents(count: number): Promise<void> {
    for (;;) {
      const events = this.received.reduce((sum, r) => sum + eventCount(r.body), 0);
      if (events >= count) return;
      await this.waitFor(this.received.length + 1);
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function eventCount(body: string): number {
  const parsed = JSON.parse(body) as unknown;
  if (Array.isArray(parsed)) return parsed.length;
  return (parsed as { eventNotifications: { dataChangeEvent: { entities: unknown[] } }[] }).eventNotifications.reduce((sum, n) => sum + n.dataChangeEvent.entities.length, 0);
}

function verify(received: Received, verifierToken: string): boolean {
  const expected = createHmac('sha256', verifierToken).update(received.body).digest('base64');
  return received.headers['intuit-signature'] === expected;
}

let sandbox: RunningSandbox;
let receiver: Receiver;
let tokens: Tokens;
const realmId = DEMO_REALMS.us;

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  tokens = await connect(sandbox.url, realmId);
});

afterEach(async () => {
  await receiver.stop();
});

afterAll(async () => {
  await sandbox.close();
});

async function subscribe(format: 'classic' | 'cloudevents', verifierToken: string): Promise<void> {
  receiver = new Receiver();
  await receiver.start();
  const res = await control(sandbox.url, '/qbo/webhooks', { url: receiver.url, verifierToken, format });
  expect(res.status).toBe(200);
}

describe('QBO webhooks', () => {
  it('delivers a classic eventNotifications body signed with the verifier token', async () => {
    await subscribe('classic', 'verifier-classic-1');
    const created = await qbo(sandbox.url, tokens.access_token, realmId, 'customer', { body: { DisplayName: 'Webhook Classic Co' } });
    await receiver.waitFor(1);
    const [delivery] = receiver.received;
    if (delivery === undefined) throw new Error('no delivery');
    expect(verify(delivery, 'verifier-classic-1')).toBe(true);
    expect(verify(delivery, 'some-other-token')).toBe(false);
    const body = JSON.parse(delivery.body) as { eventNotifications: { realmId: string; dataChangeEvent: { entities: Record<string, string>[] } }[] };
    expect(body.eventNotifications[0]?.realmId).toBe(realmId);
    expect(body.eventNotifications[0]?.dataChangeEvent.entities[0]).toMatchObject({
      name: 'Customer',
      operation: 'Create',
      id: (created.body.Customer as { Id: string }).Id,
    });

    // A change made "in QuickBooks" (the control API) notifies too.
    const id = (created.body.Customer as { Id: string }).Id;
    await control(sandbox.url, `/qbo/companies/${realmId}/customers/${id}/rename`, { displayName: 'Webhook Classic Renamed' });
    await receiver.waitForEvents(2);
    const all = receiver.received.flatMap(
      (r) => (JSON.parse(r.body) as { eventNotifications: { dataChangeEvent: { entities: Record<string, string>[] } }[] }).eventNotifications[0]?.dataChangeEvent.entities ?? [],
    );
    expect(all.at(-1)).toMatchObject({ id, operation: 'Update', name: 'Customer' });
  });

  it('delivers CloudEvents, retries the same signed body until the receiver answers 200', async () => {
    await control(sandbox.url, '/limits', { timeScale: 10_000 }); // Intuit's 10 s retry becomes 1 ms
    await subscribe('cloudevents', 'verifier-ce-2');
    receiver.statuses = [500, 503];
    const created = await qbo(sandbox.url, tokens.access_token, realmId, 'customer', { body: { DisplayName: 'Webhook Cloud Co' } });
    await receiver.waitFor(3);
    await control(sandbox.url, '/limits', { timeScale: 1 });
    const bodies = receiver.received.map((r) => r.body);
    expect(new Set(bodies).size).toBe(1);
    expect(receiver.received.every((r) => verify(r, 'verifier-ce-2'))).toBe(true);
    const events = JSON.parse(bodies[0] ?? '[]') as Record<string, unknown>[];
    expect(events[0]).toMatchObject({
      specversion: '1.0',
      type: 'qbo.customer.created.v1',
      intuitaccountid: realmId,
      intuitentityid: (created.body.Customer as { Id: string }).Id,
    });
    const log = (await control(sandbox.url, '/qbo/webhooks')).body as { deliveries: { outcome: number | string; attempt: number }[] };
    expect(log.deliveries.slice(-3).map((d) => d.outcome)).toEqual([500, 503, 200]);
  });

  it('merge: the survivor keeps its Id and takes the invoices, the loser turns inactive and CDC-deleted, and a Merge event names both', async () => {
    await subscribe('cloudevents', 'verifier-merge');
    const loser = (await qbo(sandbox.url, tokens.access_token, realmId, 'customer', { body: { DisplayName: 'Merge Loser Ltd' } })).body.Customer as { Id: string };
    const survivor = (await qbo(sandbox.url, tokens.access_token, realmId, 'customer', { body: { DisplayName: 'Merge Survivor Ltd' } })).body.Customer as { Id: string };
    const invoice = (
      await qbo(sandbox.url, tokens.access_token, realmId, 'invoice', {
        body: { CustomerRef: { value: loser.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 42.5, SalesItemLineDetail: { ItemRef: { value: '1' } } }] },
      })
    ).body.Invoice as { Id: string };
    await receiver.waitForEvents(3);
    const since = new Date(Date.now() - 1000).toISOString();

    const merged = await control(sandbox.url, `/qbo/companies/${realmId}/customers/${loser.Id}/merge`, { intoId: survivor.Id });
    expect(merged.status).toBe(200);
    await receiver.waitForEvents(4);

    const readLoser = (await qbo(sandbox.url, tokens.access_token, realmId, `customer/${loser.Id}`)).body.Customer as Record<string, unknown>;
    expect(readLoser).toMatchObject({ Active: false, DisplayName: 'Merge Loser Ltd (deleted)', Balance: 0 });
    const readSurvivor = (await qbo(sandbox.url, tokens.access_token, realmId, `customer/${survivor.Id}`)).body.Customer as Record<string, unknown>;
    expect(readSurvivor).toMatchObject({ Id: survivor.Id, Balance: 42.5 });
    const readInvoice = (await qbo(sandbox.url, tokens.access_token, realmId, `invoice/${invoice.Id}`)).body.Invoice as { CustomerRef: { value: string } };
    expect(readInvoice.CustomerRef.value).toBe(survivor.Id);

    const cdc = await qbo(sandbox.url, tokens.access_token, realmId, `cdc?entities=Customer&changedSince=${encodeURIComponent(since)}`);
    const rows = ((cdc.body.CDCResponse as { QueryResponse: { Customer?: Record<string, unknown>[] }[] }[])[0]?.QueryResponse[0]?.Customer ?? []) as Record<string, unknown>[];
    expect(rows).toContainEqual(expect.objectContaining({ Id: loser.Id, status: 'Deleted' }));
    expect(rows.filter((row) => row.Id === loser.Id)).toHaveLength(1);

    const last = JSON.parse(receiver.received.at(-1)?.body ?? '[]') as Record<string, unknown>[];
    expect(last.at(-1)).toMatchObject({ type: 'qbo.customer.merged.v1', intuitentityid: survivor.Id, data: { deletedid: loser.Id } });
  });
});

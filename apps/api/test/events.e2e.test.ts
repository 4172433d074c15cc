import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiError, type ContactDetail, type ContactView, type CreatedWebhookEndpoint, EventsPage, type WebhookDeliveryView } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS } from '../src/events/webhook-dispatcher.service.js';
import { connectQuickBooks, startHub, type TestClient, type TestHub, waitFor } from './helpers.js';

const US_REALM = '9341452713046891';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * The host app's receiver: answers each path with the scripted statuses in turn (200 once they run
 * out); `failFor` makes deliveries that match fail a number of times first, whatever else arrives.
 */
class Receiver {
  readonly received: Received[] = [];
  readonly script = new Map<string, number[]>();
  failFor: { readonly path: string; readonly match: (body: string) => boolean; statuses: number[] } | null = null;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ path, headers: request.headers, body });
        const forced = this.failFor?.path === path && this.failFor.match(body) ? this.failFor.statuses.shift() : undefined;
        const status = forced ?? this.script.get(path)?.shift() ?? 200;
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** How a receiver checks a delivery (the README's recipe). */
function verify(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const header = String(headers['x-ledgerlink-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t ?? ''}.${body}`).digest('hex');
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === 32 && timingSafeEqual(given, Buffer.from(expected, 'hex')) && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
}

let hub: TestHub;
let admin: TestClient;
let receiver: Receiver;
let connectionId: string;
let contactId: string;
let remoteId: string;

const prisma = () => hub.testDb.database.prisma;

beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
  hub = await startHub({ name: 'events', providers: ['quickbooks-online'], env: { LEDGERLINK_WEBHOOK_TICK_MS: '100', LEDGERLINK_WEBHOOK_RETRY_BASE_MS: '50' } });
  admin = hub.admin;
  connectionId = await connectQuickBooks(admin, US_REALM);
  const customers = (await (await fetch(`${hub.sandbox.url}/_control/qbo/companies/${US_REALM}/customers`)).json()) as Array<{ Id: string; DisplayName: string }>;
  remoteId = customers.find((c) => c.DisplayName === 'Cedar & Pine Landscaping')?.Id ?? '';
  // A name no automatic match would pair with any remote customer: only the test links it.
  contactId = (await admin.put<ContactView>('/api/v1/contacts/events-1', { kind: 'customer', displayName: 'Zyxwvut Events Test Holdings' })).body.id;
}, 90_000);

afterAll(async () => {
  await hub?.close();
  await receiver?.close();
});

describe('outbound webhooks to the host app', () => {
  let all: CreatedWebhookEndpoint;
  let unlinksOnly: CreatedWebhookEndpoint;

  it('creates endpoints with a secret shown once, refusing a URL that is not http(s)', async () => {
    const bad = await admin.post<ApiError>('/api/v1/webhook-endpoints', { url: 'ftp://host.example/hooks' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0]?.path).toBe('url');
    const badType = await admin.post<ApiError>('/api/v1/webhook-endpoints', { url: `${receiver.url}/x`, events: ['link.exploded'] });
    expect(badType.status).toBe(400);
    expect(badType.body.error.fields?.[0]?.path).toBe('events.0');

    all = (await admin.post<CreatedWebhookEndpoint>('/api/v1/webhook-endpoints', { url: `${receiver.url}/all` })).body;
    unlinksOnly = (await admin.post<CreatedWebhookEndpoint>('/api/v1/webhook-endpoints', { url: `${receiver.url}/unlinks`, events: ['link.unlinked'] })).body;
    expect(all.secret).toMatch(/^whsec_/);
    const listed = (await admin.get<Array<Record<string, unknown>>>('/api/v1/webhook-endpoints')).body;
    expect(listed.map((e) => e.url)).toEqual([`${receiver.url}/all`, `${receiver.url}/unlinks`]);
    expect(JSON.stringify(listed)).not.toContain(all.secret);
    const stored = await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: all.id } });
    expect(stored.secret).not.toContain(all.secret);
  });

  it('delivers a link change signed, retrying a failing receiver until it accepts, with one delivery row', async () => {
    // Only this contact's event fails twice (the demo contacts' automatic links arrive meanwhile).
    receiver.failFor = { path: '/all', match: (body) => body.includes(contactId) && body.includes('"link.linked"'), statuses: [500, 503] };
    const linked = await admin.post<ContactDetail>(`/api/v1/connections/${connectionId}/links`, { contactId, remoteId });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);

    // The demo workspace's own contacts are auto-linked after connecting too: look at this contact's events.
    const ours = () => receiver.at('/all').filter((d) => (JSON.parse(d.body) as { data: { contactId?: string } }).data.contactId === contactId);
    const deliveries = await waitFor(() => Promise.resolve(ours()), (r) => r.length >= 3);
    const bodies = deliveries.map((d) => JSON.parse(d.body) as { id: string; type: string; data: Record<string, unknown> });
    expect(bodies.map((b) => b.type)).toEqual(['link.linked', 'link.linked', 'link.linked']);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies[0]?.data).toMatchObject({ connectionId, contactId, toRemoteId: remoteId, actorType: 'user' });
    expect(deliveries.map((d) => d.headers['x-ledgerlink-delivery-attempt'])).toEqual(['1', '2', '3']);
    for (const delivery of deliveries) expect(verify(all.secret, delivery.headers, delivery.body)).toBe(true);
    expect(verify('whsec_wrong', deliveries[0]?.headers ?? {}, deliveries[0]?.body ?? '')).toBe(false);

    const rows = await waitFor(
      () => admin.get<WebhookDeliveryView[]>(`/api/v1/webhook-endpoints/${all.id}/deliveries`).then((r) => r.body.filter((d) => d.eventId === bodies[0]?.id)),
      (list) => list[0]?.state === 'delivered',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ eventType: 'link.linked', state: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
    // The filtered endpoint took none of it.
    expect(receiver.at('/unlinks')).toEqual([]);
  });

  it('sends an endpoint only the types it asked for', async () => {
    const unlinked = await admin.delete<ContactDetail>(`/api/v1/connections/${connectionId}/links/${contactId}`);
    expect(unlinked.status).toBe(200);
    const got = await waitFor(() => Promise.resolve(receiver.at('/unlinks')), (r) => r.length >= 1);
    expect(got.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['link.unlinked']);
    expect(verify(unlinksOnly.secret, got[0]?.headers ?? {}, got[0]?.body ?? '')).toBe(true);
    await waitFor(() => Promise.resolve(receiver.at('/all')), (r) => r.some((d) => (JSON.parse(d.body) as { type: string }).type === 'link.unlinked'));
  });

  it('gives up after the last attempt and says why, keeping the delivery for people to see', async () => {
    const failing = (await admin.post<CreatedWebhookEndpoint>('/api/v1/webhook-endpoints', { url: `${receiver.url}/down`, events: ['link.linked'] })).body;
    receiver.failFor = { path: '/down', match: (body) => body.includes(contactId), statuses: Array.from({ length: MAX_DELIVERY_ATTEMPTS }, () => 500) };
    expect((await admin.post(`/api/v1/connections/${connectionId}/links`, { contactId, remoteId })).status).toBe(201);
    const ours = () => receiver.at('/down').filter((d) => d.body.includes(contactId));
    const eventId = (await waitFor(() => Promise.resolve(ours()), (r) => r.length > 0))[0]?.headers['x-ledgerlink-event-id'];
    const rows = await waitFor(
      () => admin.get<WebhookDeliveryView[]>(`/api/v1/webhook-endpoints/${failing.id}/deliveries`).then((r) => r.body.filter((d) => d.eventId === eventId)),
      (list) => list[0]?.state === 'failed',
      30_000,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, lastStatus: 500, lastError: expect.stringContaining(`gave up after ${MAX_DELIVERY_ATTEMPTS} attempts`) as unknown });
    expect(ours()).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect((await admin.delete(`/api/v1/webhook-endpoints/${failing.id}`)).status).toBe(200);
    expect((await admin.get<Array<{ id: string }>>('/api/v1/webhook-endpoints')).body.map((e) => e.id)).not.toContain(failing.id);
  }, 40_000);
});

describe('GET /api/v1/events', () => {
  it('pages the feed in order by seq, neither repeating nor skipping; polling after the last seq answers nothing new', async () => {
    const sync = await admin.post(`/api/v1/connections/${connectionId}/transactions/sync`);
    expect(sync.status).toBe(202);
    const whole = await waitFor(() => admin.get('/api/v1/events?limit=500').then((r) => EventsPage.parse(r.body)), (p) => p.items.some((e) => e.type === 'sync_run.completed'));

    const paged: EventsPage['items'] = [];
    let after: string | null = null;
    for (;;) {
      const page: EventsPage = EventsPage.parse((await admin.get(`/api/v1/events?limit=2${after ? `&after=${after}` : ''}`)).body);
      if (page.items.length === 0) {
        expect(page.next).toBe(after);
        break;
      }
      paged.push(...page.items);
      after = page.next;
    }
    expect(paged.map((e) => e.id)).toEqual(whole.items.map((e) => e.id));
    const seqs = paged.map((e) => BigInt(e.seq));
    expect(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] ?? 0n))).toBe(true);

    const mine = paged.filter((e) => e.data.contactId === contactId).map((e) => e.type);
    expect(mine).toEqual(['link.linked', 'link.unlinked', 'link.linked']);
    expect(paged.find((e) => e.type === 'sync_run.completed')?.data).toMatchObject({ connectionId, total: 0, failed: 0 });
  });

  it('refuses a cursor that is not a seq, naming the field', async () => {
    const refused = await admin.get<ApiError>('/api/v1/events?after=yesterday');
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields?.[0]?.path).toBe('after');
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToSandbox, signedHeaders, type SandboxConnection } from './support/sandbox-connection.js';

let connection: SandboxConnection;
let receiver: Server;
let targetUrl: string;
const received: WebhookRequest[] = [];

beforeAll(async () => {
  connection = await connectToSandbox();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]));
      received.push({ headers, rawBody: Buffer.concat(chunks).toString('utf8'), url: `${targetUrl.split('/hooks')[0] ?? ''}${req.url ?? ''}` });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/hubspot?connection=a%20b`;
  await connection.control(connection.portalPath('webhooks'), { targetUrl });
});
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await connection?.close();
});

const webhooks = () => {
  const api = connection.session.webhooks;
  if (!api) throw new Error('the HubSpot session has no webhooks');
  return api;
};
const ok = (result: boolean | { ok: boolean }) => (typeof result === 'boolean' ? result : result.ok);

/** Delivers what the sandbox queued and returns the requests that arrived. */
async function deliveries(): Promise<WebhookRequest[]> {
  await connection.control('hubspot/webhooks/flush');
  return received.splice(0);
}

describe('webhooks from the sandbox, as HubSpot sends them', () => {
  it('a property edit in HubSpot arrives signed (v3), verifies, and parses into an update of that customer', async () => {
    await deliveries();
    await connection.control(connection.portalPath('contacts/101/properties'), { properties: { phone: '+1 555 0101' } });
    const [request] = await deliveries();
    if (!request) throw new Error('no delivery arrived');
    expect(request.headers['x-hubspot-signature-v3']).toBeTruthy();
    expect(webhooks().verify(request)).toEqual({ ok: true });
    expect(webhooks().parse(request)).toEqual([
      expect.objectContaining({ entity: 'customer', id: '101', operation: 'update', tenantId: connection.tenant.id, raw: expect.objectContaining({ propertyName: 'phone', changeSource: 'CRM_UI' }) as unknown }),
    ]);
  });

  it('a merge names the contact merged away and its survivor; an archive and a creation come through too', async () => {
    await deliveries();
    const created = (await connection.control(connection.portalPath('contacts'), { properties: { firstname: 'Webhook', lastname: 'Person' } })) as { id: string };
    await connection.control(connection.portalPath('contacts/merge'), { primaryObjectId: '102', objectIdToMerge: '103' });
    await connection.control(connection.portalPath('contacts/104/archive'));
    const requests = await deliveries();
    for (const request of requests) expect(ok(webhooks().verify(request))).toBe(true);
    const events = requests.flatMap((r) => webhooks().parse(r));
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: created.id, operation: 'create' }),
        expect.objectContaining({ id: '103', operation: 'merge', survivorId: '102' }),
        expect.objectContaining({ id: '104', operation: 'archive' }),
      ]),
    );
    expect(events.filter((e) => e.operation === 'merge')).toHaveLength(1);
  });

  it('refuses a changed body, another URL, a missing signature and a timestamp older than five minutes', async () => {
    await deliveries();
    await connection.control(connection.portalPath('contacts/105/properties'), { properties: { jobtitle: 'Signed' } });
    const [request] = await deliveries();
    if (!request) throw new Error('no delivery arrived');
    expect(ok(webhooks().verify({ ...request, rawBody: request.rawBody.replace('Signed', 'Forged') }))).toBe(false);
    expect(ok(webhooks().verify({ ...request, url: request.url.replace('a%20b', 'other') }))).toBe(false);
    const { 'x-hubspot-signature-v3': _signature, ...unsigned } = request.headers;
    expect(webhooks().verify({ ...request, headers: unsigned })).toMatchObject({ ok: false, reason: expect.stringContaining('Signature-v3') as unknown });
    const secret = connection.config.webhookSecret ?? connection.config.clientSecret;
    const old = signedHeaders(secret, request.rawBody, request.url, Date.now() - 301_000);
    expect(webhooks().verify({ ...request, headers: old })).toMatchObject({ ok: false, reason: expect.stringContaining('timestamp') as unknown });
    const recent = signedHeaders(secret, request.rawBody, request.url, Date.now() - 240_000);
    expect(ok(webhooks().verify({ ...request, headers: recent }))).toBe(true);
  });

  it('leaves out what is not about contacts, and a body that is not HubSpot JSON parses to nothing', () => {
    const rawBody = JSON.stringify([{ subscriptionType: 'company.propertyChange', objectId: 20001, occurredAt: Date.now(), portalId: 1 }]);
    expect(webhooks().parse({ headers: {}, rawBody, url: targetUrl })).toEqual([]);
    expect(webhooks().parse({ headers: {}, rawBody: 'not json', url: targetUrl })).toEqual([]);
  });
});

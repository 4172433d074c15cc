import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_HUBSPOT_CLIENT_SECRET, SANDBOX_HUBSPOT_DEMO_PORTAL_ID, SANDBOX_HUBSPOT_DEMO_TOKEN, startSandbox } from '../src/index.js';
import { control, hubspotClient } from './hubspot-helpers.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface HubspotEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  propertyName?: string;
  propertyValue?: string;
  changeFlag?: string;
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
}

let sandbox: RunningSandbox;
let receiver: Server;
let targetUrl: string;
const received: Received[] = [];

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Delivers what is queued, then returns every event received since the last call. */
async function deliveredEvents(): Promise<HubspotEvent[]> {
  const flushed = await control(sandbox.url, '/hubspot/webhooks/flush', {});
  expect(flushed.status).toBe(200);
  const events = received.flatMap((r) => JSON.parse(r.body) as HubspotEvent[]);
  received.length = 0;
  return events;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot?source=sandbox`;
});

afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

beforeEach(async () => {
  const set = await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`, { targetUrl });
  expect(set.status).toBe(200);
  received.length = 0;
});

describe('HubSpot webhooks', () => {
  it('delivers a signed batch that verifies with HubSpot\'s v3 algorithm (and the official client\'s Signature helper)', async () => {
    const edited = await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/contacts/101/properties`, { properties: { phone: '+61 2 9000 9999', jobtitle: 'CFO' } });
    expect(edited.status).toBe(200);
    await control(sandbox.url, '/hubspot/webhooks/flush', {});
    expect(received).toHaveLength(1);
    const request = received[0];
    if (request === undefined) throw new Error('no delivery');
    expect(request.method).toBe('POST');

    const timestamp = header(request.headers, 'x-hubspot-request-timestamp');
    const signature = header(request.headers, 'x-hubspot-signature-v3');
    // HubSpot's documented v3 check: base64(HMAC-SHA256(client secret, method + full URI + body + timestamp)).
    const uri = `http://${header(request.headers, 'host')}${request.url}`;
    expect(uri).toBe(targetUrl);
    const expected = createHmac('sha256', SANDBOX_HUBSPOT_CLIENT_SECRET).update(`POST${uri}${request.body}${timestamp}`, 'utf8').digest('base64');
    expect(signature).toBe(expected);
    expect(Date.now() - Number(timestamp)).toBeLessThan(300_000);
    expect(Signature.isValid({ signatureVersion: 'v3', signature, clientSecret: SANDBOX_HUBSPOT_CLIENT_SECRET, requestBody: request.body, url: uri, method: 'POST', timestamp: Number(timestamp) })).toBe(true);
    expect(Signature.isValid({ signatureVersion: 'v3', signature, clientSecret: 'another-secret', requestBody: request.body, url: uri, method: 'POST', timestamp: Number(timestamp) })).toBe(false);

    const events = JSON.parse(request.body) as HubspotEvent[];
    expect(events.map((e) => [e.subscriptionType, e.propertyName, e.propertyValue])).toEqual([
      ['contact.propertyChange', 'phone', '+61 2 9000 9999'],
      ['contact.propertyChange', 'jobtitle', 'CFO'],
    ]);
    expect(events[0]).toMatchObject({ portalId: SANDBOX_HUBSPOT_DEMO_PORTAL_ID, objectId: 101, changeSource: 'CRM_UI', attemptNumber: 0 });
  });

  it('sends contact.creation and contact.deletion for changes made through the API', async () => {
    const client = hubspotClient(sandbox.url, SANDBOX_HUBSPOT_DEMO_TOKEN);
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'hook@example.com' }, associations: [] });
    await client.crm.contacts.basicApi.archive(contact.id);
    const events = await deliveredEvents();
    expect(events.map((e) => [e.subscriptionType, e.objectId, e.changeFlag])).toEqual([
      ['contact.creation', Number(contact.id), 'NEW'],
      ['contact.deletion', Number(contact.id), 'DELETED'],
    ]);
    expect(events.every((e) => e.changeSource === 'API')).toBe(true);
  });

  it('names the merged ids and the survivor of a merge, and the merged id then reads as the survivor', async () => {
    const merged = await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/contacts/merge`, { primaryObjectId: '105', objectIdToMerge: '101' });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: '105', properties: { hs_merged_object_ids: '101', hs_additional_emails: 'accounts@acme.example.com' } });
    const events = await deliveredEvents();
    expect(events).toEqual([
      expect.objectContaining({ subscriptionType: 'contact.merge', objectId: 105, primaryObjectId: 105, mergedObjectIds: [105, 101], newObjectId: 105, changeFlag: 'MERGED' }),
    ]);

    const client = hubspotClient(sandbox.url, SANDBOX_HUBSPOT_DEMO_TOKEN);
    expect((await client.crm.contacts.basicApi.getById('101')).id).toBe('105');
    const byOldEmail = await client.crm.contacts.basicApi.getById('accounts@acme.example.com', undefined, undefined, undefined, false, 'email');
    expect(byOldEmail.id).toBe('105');
  });

  it('only sends the property a propertyChange subscription names', async () => {
    await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`, { targetUrl, subscriptions: [{ eventType: 'contact.propertyChange', propertyName: 'email' }] });
    await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/contacts/102/properties`, { properties: { phone: '1', email: 'marcus.reid@baysideplumbing.example.com' } });
    const events = await deliveredEvents();
    expect(events.map((e) => [e.subscriptionType, e.propertyName, e.propertyValue])).toEqual([['contact.propertyChange', 'email', 'marcus.reid@baysideplumbing.example.com']]);
  });

  it('names the field when the webhook settings are wrong', async () => {
    const bad = await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`, { targetUrl: 'not a url' });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/^targetUrl: /);
  });
});

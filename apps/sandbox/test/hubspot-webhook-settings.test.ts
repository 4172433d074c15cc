import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import { SubscriptionCreateRequestEventTypeEnum as EventType } from '@hubspot/api-client/lib/codegen/webhooks/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_HUBSPOT_CLIENT_SECRET, SANDBOX_HUBSPOT_DEMO_PORTAL_ID, SANDBOX_HUBSPOT_DEMO_TOKEN, SANDBOX_HUBSPOT_DEVELOPER_API_KEY, hubspotSignatureV3, startSandbox } from '../src/index.js';
import { apiError, control, hubspotClient } from './hubspot-helpers.js';

/** The sandbox's OAuth app id (SANDBOX_HUBSPOT_APP). */
const APP_ID = 3_141_592;

interface Received {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly events: { subscriptionType: string; objectId: number; attemptNumber: number; propertyName?: string; primaryObjectId?: number; mergedObjectIds?: number[] }[];
}

let sandbox: RunningSandbox;
let receiver: Server;
let baseUrl: string;
const received: Received[] = [];
/** Statuses the receiver answers with, one per request, then 204. */
const answers: number[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      received.push({ url: req.url ?? '', headers, body, events: JSON.parse(body) as Received['events'] });
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

beforeEach(async () => {
  await control(sandbox.url, '/reset', {});
  received.length = 0;
  answers.length = 0;
});

const developer = () => new Client({ developerApiKey: SANDBOX_HUBSPOT_DEVELOPER_API_KEY, basePath: `${sandbox.url}/hubspot` });
const edit = (id: number, properties: Record<string, string>) => control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/contacts/${id}/properties`, { properties });
async function flushed(): Promise<Received[]> {
  await control(sandbox.url, '/hubspot/webhooks/flush', {});
  return received.splice(0);
}

/** Waits (real time, bounded) until `count` requests arrived; the sandbox's retry timers run on their own. */
async function arrivals(count: number): Promise<Received[]> {
  for (let i = 0; i < 200 && received.length < count; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  return received.splice(0);
}

describe('HubSpot Webhooks API v3 (app settings and subscriptions) through @hubspot/api-client', () => {
  it('configures the target URL and subscriptions; events of every portal go there, signed, only for active subscriptions', async () => {
    const client = developer();
    const targetUrl = `${baseUrl}/app-hooks`;
    const settings = await client.webhooks.settingsApi.configure(APP_ID, { targetUrl, throttling: { maxConcurrentRequests: 10 } });
    expect(settings.targetUrl).toBe(targetUrl);
    expect((await client.webhooks.settingsApi.getAll(APP_ID)).throttling.maxConcurrentRequests).toBe(10);
    const phone = await client.webhooks.subscriptionsApi.create(APP_ID, { eventType: EventType.ContactPropertyChange, propertyName: 'phone', active: true });
    const creation = await client.webhooks.subscriptionsApi.create(APP_ID, { eventType: EventType.ContactCreation, active: true });
    expect((await client.webhooks.subscriptionsApi.getAll(APP_ID)).results.map((s) => [s.id, s.eventType, s.active])).toEqual([
      [phone.id, 'contact.propertyChange', true],
      [creation.id, 'contact.creation', true],
    ]);

    await edit(101, { phone: '+1 555 0142', jobtitle: 'Not subscribed' });
    const [delivery] = await flushed();
    expect(delivery?.url).toBe('/app-hooks');
    expect(delivery?.events.map((e) => [e.subscriptionType, e.objectId, e.propertyName])).toEqual([['contact.propertyChange', 101, 'phone']]);
    const timestamp = delivery?.headers['x-hubspot-request-timestamp'] ?? '';
    expect(delivery?.headers['x-hubspot-signature-v3']).toBe(hubspotSignatureV3(SANDBOX_HUBSPOT_CLIENT_SECRET, 'POST', targetUrl, delivery?.body ?? '', timestamp));

    // Paused: its events stop; deleted: gone from the list.
    expect((await client.webhooks.subscriptionsApi.update(Number(phone.id), APP_ID, { active: false })).active).toBe(false);
    await edit(101, { phone: '+1 555 0143' });
    expect(await flushed()).toEqual([]);
    await client.webhooks.subscriptionsApi.archive(Number(creation.id), APP_ID);
    expect((await client.webhooks.subscriptionsApi.getAll(APP_ID)).results.map((s) => s.id)).toEqual([phone.id]);

    // A portal's own (control API) settings take precedence over the app's.
    await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`, { targetUrl: `${baseUrl}/portal-hooks` });
    await edit(102, { phone: '+1 555 0144' });
    expect((await flushed()).map((r) => r.url)).toEqual(['/portal-hooks']);
  });

  it('refuses a missing or wrong developer key, another app, and a propertyChange subscription without a property', async () => {
    const wrong = new Client({ developerApiKey: 'nope', basePath: `${sandbox.url}/hubspot` });
    expect((await apiError(() => wrong.webhooks.subscriptionsApi.getAll(APP_ID))).code).toBe(401);
    const bearer = hubspotClient(sandbox.url, SANDBOX_HUBSPOT_DEMO_TOKEN);
    expect((await apiError(() => bearer.webhooks.subscriptionsApi.getAll(APP_ID))).code).toBe(401);
    expect((await apiError(() => developer().webhooks.subscriptionsApi.getAll(42))).code).toBe(404);
    const missing = await apiError(() => developer().webhooks.subscriptionsApi.create(APP_ID, { eventType: EventType.ContactPropertyChange }));
    expect(missing.code).toBe(400);
    expect(missing.body.message).toContain('propertyName is required');
    const throttle = await apiError(() => developer().webhooks.settingsApi.configure(APP_ID, { targetUrl: `${baseUrl}/x`, throttling: { maxConcurrentRequests: 1 } }));
    expect(throttle.body.message).toContain('maxConcurrentRequests');
  });
});

describe('timed webhook retries', () => {
  it('a delivery not answered 2xx is sent again on its own after the retry delay (time-scaled), with attemptNumber + 1', async () => {
    // One minute (the first retry delay) passes in a millisecond.
    await control(sandbox.url, '/limits', { timeScale: 60_000 });
    await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`, { targetUrl: `${baseUrl}/flaky` });
    answers.push(500, 503);
    await edit(103, { phone: '+1 555 0150' });
    await control(sandbox.url, '/hubspot/webhooks/flush', {});
    const requests = await arrivals(3);
    expect(requests.map((r) => r.events.map((e) => [e.objectId, e.attemptNumber]))).toEqual([[[103, 0]], [[103, 1]], [[103, 2]]]);
    const log = (await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`)).body as { deliveries: { status: number; attemptNumber: number; retryAt?: string }[] };
    expect(log.deliveries.map((d) => [d.status, d.attemptNumber, d.retryAt !== undefined])).toEqual([
      [500, 0, true],
      [503, 1, true],
      [204, 2, false],
    ]);
  });

  it('at real time the first retry waits HubSpot\'s minute: the next delivery round carries only new events', async () => {
    await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`, { targetUrl: `${baseUrl}/slow` });
    answers.push(500);
    await edit(104, { phone: '+1 555 0160' });
    await control(sandbox.url, '/hubspot/webhooks/flush', {});
    expect((await arrivals(1)).map((r) => r.events.map((e) => [e.objectId, e.attemptNumber]))).toEqual([[[104, 0]]]);
    await edit(105, { phone: '+1 555 0161' });
    expect((await flushed()).map((r) => r.events.map((e) => [e.objectId, e.attemptNumber]))).toEqual([[[105, 0]]]);
    const log = (await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`)).body as { deliveries: { retryAt?: string; time: string }[] };
    expect(Date.parse(log.deliveries[0]?.retryAt ?? '') - Date.parse(log.deliveries[0]?.time ?? '')).toBeGreaterThanOrEqual(60_000);
  });
});

describe('company merge', () => {
  it('merges two companies: the merged id reads as the survivor, associations move, and a company.merge event names both', async () => {
    const client = hubspotClient(sandbox.url, SANDBOX_HUBSPOT_DEMO_TOKEN);
    await control(sandbox.url, `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/webhooks`, { targetUrl: `${baseUrl}/companies`, subscriptions: [{ eventType: 'company.merge' }] });
    const primary = await client.crm.companies.basicApi.create({ properties: { name: 'Harbour Goods' }, associations: [] });
    const other = await client.crm.companies.basicApi.create({ properties: { name: 'Harbour Goods Ltd', domain: 'harbour.example.com' }, associations: [] });
    await client.crm.associations.v4.basicApi.createDefault('companies', other.id, 'contacts', '101');
    const response = await client.apiRequest({ method: 'POST', path: '/crm/v3/objects/companies/merge', body: { primaryObjectId: primary.id, objectIdToMerge: other.id } });
    expect(response.status).toBe(200);
    const survivor = (await response.json()) as { id: string; properties: Record<string, string> };
    expect(survivor.id).toBe(primary.id);
    expect(survivor.properties).toMatchObject({ name: 'Harbour Goods', domain: 'harbour.example.com', hs_merged_object_ids: other.id });
    expect((await client.crm.companies.basicApi.getById(other.id)).id).toBe(primary.id);
    const links = await client.crm.associations.v4.basicApi.getPage('companies', primary.id, 'contacts');
    expect(links.results.map((l) => String(l.toObjectId))).toContain('101');
    const [delivery] = await flushed();
    expect(delivery?.events).toEqual([expect.objectContaining({ subscriptionType: 'company.merge', primaryObjectId: Number(primary.id), mergedObjectIds: [Number(primary.id), Number(other.id)] })]);
    const notes = await fetch(`${sandbox.url}/hubspot/crm/v3/objects/notes/merge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_HUBSPOT_DEMO_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ primaryObjectId: '50001', objectIdToMerge: '50002' }),
    });
    expect(notes.status).toBe(400);
  });
});

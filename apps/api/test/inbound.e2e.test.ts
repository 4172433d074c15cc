import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { type ApiError, type ContactDetail, type ContactView, WebhookReceipt } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { QUEUES } from '../src/queue/queues.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

const US_REALM = '9341452713046891';
const ADMIN = { email: 'admin@ledgerlink.local', password: 'inbound-admin-password' };
const VIEWER_PASSWORD = 'inbound-viewer-password';
const VERIFIER_TOKEN = `verifier-${randomBytes(8).toString('hex')}`;

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let baseUrl: string;
let admin: TestClient;
let connectionId: string;

const signature = (body: string, token = VERIFIER_TOKEN): string => createHmac('sha256', token).update(body).digest('base64');

async function deliver(body: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}/api/v1/webhooks/quickbooks-online`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function sandboxCustomer(name: string): Promise<string> {
  const customers = (await (await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers`)).json()) as Array<{ Id: string; DisplayName: string }>;
  const found = customers.find((c) => c.DisplayName === name);
  if (!found) throw new Error(`no sandbox customer ${name}`);
  return found.Id;
}

const inboundEvents = () => testDb.database.prisma.inboundEvent.findMany({ orderBy: { receivedAt: 'asc' } });

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-inbound-'));
  hub = await createApp({
    role: 'all',
    database: testDb.database,
    env: {
      PORT: String(await freePort()),
      DATABASE_URL: testDb.url,
      LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LEDGERLINK_QUEUE_PREFIX: uniquePrefix('inbound'),
      LEDGERLINK_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      ...sandboxConnectorEnv(sandbox.url),
      LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN: VERIFIER_TOKEN,
    },
  });
  baseUrl = await hub.listen();
  await hub.seed({ adminPassword: ADMIN.password, viewerPassword: VIEWER_PASSWORD, print: () => undefined });
  admin = new TestClient(baseUrl);
  expect((await admin.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  connectionId = await connectQuickBooks(admin, US_REALM);
}, 60_000);

afterAll(async () => {
  await hub?.nest.get<Queue>(getQueueToken(QUEUES.inbound), { strict: false }).obliterate({ force: true });
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([sandbox?.close(), testDb?.drop()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('inbound QuickBooks webhooks', () => {
  it('refuses a forged signature with 401 and a reason, and stores nothing', async () => {
    const body = JSON.stringify({ eventNotifications: [{ realmId: US_REALM, dataChangeEvent: { entities: [{ name: 'Customer', id: '1', operation: 'Update', lastUpdated: '2026-11-01T00:00:00Z' }] } }] });
    const forged = await deliver(body, { 'intuit-signature': signature(body, 'not-the-token') });
    expect(forged.status).toBe(401);
    expect((forged.body as ApiError).error.message).toContain('intuit-signature does not match');
    const missing = await deliver(body, {});
    expect(missing.status).toBe(401);
    expect((missing.body as ApiError).error.message).toContain('no intuit-signature header');
    // The signature covers the exact bytes: the same JSON re-spaced is refused too.
    const respaced = await deliver(JSON.stringify(JSON.parse(body), null, 2), { 'intuit-signature': signature(body) });
    expect(respaced.status).toBe(401);
    expect(await inboundEvents()).toEqual([]);
  });

  it('answers 404 for a connector that is not installed', async () => {
    const response = await fetch(`${baseUrl}/api/v1/webhooks/no-such-connector`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(404);
  });

  it('stores a delivery delivered twice once', async () => {
    const id = await sandboxCustomer('Cedar & Pine Landscaping');
    const body = JSON.stringify({ eventNotifications: [{ realmId: US_REALM, dataChangeEvent: { entities: [{ name: 'Customer', id, operation: 'Update', lastUpdated: '2026-11-02T10:00:00.000Z' }] } }] });
    const first = await deliver(body, { 'intuit-signature': signature(body) });
    expect(first.status).toBe(200);
    expect(WebhookReceipt.parse(first.body)).toEqual({ events: 1, stored: 1, duplicates: 0 });
    const again = await deliver(body, { 'intuit-signature': signature(body) });
    expect(again.status).toBe(200);
    expect(WebhookReceipt.parse(again.body)).toEqual({ events: 1, stored: 0, duplicates: 1 });
    const rows = (await inboundEvents()).filter((e) => e.remoteId === id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ connectionId, entity: 'customer', operation: 'update' });
    // Processing re-reads the customer into the mirror.
    const done = await waitFor(() => testDb.database.prisma.inboundEvent.findUniqueOrThrow({ where: { id: rows[0]?.id ?? '' } }), (e) => e.state !== 'received');
    expect(done.state).toBe('applied');
    const mirror = await testDb.database.prisma.remoteContact.findFirst({ where: { connectionId, remoteId: id } });
    expect(mirror?.displayName).toBe('Cedar & Pine Landscaping');
  });

  it('never lets a late delivery overwrite a newer mirror', async () => {
    const id = await sandboxCustomer('Cedar & Pine Landscaping');
    const newer = new Date('2030-01-01T00:00:00.000Z');
    await testDb.database.prisma.remoteContact.updateMany({ where: { connectionId, remoteId: id }, data: { remoteUpdatedAt: newer, displayName: 'Newer name kept' } });
    const body = JSON.stringify({ eventNotifications: [{ realmId: US_REALM, dataChangeEvent: { entities: [{ name: 'Customer', id, operation: 'Update', lastUpdated: '2026-10-01T00:00:00.000Z' }] } }] });
    expect((await deliver(body, { 'intuit-signature': signature(body) })).status).toBe(200);
    const row = await waitFor(
      () => testDb.database.prisma.inboundEvent.findFirst({ where: { remoteId: id, occurredAt: new Date('2026-10-01T00:00:00.000Z') } }),
      (e) => e !== null && e.state !== 'received',
    );
    expect(row).toMatchObject({ state: 'ignored', reason: expect.stringContaining('newer') as unknown });
    const mirror = await testDb.database.prisma.remoteContact.findFirst({ where: { connectionId, remoteId: id } });
    expect(mirror).toMatchObject({ displayName: 'Newer name kept', remoteUpdatedAt: newer });
    // Back to the provider's state for the next test.
    await testDb.database.prisma.remoteContact.updateMany({ where: { connectionId, remoteId: id }, data: { remoteUpdatedAt: null } });
  });

  it('re-points the link to the survivor when the sandbox merges a customer and delivers the webhook', async () => {
    const configured = await fetch(`${sandbox.url}/_control/qbo/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${baseUrl}/api/v1/webhooks/quickbooks-online`, verifierToken: VERIFIER_TOKEN, format: 'cloudevents' }),
    });
    expect(configured.status).toBe(200);
    const loserId = await sandboxCustomer('Cedar & Pine Landscaping');
    const customers = (await (await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers`)).json()) as Array<{ Id: string; DisplayName: string; Active?: boolean }>;
    const survivor = customers.find((c) => c.Id !== loserId && c.Active !== false);
    if (!survivor) throw new Error('the sandbox has no second customer');

    const contact = await admin.put<ContactView>('/api/v1/contacts/inbound-cedar', { kind: 'customer', displayName: 'Cedar & Pine Landscaping' });
    expect(contact.status, JSON.stringify(contact.body)).toBe(200);
    const linked = await admin.post<ContactDetail>(`/api/v1/connections/${connectionId}/links`, { contactId: contact.body.id, remoteId: loserId });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);

    const merged = await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers/${loserId}/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ intoId: survivor.Id }),
    });
    expect(merged.status).toBe(200);

    const event = await waitFor(
      () => testDb.database.prisma.inboundEvent.findFirst({ where: { connectionId, remoteId: loserId, operation: 'merge' } }),
      (e) => e !== null && e.state !== 'received',
    );
    expect(event).toMatchObject({ state: 'applied', survivorId: survivor.Id });

    const detail = await admin.get<ContactDetail>(`/api/v1/contacts/${contact.body.id}`);
    const link = detail.body.links.find((l) => l.connectionId === connectionId);
    expect(link).toMatchObject({ state: 'linked', remoteId: survivor.Id, remoteName: survivor.DisplayName });
    const events = await testDb.database.prisma.linkEvent.findMany({ where: { contactId: contact.body.id }, orderBy: { createdAt: 'asc' } });
    expect(events.at(-1)).toMatchObject({ fromRemoteId: loserId, toRemoteId: survivor.Id, actorType: 'system' });
  });
});

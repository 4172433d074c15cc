import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contact } from '@ledgerlink/connector-sdk';
import { type Connection, ContactView, type UploadStatus } from '@ledgerlink/contract';
import { approveConsent, type RunningSandbox, SANDBOX_HUBSPOT_DEMO_PORTAL_ID, sandboxConnectorEnv, sandboxHubspotConnectorEnv, sandboxXeroConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { ConnectorHostService } from '../src/connector-host/connector-host.service.js';
import { CrmSyncQueue } from '../src/crm-sync/crm-sync.queue.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

// Contacts kept in step both ways between sandbox QuickBooks Online and sandbox HubSpot through
// the hub's canonical contact, driven by the change-feed poll (no webhooks), on real PostgreSQL
// and Redis.

const ADMIN = { email: 'admin@ledgerlink.local', password: 'admin-password-crm' };
const US_REALM = '9341452713046891';
const POLL_MS = 1000;
const WAIT_MS = 25_000;

interface QboCustomer {
  Id: string;
  DisplayName: string;
  PrimaryPhone?: { FreeFormNumber?: string };
  PrimaryEmailAddr?: { Address?: string };
}
interface XeroContact {
  ContactID: string;
  EmailAddress?: string;
  Phones?: Array<{ PhoneType: string; PhoneNumber?: string }>;
}
interface HubspotRecord {
  id: string;
  properties: Record<string, string | null>;
}

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let admin: TestClient;
let qboId: string;
let hubspotId: string;
let portalId: string;
let workspaceId: string;
let contactId: string;
let qboRemoteId: string;
let hubspotRemoteId: string;
let xeroId: string;
let xeroTenant: string;
let xeroRemoteId: string;

async function qboCustomer(id: string): Promise<QboCustomer | undefined> {
  const response = await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers`);
  return ((await response.json()) as QboCustomer[]).find((c) => c.Id === id);
}

async function xeroContact(id: string): Promise<XeroContact | undefined> {
  const response = await fetch(`${sandbox.url}/_control/xero/organisations/${xeroTenant}/contacts`);
  expect(response.status).toBe(200);
  return ((await response.json()) as XeroContact[]).find((c) => c.ContactID === id);
}

async function hubspotContacts(): Promise<HubspotRecord[]> {
  const response = await fetch(`${sandbox.url}/_control/hubspot/portals/${portalId}/contacts`);
  expect(response.status).toBe(200);
  return (await response.json()) as HubspotRecord[];
}

async function hubspotContact(id: string): Promise<HubspotRecord | undefined> {
  return (await hubspotContacts()).find((c) => c.id === id);
}

async function editHubspot(id: string, properties: Record<string, string>): Promise<void> {
  const response = await fetch(`${sandbox.url}/_control/hubspot/portals/${portalId}/contacts/${id}/properties`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ properties }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** A person editing the customer in QuickBooks: a sparse update through the QBO API (the connector's session). */
async function editQuickBooksPhone(remoteId: string, phone: string): Promise<void> {
  const open = await hub.get(ConnectorHostService).open(workspaceId, qboId);
  const current = await open.session.contacts.get({ kind: 'customer', id: remoteId });
  const contact = Contact.parse({ ...current.contact, phones: [{ number: phone, type: 'primary' }] });
  const [result] = await open.session.contacts.upsert([{ idempotencyKey: `person-${randomBytes(6).toString('hex')}`, remoteId, ...(current.version ? { version: current.version } : {}), contact }]);
  expect(result?.ok, JSON.stringify(result)).toBe(true);
}

async function upload(connectionId: string, contactIds: string[]): Promise<UploadStatus> {
  const started = await admin.post<UploadStatus>(`/api/v1/connections/${connectionId}/uploads`, { contactIds });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const done = await waitFor(
    () => admin.get<UploadStatus>(`/api/v1/connections/${connectionId}/uploads/${started.body.uploadId}`),
    (r) => r.body.state === 'completed' || r.body.state === 'failed',
  );
  expect(done.body.state, JSON.stringify(done.body)).toBe('completed');
  return done.body;
}

async function remoteIdOf(connectionId: string, id: string): Promise<string> {
  const link = await testDb.database.prisma.contactLink.findFirst({ where: { connectionId, contactId: id, state: 'linked' } });
  expect(link?.remoteId).toBeTruthy();
  return link?.remoteId ?? '';
}

/** Writes the sandbox received (QBO customer posts, HubSpot contact creates/updates). */
async function writeRequests(): Promise<number> {
  const response = await fetch(`${sandbox.url}/_control/requests?limit=5000`);
  const entries = (await response.json()) as Array<{ method: string; path: string }>;
  return entries.filter(
    (e) =>
      (e.method === 'POST' && /\/(customer|batch)(\?|$)/.test(e.path)) ||
      (e.method === 'POST' && /\/crm\/v3\/objects\/(contacts|companies)(\/batch\/(create|update))?(\?|$)/.test(e.path)) ||
      (e.method === 'PATCH' && /\/crm\/v3\/objects\//.test(e.path)) ||
      ((e.method === 'POST' || e.method === 'PUT') && /\/api\.xro\/2\.0\/Contacts(\/|\?|$)/.test(e.path)),
  ).length;
}

beforeAll(async () => {
  process.env.LEDGERLINK_CRM_POLL_MS = String(POLL_MS);
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-crm-'));
  const port = await freePort();
  hub = await createApp({
    role: 'all',
    database: testDb.database,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: testDb.url,
      LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LEDGERLINK_QUEUE_PREFIX: uniquePrefix('crm'),
      LEDGERLINK_DATA_DIR: dataDir,
      LEDGERLINK_CONSOLE_URL: 'http://console.test',
      LOG_LEVEL: 'error',
      ...sandboxConnectorEnv(sandbox.url),
      ...sandboxHubspotConnectorEnv(sandbox.url),
      ...sandboxXeroConnectorEnv(sandbox.url),
    },
  });
  admin = new TestClient(await hub.listen());
  await hub.seed({ adminPassword: ADMIN.password, viewerPassword: 'viewer-password-crm', print: () => undefined });
  expect((await admin.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
});

afterAll(async () => {
  delete process.env.LEDGERLINK_CRM_POLL_MS;
  await hub?.get(CrmSyncQueue).removeAllJobs();
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([testDb?.drop(), sandbox?.close(), dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined]);
});

describe('bidirectional contact sync between QuickBooks Online and HubSpot', () => {
  it('connects both, and an existing HubSpot contact links to its hub contact on connect, without a first edit', async () => {
    qboId = await connectQuickBooks(admin, US_REALM);
    const grace = await admin.put<ContactView>('/api/v1/contacts/crm-e2e-grace', { kind: 'customer', displayName: 'Grace Hopper', givenName: 'Grace', familyName: 'Hopper', email: 'grace@cobol.example' });
    expect(grace.status).toBe(200);
    // The person already exists in HubSpot before the CRM is connected.
    portalId = String(SANDBOX_HUBSPOT_DEMO_PORTAL_ID);
    const made = await fetch(`${sandbox.url}/_control/hubspot/portals/${portalId}/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { email: 'grace@cobol.example', firstname: 'Grace', lastname: 'Hopper' } }),
    });
    expect(made.status).toBe(201);
    const graceRemote = ((await made.json()) as HubspotRecord).id;

    const created = await admin.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'hubspot' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const callback = await approveConsent(created.body.authorizeUrl, { choose: { portalId } });
    const back = await admin.get(callback.toString());
    expect(back.headers.get('location')).toContain(`connected=${created.body.connectionId}`);
    hubspotId = created.body.connectionId;
    const connection = (await admin.get<Connection[]>('/api/v1/connections')).body.find((c) => c.id === hubspotId);
    expect(connection).toMatchObject({ status: 'connected', tenantId: portalId });
    workspaceId = (await testDb.database.prisma.connection.findUniqueOrThrow({ where: { id: hubspotId } })).workspaceId;

    // The pull on connect mirrors it and the matching after it links it: no edit, no refresh.
    const link = await waitFor(
      () => testDb.database.prisma.contactLink.findFirst({ where: { connectionId: hubspotId, contactId: ContactView.parse(grace.body).id, state: 'linked' } }),
      (l) => l !== null,
      WAIT_MS,
    );
    expect(link?.remoteId).toBe(graceRemote);
  });

  it('links one person on both sides by uploading it from the hub, and settles without further writes', async () => {
    const ada = await admin.put<ContactView>('/api/v1/contacts/crm-e2e-ada', { kind: 'customer', displayName: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace', email: 'ada@engine.example', phone: '+1 555 0100' });
    expect(ada.status).toBe(200);
    contactId = ContactView.parse(ada.body).id;
    await upload(qboId, [contactId]);
    await upload(hubspotId, [contactId]);
    qboRemoteId = await remoteIdOf(qboId, contactId);
    hubspotRemoteId = await remoteIdOf(hubspotId, contactId);
    // Both links get a base once the poll has read both records.
    await waitFor(
      () => testDb.database.prisma.contactLink.findMany({ where: { contactId, state: 'linked' } }),
      (links) => links.length === 2 && links.every((l) => l.baseData !== null),
      WAIT_MS,
    );
    expect((await hubspotContact(hubspotRemoteId))?.properties.phone).toBe('+1 555 0100');
  });

  it('carries a phone edited in QuickBooks to HubSpot, and bumps the canonical version once', async () => {
    const before = await testDb.database.prisma.contact.findUniqueOrThrow({ where: { id: contactId } });
    await editQuickBooksPhone(qboRemoteId, '+1 555 0199');
    const landed = await waitFor(() => hubspotContact(hubspotRemoteId), (c) => c?.properties.phone === '+1 555 0199', WAIT_MS);
    expect(landed?.properties.email).toBe('ada@engine.example');
    const after = await testDb.database.prisma.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(after.phone).toBe('+1 555 0199');
    expect(after.version).toBe(before.version + 1);
    const decision = await testDb.database.prisma.fieldDecision.findFirst({ where: { contactId, field: 'phones[primary]' }, orderBy: { createdAt: 'desc' } });
    expect(decision).toMatchObject({ winner: qboId, rule: 'only_change', loser: 'hub', losingValue: { value: '+1 555 0100' } });
  });

  it('carries an e-mail edited in HubSpot to QuickBooks', async () => {
    await editHubspot(hubspotRemoteId, { email: 'countess@engine.example' });
    const landed = await waitFor(() => qboCustomer(qboRemoteId), (c) => c?.PrimaryEmailAddr?.Address === 'countess@engine.example', WAIT_MS);
    expect(landed?.PrimaryPhone?.FreeFormNumber).toBe('+1 555 0199');
    const contact = await testDb.database.prisma.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(contact.email).toBe('countess@engine.example');
  });

  it('resolves the same field edited on both sides between syncs by the last writer, keeping the loser in FieldDecision', async () => {
    const queue = hub.get(CrmSyncQueue);
    await queue.pause();
    try {
      await editQuickBooksPhone(qboRemoteId, '+1 555 0111');
      // Provider change times have one-second precision: the HubSpot edit is the later one.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      await editHubspot(hubspotRemoteId, { phone: '+1 555 0222' });
    } finally {
      await queue.resume();
    }
    await waitFor(() => qboCustomer(qboRemoteId), (c) => c?.PrimaryPhone?.FreeFormNumber === '+1 555 0222', WAIT_MS);
    expect((await hubspotContact(hubspotRemoteId))?.properties.phone).toBe('+1 555 0222');
    expect((await testDb.database.prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).phone).toBe('+1 555 0222');
    const decisions = await testDb.database.prisma.fieldDecision.findMany({ where: { contactId, field: 'phones[primary]', rule: 'last_writer' } });
    expect(decisions.some((d) => (d.winningValue as { value?: unknown }).value === '+1 555 0222' && (d.losingValue as { value?: unknown } | null)?.value === '+1 555 0111' && d.loser === qboId)).toBe(true);
  });

  it('fans a HubSpot edit out to two accounting connections at once (QuickBooks and Xero)', async () => {
    const created = await admin.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'xero' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const back = await admin.get((await approveConsent(created.body.authorizeUrl)).toString());
    expect(back.headers.get('location')).toContain(`connected=${created.body.connectionId}`);
    xeroId = created.body.connectionId;
    xeroTenant = (await admin.get<Connection[]>('/api/v1/connections')).body.find((c) => c.id === xeroId)?.tenantId ?? '';
    await upload(xeroId, [contactId]);
    xeroRemoteId = await remoteIdOf(xeroId, contactId);

    await editHubspot(hubspotRemoteId, { email: 'ada@lovelace.example' });
    await waitFor(() => qboCustomer(qboRemoteId), (c) => c?.PrimaryEmailAddr?.Address === 'ada@lovelace.example', WAIT_MS);
    const xero = await waitFor(() => xeroContact(xeroRemoteId), (c) => c?.EmailAddress === 'ada@lovelace.example', WAIT_MS);
    expect(xero?.Phones?.some((p) => p.PhoneNumber?.includes('555') === true && p.PhoneNumber.replace(/\D/g, '').endsWith('5550222'))).toBe(true);
  });

  it('lets the owner of a field win: with the phone owned by accounting, a HubSpot edit of it is undone and kept as the loser', async () => {
    const prisma = testDb.database.prisma;
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`settings:${hubspotId}`}))`;
      const row = await tx.connection.findUniqueOrThrow({ where: { id: hubspotId }, select: { settings: true } });
      const settings = (row.settings ?? {}) as Record<string, unknown>;
      await tx.connection.update({ where: { id: hubspotId }, data: { settings: { ...settings, conflictPolicy: { owners: { 'phones[primary]': 'accounting' } } } } });
    });
    await editQuickBooksPhone(qboRemoteId, '+1 555 0333');
    await waitFor(() => hubspotContact(hubspotRemoteId), (c) => c?.properties.phone === '+1 555 0333', WAIT_MS);
    await editHubspot(hubspotRemoteId, { phone: '+1 555 0444' });
    const refused = await waitFor(
      () => prisma.fieldDecision.findMany({ where: { contactId, field: 'phones[primary]', rule: 'field_owner', loser: hubspotId } }),
      (ds) => ds.some((d) => (d.losingValue as { value?: unknown } | null)?.value === '+1 555 0444'),
      WAIT_MS,
    );
    expect(refused.find((d) => (d.losingValue as { value?: unknown } | null)?.value === '+1 555 0444')).toMatchObject({ winner: qboId, winningValue: { value: '+1 555 0333' } });
    await waitFor(() => hubspotContact(hubspotRemoteId), (c) => c?.properties.phone === '+1 555 0333', WAIT_MS);
    // Decided once: reading the refused value again (the poll, the write's read-before-write) is no new change.
    const all = await prisma.fieldDecision.findMany({ where: { contactId, field: 'phones[primary]', loser: hubspotId } });
    expect(all.filter((d) => (d.losingValue as { value?: unknown } | null)?.value === '+1 555 0444')).toHaveLength(1);
    expect((await qboCustomer(qboRemoteId))?.PrimaryPhone?.FreeFormNumber).toBe('+1 555 0333');
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).phone).toBe('+1 555 0333');
  });

  it('makes no further writes once all sides agree (no ping-pong with two accounting connections and a CRM)', async () => {
    // Let the writes in flight land, then watch several poll intervals.
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    const writes = await writeRequests();
    // The count sees the sync's writes (the uploads and the propagated edits), so a further one would show.
    expect(writes).toBeGreaterThanOrEqual(6);
    const version = (await testDb.database.prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).version;
    const decisions = await testDb.database.prisma.fieldDecision.count({ where: { contactId } });
    await new Promise((resolve) => setTimeout(resolve, 5 * POLL_MS));
    expect(await writeRequests()).toBe(writes);
    expect((await testDb.database.prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).version).toBe(version);
    expect(await testDb.database.prisma.fieldDecision.count({ where: { contactId } })).toBe(decisions);
    // And the sandbox log shows the poll kept reading meanwhile (the quiet is not a stopped sync).
    const entries = (await (await fetch(`${sandbox.url}/_control/requests?limit=200`)).json()) as Array<{ method: string; path: string }>;
    expect(entries.some((e) => e.method === 'GET' || e.path.includes('/search'))).toBe(true);
  });
});

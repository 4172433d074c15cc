import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { type ApiError, ConnectorInfo, type ContactList, ContactView, Health, SessionInfo, type UploadStatus } from '@ledgerlink/contract';
import type { Credentials } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { SeedService } from '../src/seed/seed.service.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { consentInSandbox, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

const US_REALM = '9341452713046891';
const ADMIN = { email: 'admin@ledgerlink.local', password: 'admin-password-e2e' };
const VIEWER = { email: 'viewer@ledgerlink.local', password: 'viewer-password-e2e' };

interface QboCustomer {
  Id: string;
  DisplayName: string;
  Active?: boolean;
  PrimaryEmailAddr?: { Address: string };
}

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let baseUrl: string;
let admin: TestClient;
let connectionId: string;

async function sandboxCustomers(): Promise<QboCustomer[]> {
  const response = await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers`);
  return (await response.json()) as QboCustomer[];
}

async function upsertContact(client: TestClient, externalId: string, body: Record<string, unknown>): Promise<ContactView> {
  const response = await client.put<ContactView>(`/api/v1/contacts/${externalId}`, { kind: 'customer', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return ContactView.parse(response.body);
}

async function upload(client: TestClient, contactIds: string[]): Promise<UploadStatus> {
  const started = await client.post<UploadStatus>(`/api/v1/connections/${connectionId}/uploads`, { contactIds });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.body.state).toBe('queued');
  const done = await waitFor(
    () => client.get<UploadStatus>(`/api/v1/connections/${connectionId}/uploads/${started.body.uploadId}`),
    (r) => r.body.state === 'completed' || r.body.state === 'failed',
  );
  return done.body;
}

function storedCredentials(): Promise<Credentials> {
  return testDb.database.prisma.connection
    .findUniqueOrThrow({ where: { id: connectionId }, select: { credentials: true } })
    .then((row) => hub.get(CryptoService).decryptJson<Credentials>(row.credentials ?? '', connectionId));
}

async function forceExpiry(): Promise<void> {
  const credentials = { ...(await storedCredentials()), expiresAt: new Date(Date.now() - 60_000).toISOString() };
  await testDb.database.prisma.connection.update({
    where: { id: connectionId },
    data: { credentials: hub.get(CryptoService).encryptJson(credentials, connectionId) },
  });
}

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-e2e-'));
  await mkdir(join(dataDir, 'console', 'assets'), { recursive: true });
  await writeFile(join(dataDir, 'console', 'index.html'), '<!doctype html><title>Ledgerlink console</title><div id="app"></div>');
  await writeFile(join(dataDir, 'console', 'assets', 'app.js'), 'console.log("console");');
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
      LEDGERLINK_QUEUE_PREFIX: uniquePrefix('hub'),
      LEDGERLINK_DATA_DIR: dataDir,
      LEDGERLINK_CONSOLE_URL: 'http://console.test',
      LEDGERLINK_CONSOLE_DIR: join(dataDir, 'console'),
      LOG_LEVEL: 'error',
      ...sandboxConnectorEnv(sandbox.url),
    },
  });
  baseUrl = await hub.listen();
  await hub.seed({ adminPassword: ADMIN.password, viewerPassword: VIEWER.password, print: () => undefined });
  admin = new TestClient(baseUrl);
});

afterAll(async () => {
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([testDb?.drop(), sandbox?.close(), dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined]);
});

describe('health', () => {
  it('reports the database (with its kind) and Redis', async () => {
    const response = await admin.get('/api/v1/health');
    expect(response.status).toBe(200);
    const health = Health.parse(response.body);
    expect(health).toMatchObject({ status: 'ok', database: { ok: true, kind: 'postgresql' }, redis: { ok: true } });
    expect(Object.keys(health.queues ?? {})).toEqual(expect.arrayContaining(['contacts', 'transactions', 'inbound', 'crm-sync']));
    expect(health.queues?.contacts).toEqual({ waiting: expect.any(Number) as unknown, active: expect.any(Number) as unknown, delayed: expect.any(Number) as unknown, failed: expect.any(Number) as unknown });
  });

  it('answers liveness without checking dependencies', async () => {
    const response = await new TestClient(baseUrl).get('/api/v1/health/live');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });
});

describe('sign-in', () => {
  it('refuses requests without a session cookie', async () => {
    const response = await new TestClient(baseUrl).get<ApiError>('/api/v1/auth/me');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });

  it('refuses a wrong password', async () => {
    const response = await new TestClient(baseUrl).post<ApiError>('/api/v1/auth/login', { email: ADMIN.email, password: 'not-the-password' });
    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe('The email or password is not right.');
  });

  it('names each bad field of a login body and how to fix it', async () => {
    const response = await new TestClient(baseUrl).post<ApiError>('/api/v1/auth/login', { email: 'not-an-email' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([
      { path: 'email', message: 'must be an email address like name@example.com' },
      { path: 'password', message: 'is required' },
    ]);
  });

  it('signs in with an HttpOnly SameSite=Lax cookie, and signs out', async () => {
    const client = new TestClient(baseUrl);
    const login = await client.post('/api/v1/auth/login', ADMIN);
    expect(login.status).toBe(200);
    expect(SessionInfo.parse(login.body)).toMatchObject({ user: { email: ADMIN.email, role: 'owner' }, workspace: { name: 'Demo Workspace' } });
    const [session, csrf] = login.headers.getSetCookie();
    expect(session).toMatch(/^ll_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    // The CSRF cookie is readable by the console's scripts, and the same token is in the answer.
    expect(csrf).toMatch(/^ll_csrf=[0-9a-f]{64}; Path=\/; SameSite=Lax; Max-Age=\d+$/);
    expect(csrf).toContain(SessionInfo.parse(login.body).csrfToken);
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
    expect((await client.post('/api/v1/auth/logout')).status).toBe(200);
    expect((await client.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('lets a viewer look but not change', async () => {
    const viewer = new TestClient(baseUrl);
    expect((await viewer.post('/api/v1/auth/login', VIEWER)).status).toBe(200);
    expect((await viewer.get('/api/v1/contacts')).status).toBe(200);
    const response = await viewer.put<ApiError>('/api/v1/contacts/viewer-try', { kind: 'customer', displayName: 'Nope' });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
  });
});

describe('connecting QuickBooks Online through OAuth', () => {
  beforeAll(async () => {
    expect((await admin.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  });

  it('lists the installed QuickBooks Online connector as configured', async () => {
    const response = await admin.get('/api/v1/connectors');
    expect(response.status).toBe(200);
    const connectors = z.array(ConnectorInfo).parse(response.body);
    expect(connectors.find((c) => c.id === 'quickbooks-online')).toMatchObject({ displayName: 'QuickBooks Online', authType: 'oauth2', configured: true });
  });

  it('refuses an unknown connector, naming the field', async () => {
    const response = await admin.post<ApiError>('/api/v1/connections', { connectorId: 'nope' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields?.[0]).toMatchObject({ path: 'connectorId' });
    expect(response.body.error.fields?.[0]?.message).toContain('quickbooks-online');
  });

  it('connects a sandbox company: consent, callback, credentials and tenant stored', async () => {
    const created = await admin.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'quickbooks-online' });
    expect(created.status).toBe(201);
    connectionId = created.body.connectionId;
    const authorize = new URL(created.body.authorizeUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${baseUrl}/api/v1/oauth/callback`);

    const callback = await consentInSandbox(created.body.authorizeUrl, US_REALM);
    expect(callback.startsWith(`${baseUrl}/api/v1/oauth/callback?`)).toBe(true);
    const back = await admin.get(callback);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`http://console.test/integrations?connected=${connectionId}`);

    const connections = await admin.get<{ id: string; status: string; tenantId: string; tenantName: string }[]>('/api/v1/connections');
    expect(connections.body).toEqual([
      expect.objectContaining({ id: connectionId, connectorId: 'quickbooks-online', status: 'connected', tenantId: US_REALM, tenantName: 'Sandbox Company US' }),
    ]);
    const row = await testDb.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.credentials).toMatch(/^v1\./);
    const credentials = await storedCredentials();
    expect(row.credentials).not.toContain(credentials.accessToken);
    const audit = await testDb.database.prisma.auditLog.findMany({ where: { entityId: connectionId, action: 'connection.connected' } });
    expect(audit).toHaveLength(1);

    // The same reply a second time is refused with a reason a person can read.
    const again = await admin.get(callback);
    expect(again.status).toBe(302);
    const error = new URL(again.headers.get('location') ?? '').searchParams.get('error');
    expect(error).toMatch(/already used or is not known: start connecting again/);
  });

  it('refuses a callback with a made-up state', async () => {
    const response = await admin.get('/api/v1/oauth/callback?code=x&state=forged&realmId=1');
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('error')).toMatch(/already used or is not known/);
  });

  it('refuses a callback from another session than the one that started connecting', async () => {
    const created = await admin.post<{ authorizeUrl: string }>('/api/v1/connections', { connectorId: 'quickbooks-online' });
    const callback = await consentInSandbox(created.body.authorizeUrl, US_REALM);
    const stranger = await new TestClient(baseUrl).get(callback);
    expect(new URL(stranger.headers.get('location') ?? '').searchParams.get('error')).toMatch(/started from another Ledgerlink session/);
  });
});

describe('contacts and uploads', () => {
  let first: ContactView;
  let second: ContactView;
  let firstUpload: UploadStatus;

  it('upserts by the host id and moves the version only when the content changes', async () => {
    const body = { displayName: 'Wattle & Co Joinery', email: 'jobs@wattle.example', phone: '+61 2 5550 1111' };
    first = await upsertContact(admin, 'e2e-1', body);
    expect(first.version).toBe(1);
    expect((await upsertContact(admin, 'e2e-1', body)).version).toBe(1);
    first = await upsertContact(admin, 'e2e-1', { ...body, phone: '+61 2 5550 2222' });
    expect(first.version).toBe(2);
    second = await upsertContact(admin, 'e2e-2', { displayName: 'Marigold Analytics', email: 'ap@marigold.example' });
  });

  it('names the bad field of a contact body', async () => {
    const response = await admin.put<ApiError>('/api/v1/contacts/e2e-bad', { kind: 'client', displayName: '' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([
      { path: 'kind', message: 'must be one of: "customer", "supplier"' },
      { path: 'displayName', message: 'must not be empty' },
    ]);
  });

  it('uploads two contacts: the job creates each once in QuickBooks and stores the links', async () => {
    firstUpload = await upload(admin, [first.id, second.id]);
    expect(firstUpload).toMatchObject({ state: 'completed', total: 2 });
    expect(firstUpload.results).toEqual([
      expect.objectContaining({ contactId: first.id, ok: true, created: true }),
      expect.objectContaining({ contactId: second.id, ok: true, created: true }),
    ]);
    const customers = await sandboxCustomers();
    for (const name of ['Wattle & Co Joinery', 'Marigold Analytics']) expect(customers.filter((c) => c.DisplayName === name)).toHaveLength(1);

    const listed = await admin.get<ContactList>('/api/v1/contacts?linked=true&q=wattle');
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(1);
    const link = listed.body.items[0]?.links[0];
    const remote = customers.find((c) => c.DisplayName === 'Wattle & Co Joinery');
    expect(link).toMatchObject({ connectionId, connectorId: 'quickbooks-online', remoteId: remote?.Id, remoteName: 'Wattle & Co Joinery', state: 'linked' });
    expect(link?.deepLink).toContain(remote?.Id);
    const events = await testDb.database.prisma.linkEvent.findMany({ where: { contactId: first.id } });
    expect(events).toEqual([expect.objectContaining({ type: 'linked', actorType: 'user', toRemoteId: remote?.Id, reason: 'created by upload' })]);
  });

  it('uploading again creates nothing new', async () => {
    const before = (await sandboxCustomers()).length;
    const again = await upload(admin, [first.id, second.id]);
    expect(again.results.map((r) => [r.ok, r.created, r.remoteId])).toEqual(firstUpload.results.map((r) => [true, false, r.remoteId]));
    expect((await sandboxCustomers()).length).toBe(before);
  });

  it('filters contacts by linked state and pages them', async () => {
    const unlinked = await admin.get<ContactList>('/api/v1/contacts?linked=false&kind=customer&pageSize=5');
    expect(unlinked.body.pageSize).toBe(5);
    expect(unlinked.body.items.length).toBeLessThanOrEqual(5);
    expect(unlinked.body.items.every((c) => c.links.length === 0)).toBe(true);
    expect(unlinked.body.items.map((c) => c.id)).not.toContain(first.id);
    const bad = await admin.get<ApiError>('/api/v1/contacts?pageSize=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0]?.path).toBe('pageSize');
  });

  it('explains a QuickBooks customer with the same name that is a different person', async () => {
    const namesake = await upsertContact(admin, 'e2e-namesake', { displayName: 'Bayside Plumbing Co', email: 'office@another-bayside.example' });
    const before = await sandboxCustomers();
    const existing = before.find((c) => c.DisplayName === 'Bayside Plumbing Co');
    const result = await upload(admin, [namesake.id]);
    expect(result.state).toBe('completed');
    expect(result.results).toEqual([
      {
        contactId: namesake.id,
        ok: false,
        error: {
          kind: 'duplicate',
          message: `A customer named 'Bayside Plumbing Co' already exists in QuickBooks Online (Id ${existing?.Id}) and looks like a different person: link it from the Search column or rename this contact.`,
        },
      },
    ]);
    expect((await sandboxCustomers()).length).toBe(before.length);
    const link = await testDb.database.prisma.contactLink.findFirst({ where: { contactId: namesake.id } });
    expect(link).toBeNull();
  });

  it('adopts a QuickBooks customer with the same name and email instead of creating a duplicate', async () => {
    const same = await upsertContact(admin, 'e2e-same', { displayName: 'Cedar & Pine Landscaping', email: 'priya@cedarandpine.example.com' });
    const before = await sandboxCustomers();
    const existing = before.find((c) => c.DisplayName === 'Cedar & Pine Landscaping');
    const result = await upload(admin, [same.id]);
    expect(result.results).toEqual([{ contactId: same.id, ok: true, remoteId: existing?.Id, created: false }]);
    expect((await sandboxCustomers()).length).toBe(before.length);
    const link = await testDb.database.prisma.contactLink.findFirstOrThrow({ where: { contactId: same.id } });
    expect(link).toMatchObject({ state: 'linked', linkedBy: 'upload', remoteId: existing?.Id, reason: 'adopted existing QuickBooks Online customer with the same name and email' });
  });

  it('refreshes an expiring token and stores the rotated refresh token', async () => {
    const before = await storedCredentials();
    await forceExpiry();
    const changed = await upsertContact(admin, 'e2e-2', { displayName: 'Marigold Analytics', email: 'ap@marigold.example', phone: '+61 3 5550 3333' });
    const result = await upload(admin, [changed.id]);
    expect(result.results).toEqual([expect.objectContaining({ ok: true, created: false })]);
    const after = await storedCredentials();
    expect(after.refreshToken).toBeDefined();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(Date.parse(after.expiresAt ?? '')).toBeGreaterThan(Date.now());

    // The stored refresh token is the live one: refreshing again with it works.
    await forceExpiry();
    const renamed = await upsertContact(admin, 'e2e-2', { displayName: 'Marigold Analytics', email: 'ap@marigold.example', phone: '+61 3 5550 4444' });
    expect((await upload(admin, [renamed.id])).results).toEqual([expect.objectContaining({ ok: true })]);
    expect((await storedCredentials()).refreshToken).not.toBe(after.refreshToken);
  });
});

describe('workspaces are isolated', () => {
  it("answers 404 for another workspace's connection and upload ids", async () => {
    await hub.get(SeedService).createWorkspaceWithOwner({ workspaceName: 'Other Co', email: 'owner@other.example', name: 'Other Owner', password: 'other-password-1' });
    const other = new TestClient(baseUrl);
    expect((await other.post('/api/v1/auth/login', { email: 'owner@other.example', password: 'other-password-1' })).status).toBe(200);

    const run = await testDb.database.prisma.syncRun.findFirstOrThrow({ where: { connectionId } });
    const status = await other.get<ApiError>(`/api/v1/connections/${connectionId}/uploads/${run.id}`);
    expect(status.status).toBe(404);
    expect(status.body.error.code).toBe('not_found');
    const contactIds = (await admin.get<ContactList>('/api/v1/contacts?pageSize=1')).body.items.map((c) => c.id);
    expect((await other.post(`/api/v1/connections/${connectionId}/uploads`, { contactIds })).status).toBe(404);
    expect((await other.get('/api/v1/connections')).body).toEqual([]);
    expect((await other.get<ContactList>('/api/v1/contacts')).body.total).toBe(0);
  });
});

describe('API description', () => {
  it('serves the OpenAPI document and a readable page', async () => {
    const document = await admin.get<{ openapi: string; paths: Record<string, unknown> }>('/api/docs/openapi.json');
    expect(document.body.openapi).toBe('3.1.0');
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/v1/contacts', '/api/v1/connections/{id}/uploads', '/api/v1/oauth/callback']));
    const page = await fetch(`${baseUrl}/api/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/api/v1/connections/:id/uploads');
  });

  it('answers unknown API paths with the error shape', async () => {
    const response = await admin.get<ApiError>('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('the built console', () => {
  it('is served at / with its assets, and its routes fall back to index.html', async () => {
    const home = await fetch(`${baseUrl}/`);
    expect(await home.text()).toContain('<title>Ledgerlink console</title>');
    const route = await fetch(`${baseUrl}/integrations?connected=abc`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Ledgerlink console</title>');
    const asset = await fetch(`${baseUrl}/assets/app.js`);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(await asset.text()).toBe('console.log("console");');
  });

  it('lets the console origin call the API with its cookie (CORS with credentials)', async () => {
    const preflight = await fetch(`${baseUrl}/api/v1/contacts`, {
      method: 'OPTIONS',
      headers: { origin: 'http://console.test', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://console.test');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const stranger = await fetch(`${baseUrl}/api/v1/health`, { headers: { origin: 'http://evil.test' } });
    expect(stranger.headers.get('access-control-allow-origin')).not.toBe('http://evil.test');
  });
});

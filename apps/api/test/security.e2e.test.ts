import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { type ApiClientError, createApiClient } from '@ledgerlink/api-client';
import { type ApiError, type ContactList, type ContactView, CreatedApiKey, type RouteName, routes, type UploadStatus } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { JsonLogger } from '../src/common/json-logger.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { SeedService } from '../src/seed/seed.service.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

const AU_REALM = '9341452713046892';
const ADMIN = { email: 'admin@ledgerlink.local', password: 'security-admin-password' };
const VIEWER = { email: 'viewer@ledgerlink.local', password: 'security-viewer-password' };
const OTHER = { email: 'owner@other.example', password: 'other-owner-password' };

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let baseUrl: string;
const logLines: string[] = [];
let admin: TestClient;
let viewer: TestClient;
let other: TestClient;
/** Ids of the demo workspace, used against the other workspace and the viewer. */
const ids = { connectionId: '', contactId: '', uploadId: '', apiKeyId: '', pullId: '', matchingRunId: '', transactionId: '', syncRunId: '', endpointId: '' };

async function login(credentials: { email: string; password: string }): Promise<TestClient> {
  const client = new TestClient(baseUrl);
  const response = await client.post('/api/v1/auth/login', credentials);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return client;
}

/** An api-client that keeps cookies like a browser would (Node's fetch does not). */
function cookieFetch(): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      jar.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  };
}

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-security-'));
  hub = await createApp({
    role: 'all',
    database: testDb.database,
    logger: new JsonLogger('debug', {}, { write: (line) => void logLines.push(line) }),
    env: {
      PORT: String(await freePort()),
      DATABASE_URL: testDb.url,
      LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LEDGERLINK_QUEUE_PREFIX: uniquePrefix('security'),
      LEDGERLINK_DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      ...sandboxConnectorEnv(sandbox.url),
    },
  });
  baseUrl = await hub.listen();
  await hub.seed({ adminPassword: ADMIN.password, viewerPassword: VIEWER.password, print: () => undefined });
  await hub.get(SeedService).createWorkspaceWithOwner({ workspaceName: 'Other Co', email: OTHER.email, name: 'Other Owner', password: OTHER.password });
  [admin, viewer, other] = await Promise.all([login(ADMIN), login(VIEWER), login(OTHER)]);
  ids.connectionId = await connectQuickBooks(admin, AU_REALM);
  const contact = await admin.put<ContactView>('/api/v1/contacts/sec-1', { kind: 'customer', displayName: 'Wombat Security Pty Ltd', email: 'hi@wombat.example' });
  ids.contactId = contact.body.id;
  const started = await admin.post<UploadStatus>(`/api/v1/connections/${ids.connectionId}/uploads`, { contactIds: [ids.contactId] });
  ids.uploadId = started.body.uploadId;
  await waitFor(
    () => admin.get<UploadStatus>(`/api/v1/connections/${ids.connectionId}/uploads/${ids.uploadId}`),
    (r) => r.body.state === 'completed' || r.body.state === 'failed',
  );
  ids.pullId = (await admin.post<{ pullId: string }>(`/api/v1/connections/${ids.connectionId}/pull`)).body.pullId;
  ids.matchingRunId = (await admin.post<{ runId: string }>(`/api/v1/connections/${ids.connectionId}/matching/run`)).body.runId;
  ids.transactionId = (await admin.put<{ id: string }>('/api/v1/transactions/sec-inv-1', { type: 'invoice', contactExternalId: 'sec-1', issueDate: '2026-11-01', currency: 'AUD', total: 1100 })).body.id;
  ids.syncRunId = (await admin.post<{ id: string }>(`/api/v1/connections/${ids.connectionId}/transactions/sync`)).body.id;
  ids.endpointId = (await admin.post<{ id: string }>('/api/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks' })).body.id;
});

afterAll(async () => {
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([testDb?.drop(), sandbox?.close(), dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined]);
});

describe('API keys for the host app', () => {
  let secret: string;

  it('an owner creates a key; the secret is shown once and only its prefix is listed', async () => {
    const created = await admin.post<CreatedApiKey>('/api/v1/api-keys', { name: 'Host app (production)', role: 'admin' });
    expect(created.status).toBe(201);
    const key = CreatedApiKey.parse(created.body);
    secret = key.key;
    ids.apiKeyId = key.id;
    expect(secret.startsWith(key.prefix)).toBe(true);
    expect(key).toMatchObject({ name: 'Host app (production)', role: 'admin', revokedAt: null });
    const listed = await admin.get<unknown[]>('/api/v1/api-keys');
    expect(listed.body).toEqual([expect.objectContaining({ id: key.id, prefix: key.prefix })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const row = await testDb.database.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('authenticates every route a host app uses through the api-client, with no CSRF token', async () => {
    const host = createApiClient({ baseUrl, headers: { authorization: `Bearer ${secret}` } });
    expect((await host.health()).status).toBe('ok');
    const upserted = await host.upsertContact('host-7', { kind: 'customer', displayName: 'Koala Host Imports', email: 'ap@koala.example' });
    expect(upserted.version).toBe(1);
    expect((await host.listContacts({ q: 'koala' })).items.map((c) => c.id)).toEqual([upserted.id]);
    const started = await host.createUpload(ids.connectionId, { contactIds: [upserted.id] });
    const done = await waitFor(() => host.getUpload(ids.connectionId, started.uploadId), (s) => s.state === 'completed');
    expect(done.results).toEqual([expect.objectContaining({ contactId: upserted.id, ok: true, created: true })]);
    const detail = await host.getContact(upserted.id);
    expect(detail.links[0]).toMatchObject({ connectionId: ids.connectionId, state: 'linked' });
    // The link's history names the host app's key as the actor, not a user.
    expect(detail.links[0]?.events.find((e) => e.type === 'linked')).toMatchObject({ actorType: 'host', actorId: ids.apiKeyId, actorName: 'Host app (production)' });
    const key = await testDb.database.prisma.apiKey.findUniqueOrThrow({ where: { id: ids.apiKeyId } });
    expect(key.lastUsedAt).not.toBeNull();
  });

  it('a viewer key reads but is refused changes, naming the role needed; keys cannot manage keys', async () => {
    const created = CreatedApiKey.parse((await admin.post('/api/v1/api-keys', { name: 'Reporting', role: 'viewer' })).body);
    const reporting = createApiClient({ baseUrl, headers: { authorization: `Bearer ${created.key}` } });
    expect((await reporting.listContacts()).total).toBeGreaterThan(0);
    const refused = (await reporting.upsertContact('x', { kind: 'customer', displayName: 'No' }).catch((e: unknown) => e)) as ApiClientError;
    expect(refused.status).toBe(403);
    expect(refused.message).toContain('needs the admin role');
    const keyMaker = createApiClient({ baseUrl, headers: { authorization: `Bearer ${secret}` } });
    await expect(keyMaker.createApiKey({ name: 'sneaky' })).rejects.toMatchObject({ status: 403 });
  });

  it('refuses an unknown key and a revoked key with 401 naming the problem', async () => {
    const unknown = await fetch(`${baseUrl}/api/v1/contacts`, { headers: { authorization: 'Bearer llk_not-a-real-key' } });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as ApiError).error.message).toContain('not known');
    const revoked = await admin.delete<{ revokedAt: string }>(`/api/v1/api-keys/${ids.apiKeyId}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const host = createApiClient({ baseUrl, headers: { authorization: `Bearer ${secret}` } });
    await expect(host.listContacts()).rejects.toMatchObject({ status: 401, message: expect.stringContaining('was revoked') });
  });

  it('never writes a key to the logs', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(secret);
  });
});

describe('CSRF protection for cookie sessions', () => {
  it('refuses a cookie-authenticated change without the token, or with a wrong one', async () => {
    admin.csrf = false;
    try {
      const missing = await admin.put<ApiError>('/api/v1/contacts/csrf-1', { kind: 'customer', displayName: 'Forged Ltd' });
      expect(missing.status).toBe(403);
      expect(missing.body.error).toMatchObject({ code: 'csrf_failed', message: expect.stringContaining('X-CSRF-Token') });
      const wrong = await admin.request<ApiError>('PUT', '/api/v1/contacts/csrf-1', { kind: 'customer', displayName: 'Forged Ltd' }, { 'x-csrf-token': 'f'.repeat(64) });
      expect(wrong.status).toBe(403);
    } finally {
      admin.csrf = true;
    }
    expect((await admin.get<ContactList>('/api/v1/contacts?q=Forged')).body.total).toBe(0);
    expect((await admin.put('/api/v1/contacts/csrf-1', { kind: 'customer', displayName: 'Real Change Ltd' })).status).toBe(200);
  });

  it('the api-client sends the token from the login answer, and me hands it out again', async () => {
    const browser = createApiClient({ baseUrl, fetch: cookieFetch() });
    const session = await browser.login(ADMIN);
    expect(session.csrfToken).toMatch(/^[0-9a-f]{64}$/);
    expect((await browser.me()).csrfToken).toBe(session.csrfToken);
    expect((await browser.upsertContact('csrf-2', { kind: 'customer', displayName: 'Client Sent Token Ltd' })).version).toBe(1);
    const explicitWrong = createApiClient({ baseUrl, fetch: cookieFetch(), csrfToken: 'wrong' });
    await explicitWrong.login(ADMIN);
    await expect(explicitWrong.upsertContact('csrf-3', { kind: 'customer', displayName: 'Nope' })).rejects.toMatchObject({ status: 403, code: 'csrf_failed' });
  });
});

type Case = {
  /** Path and body using the demo workspace's ids. */
  readonly request: () => { path: string; body?: unknown };
  /** Refused to the viewer (mutating). */
  readonly viewer: 403 | 'allowed';
  /** What the other workspace's owner gets with the demo workspace's ids. */
  readonly otherWorkspace: 404 | 'own data' | 'not scoped';
};

/** Every route in the contract, classified: a new route without a row here fails to compile. */
const TABLE: Record<RouteName, Case> = {
  health: { request: () => ({ path: routes.health.path }), viewer: 'allowed', otherWorkspace: 'not scoped' },
  liveness: { request: () => ({ path: routes.liveness.path }), viewer: 'allowed', otherWorkspace: 'not scoped' },
  login: { request: () => ({ path: routes.login.path, body: VIEWER }), viewer: 'allowed', otherWorkspace: 'not scoped' },
  logout: { request: () => ({ path: routes.logout.path }), viewer: 'allowed', otherWorkspace: 'not scoped' },
  me: { request: () => ({ path: routes.me.path }), viewer: 'allowed', otherWorkspace: 'own data' },
  listWorkspaces: { request: () => ({ path: routes.listWorkspaces.path }), viewer: 'allowed', otherWorkspace: 'own data' },
  // Switching is the person's own session; another workspace's id answers 404 (test/workspaces.e2e.test.ts).
  switchWorkspace: { request: () => ({ path: routes.switchWorkspace.path, body: { workspaceId: 'not-a-member-here' } }), viewer: 'allowed', otherWorkspace: 'not scoped' },
  listConnectors: { request: () => ({ path: routes.listConnectors.path }), viewer: 'allowed', otherWorkspace: 'not scoped' },
  createConnection: { request: () => ({ path: routes.createConnection.path, body: { connectorId: 'quickbooks-online' } }), viewer: 403, otherWorkspace: 'own data' },
  listConnections: { request: () => ({ path: routes.listConnections.path }), viewer: 'allowed', otherWorkspace: 'own data' },
  listContacts: { request: () => ({ path: routes.listContacts.path }), viewer: 'allowed', otherWorkspace: 'own data' },
  upsertContact: { request: () => ({ path: '/api/v1/contacts/table-1', body: { kind: 'customer', displayName: 'Table Row Ltd' } }), viewer: 403, otherWorkspace: 'own data' },
  createUpload: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/uploads`, body: { contactIds: [ids.contactId] } }), viewer: 403, otherWorkspace: 404 },
  getUpload: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/uploads/${ids.uploadId}` }), viewer: 'allowed', otherWorkspace: 404 },
  createApiKey: { request: () => ({ path: routes.createApiKey.path, body: { name: 'table key' } }), viewer: 403, otherWorkspace: 'own data' },
  listApiKeys: { request: () => ({ path: routes.listApiKeys.path }), viewer: 403, otherWorkspace: 'own data' },
  revokeApiKey: { request: () => ({ path: `/api/v1/api-keys/${ids.apiKeyId}` }), viewer: 403, otherWorkspace: 404 },
  getContact: { request: () => ({ path: `/api/v1/contacts/${ids.contactId}` }), viewer: 'allowed', otherWorkspace: 404 },
  linkCandidates: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/contacts/${ids.contactId}/candidates` }), viewer: 'allowed', otherWorkspace: 404 },
  createLink: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/links`, body: { contactId: ids.contactId, remoteId: '1' } }), viewer: 403, otherWorkspace: 404 },
  deleteLink: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/links/${ids.contactId}` }), viewer: 403, otherWorkspace: 404 },
  startPull: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/pull` }), viewer: 403, otherWorkspace: 404 },
  getPull: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/pulls/${ids.pullId}` }), viewer: 'allowed', otherWorkspace: 404 },
  startMatching: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/matching/run` }), viewer: 403, otherWorkspace: 404 },
  getMatchingRun: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/matching/runs/${ids.matchingRunId}` }), viewer: 'allowed', otherWorkspace: 404 },
  listSuggestions: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/suggestions` }), viewer: 'allowed', otherWorkspace: 404 },
  decideSuggestions: {
    request: () => ({ path: `/api/v1/connections/${ids.connectionId}/suggestions/decisions`, body: { decisions: [{ suggestionId: 'any', action: 'reject' }] } }),
    viewer: 403,
    otherWorkspace: 404,
  },
  upsertTransaction: { request: () => ({ path: '/api/v1/transactions/table-inv-1', body: { type: 'invoice', contactExternalId: 'sec-1', issueDate: '2026-11-02', currency: 'AUD', total: 500 } }), viewer: 403, otherWorkspace: 'own data' },
  listTransactions: { request: () => ({ path: routes.listTransactions.path }), viewer: 'allowed', otherWorkspace: 'own data' },
  getTransaction: { request: () => ({ path: `/api/v1/transactions/${ids.transactionId}` }), viewer: 'allowed', otherWorkspace: 404 },
  syncTransactions: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/transactions/sync` }), viewer: 403, otherWorkspace: 404 },
  retryTransactions: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/transactions/retry`, body: { all: true } }), viewer: 403, otherWorkspace: 404 },
  listSyncRuns: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/sync-runs` }), viewer: 'allowed', otherWorkspace: 404 },
  getSyncRun: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/sync-runs/${ids.syncRunId}` }), viewer: 'allowed', otherWorkspace: 404 },
  readRemoteTransactions: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/remote-transactions/read` }), viewer: 403, otherWorkspace: 404 },
  getMapping: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/mappings/customer` }), viewer: 'allowed', otherWorkspace: 404 },
  saveMapping: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/mappings/customer`, body: { rules: [] } }), viewer: 403, otherWorkspace: 404 },
  previewMapping: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/mappings/customer/preview`, body: { rules: [] } }), viewer: 403, otherWorkspace: 404 },
  listMappingVersions: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/mappings/customer/versions` }), viewer: 'allowed', otherWorkspace: 404 },
  getConnectionSettings: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/settings` }), viewer: 'allowed', otherWorkspace: 404 },
  saveConnectionSettings: {
    request: () => ({ path: `/api/v1/connections/${ids.connectionId}/settings`, body: { schedule: { type: 'off' }, displayNameCollision: 'fail', documentDefaults: { itemCode: null, accountCode: null }, conflictPolicy: 'hub_wins' } }),
    viewer: 403,
    otherWorkspace: 404,
  },
  importContacts: { request: () => ({ path: routes.importContacts.path, body: { csv: 'externalId,kind,displayName\ntable-imp-1,customer,Table Import Ltd' } }), viewer: 403, otherWorkspace: 'own data' },
  listEvents: { request: () => ({ path: routes.listEvents.path }), viewer: 'allowed', otherWorkspace: 'own data' },
  createWebhookEndpoint: { request: () => ({ path: routes.createWebhookEndpoint.path, body: { url: 'https://host.example/hooks' } }), viewer: 403, otherWorkspace: 'own data' },
  listWebhookEndpoints: { request: () => ({ path: routes.listWebhookEndpoints.path }), viewer: 403, otherWorkspace: 'own data' },
  deleteWebhookEndpoint: { request: () => ({ path: `/api/v1/webhook-endpoints/${ids.endpointId}` }), viewer: 403, otherWorkspace: 404 },
  listWebhookDeliveries: { request: () => ({ path: `/api/v1/webhook-endpoints/${ids.endpointId}/deliveries` }), viewer: 403, otherWorkspace: 404 },
  setConnectionEnabled: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/enabled`, body: { enabled: true } }), viewer: 403, otherWorkspace: 404 },
  disconnectConnection: { request: () => ({ path: `/api/v1/connections/${ids.connectionId}/disconnect` }), viewer: 403, otherWorkspace: 404 },
  listActivity: { request: () => ({ path: '/api/v1/activity' }), viewer: 'allowed', otherWorkspace: 'own data' },
  contactRemoteTransactions: { request: () => ({ path: `/api/v1/contacts/${ids.contactId}/remote-transactions` }), viewer: 'allowed', otherWorkspace: 404 },
  // Public: the provider's signature is its authentication (test/inbound.e2e.test.ts refuses forged ones with 401).
  receiveWebhook: { request: () => ({ path: '/api/v1/webhooks/quickbooks-online', body: { eventNotifications: [] } }), viewer: 'allowed', otherWorkspace: 'not scoped' },
};

describe('every route of the contract', () => {
  const names = Object.keys(routes) as RouteName[];

  it('refuses the viewer on every mutating route, naming the role needed', async () => {
    const mutating = names.filter((name) => routes[name].method !== 'GET' && name !== 'login' && name !== 'logout' && name !== 'receiveWebhook' && name !== 'switchWorkspace');
    expect(mutating.filter((name) => TABLE[name].viewer !== 403)).toEqual([]);
    for (const name of names.filter((n) => TABLE[n].viewer === 403)) {
      const { path, body } = TABLE[name].request();
      const response = await viewer.request<ApiError>(routes[name].method, path, body ?? (routes[name].method === 'GET' ? undefined : {}));
      expect([name, response.status]).toEqual([name, 403]);
      expect(response.body.error.message, name).toContain('needs the admin role');
    }
  });

  it("answers 404 to another workspace for every route that takes this workspace's ids", async () => {
    const withIds = names.filter((name) => TABLE[name].otherWorkspace === 404);
    expect(withIds.length).toBeGreaterThanOrEqual(9);
    for (const name of withIds) {
      const { path, body } = TABLE[name].request();
      const response = await other.request<ApiError>(routes[name].method, path, body ?? (routes[name].method === 'GET' ? undefined : {}));
      expect([name, response.status, response.body.error?.code]).toEqual([name, 404, 'not_found']);
    }
    // Lists show only the caller's own data.
    expect((await other.get('/api/v1/connections')).body).toEqual([]);
    expect((await other.get<ContactList>('/api/v1/contacts')).body.total).toBe(0);
    expect((await other.get('/api/v1/api-keys')).body).toEqual([]);
  });
});

// Last: the address-wide limit blocks every sign-in from this test's address afterwards.
describe('login throttling', () => {
  it('after 5 failures for an e-mail answers 429 with Retry-After, even for the right password', async () => {
    const client = new TestClient(baseUrl);
    for (let i = 0; i < 5; i += 1) {
      expect((await client.post('/api/v1/auth/login', { email: VIEWER.email, password: `wrong-${i}` })).status).toBe(401);
    }
    const blocked = await client.post<ApiError>('/api/v1/auth/login', VIEWER);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.error.message).toMatch(/Too many failed sign-ins for this e-mail .*wait/);
    // Another account is not affected.
    expect((await client.post('/api/v1/auth/login', OTHER)).status).toBe(200);
  });

  it('a successful sign-in resets the e-mail count', async () => {
    const client = new TestClient(baseUrl);
    for (let i = 0; i < 4; i += 1) expect((await client.post('/api/v1/auth/login', { email: ADMIN.email, password: 'wrong' })).status).toBe(401);
    expect((await client.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) expect((await client.post('/api/v1/auth/login', { email: ADMIN.email, password: 'wrong' })).status).toBe(401);
    expect((await client.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  });

  it('after 20 failures from one address answers 429 for any e-mail, counted in Redis for every API process', async () => {
    // A second API process on the same Redis and database shares the counts.
    const second = await createApp({ role: 'api', database: testDb.database, env: envOf(hub) });
    try {
      const secondUrl = await second.listen();
      const statuses: number[] = [];
      for (let i = 0; i < 24 && !statuses.includes(429); i += 1) {
        const target = i % 2 === 0 ? baseUrl : secondUrl;
        statuses.push((await new TestClient(target).post('/api/v1/auth/login', { email: `nobody-${i}@example.com`, password: 'x' })).status);
      }
      expect(statuses.at(-1)).toBe(429);
      const blocked = await new TestClient(secondUrl).post<ApiError>('/api/v1/auth/login', OTHER);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.message).toContain('from this address');
    } finally {
      await second.close();
    }
  });
});

function envOf(app: LedgerlinkApp): Record<string, string> {
  return {
    PORT: '0',
    DATABASE_URL: testDb.url,
    LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: app.config.redisUrl,
    LEDGERLINK_QUEUE_PREFIX: app.config.queuePrefix,
    LEDGERLINK_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    ...sandboxConnectorEnv(sandbox.url),
  };
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { type ApiClient, type ApiClientError, createApiClient } from '@ledgerlink/api-client';
import type { Connection, ContactView, PullStatus } from '@ledgerlink/contract';
import type { Credentials } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { ConnectorHostService } from '../src/connector-host/connector-host.service.js';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

const US_REALM = '9341452713046891';
const ADMIN = { email: 'admin@ledgerlink.local', password: 'links-admin-password' };

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let env: Record<string, string>;
let admin: TestClient;
let api: ApiClient;
let workspaceId: string;
let connectionId: string;
let firstPull: PullStatus;

interface QboCustomer {
  Id: string;
  DisplayName: string;
  Active?: boolean;
}

async function sandboxCustomers(): Promise<QboCustomer[]> {
  return (await (await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers`)).json()) as QboCustomer[];
}

async function customerId(name: string): Promise<string> {
  const found = (await sandboxCustomers()).find((c) => c.DisplayName === name);
  if (!found) throw new Error(`no sandbox customer ${name}`);
  return found.Id;
}

async function contact(externalId: string, displayName: string, email?: string): Promise<ContactView> {
  return api.upsertContact(externalId, { kind: 'customer', displayName, ...(email ? { email } : {}) });
}

async function pullDone(pullId: string): Promise<PullStatus> {
  return waitFor(() => api.getPull(connectionId, pullId), (p) => p.state === 'completed' || p.state === 'failed');
}

function storedCredentials(): Promise<Credentials> {
  return testDb.database.prisma.connection
    .findUniqueOrThrow({ where: { id: connectionId }, select: { credentials: true } })
    .then((row) => hub.get(CryptoService).decryptJson<Credentials>(row.credentials ?? '', connectionId));
}

async function storeCredentials(credentials: Credentials): Promise<void> {
  await testDb.database.prisma.connection.update({ where: { id: connectionId }, data: { credentials: hub.get(CryptoService).encryptJson(credentials, connectionId) } });
}

async function tokenRequests(): Promise<number> {
  const log = (await (await fetch(`${sandbox.url}/_control/requests?limit=5000`)).json()) as { path: string; method: string }[] | { requests: { path: string }[] };
  const entries = Array.isArray(log) ? log : log.requests;
  return entries.filter((entry) => entry.path.startsWith('/qbo/oauth2/v1/tokens/bearer')).length;
}

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-links-'));
  env = {
    PORT: String(await freePort()),
    DATABASE_URL: testDb.url,
    LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LEDGERLINK_QUEUE_PREFIX: uniquePrefix('links'),
    LEDGERLINK_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    ...sandboxConnectorEnv(sandbox.url),
  };
  hub = await createApp({ role: 'all', database: testDb.database, env });
  const baseUrl = await hub.listen();
  await hub.seed({ adminPassword: ADMIN.password, print: () => undefined });
  admin = new TestClient(baseUrl);
  expect((await admin.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  // The console's way: cookie session plus the CSRF token, through the typed client.
  api = createApiClient({ baseUrl, headers: () => ({ cookie: `${admin.sessionCookie ?? ''}; ll_csrf=${admin.csrfToken ?? ''}` }), csrfToken: () => admin.csrfToken });
  workspaceId = (await api.me()).workspace.id;
  connectionId = await connectQuickBooks(admin, US_REALM);
});

afterAll(async () => {
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([testDb?.drop(), sandbox?.close(), dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined]);
});

describe('the remote mirror', () => {
  it('is pulled on connect: every customer and vendor, with a checkpoint per kind', async () => {
    const run = await waitFor(
      () => testDb.database.prisma.syncRun.findFirst({ where: { connectionId, kind: 'contact_pull' } }),
      (r) => r?.state === 'completed',
    );
    firstPull = await api.getPull(connectionId, run?.id ?? '');
    const customers = await sandboxCustomers();
    expect(firstPull.fetched).toBeGreaterThanOrEqual(customers.length);
    const mirrored = await testDb.database.prisma.remoteContact.findMany({ where: { connectionId } });
    expect(mirrored.filter((r) => r.kind === 'customer')).toHaveLength(customers.length);
    expect(mirrored.some((r) => r.kind === 'supplier')).toBe(true);
    expect(mirrored.find((r) => r.displayName === 'Granite Peak Outfitters')?.status).toBe('inactive');
    const settings = (await testDb.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } })).settings as { pull: Record<string, { checkpoint: string }> };
    expect(Object.keys(settings.pull).sort()).toEqual(['customer', 'supplier']);
  });
});

describe('linking by hand', () => {
  let cedar: ContactView;
  let twin: ContactView;

  it('finds candidates in the mirror, saying which are free', async () => {
    cedar = await contact('lk-1', 'Cedar and Pine', 'priya@cedarandpine.example.com');
    const list = await api.linkCandidates(connectionId, cedar.id, { q: 'cedar' });
    expect(list.source).toBe('mirror');
    expect(list.items).toEqual([
      { remoteId: await customerId('Cedar & Pine Landscaping'), name: 'Cedar & Pine Landscaping', email: 'priya@cedarandpine.example.com', status: 'active', linkedTo: null },
    ]);
  });

  it("asks the provider when the mirror has nothing (a customer created since the last pull)", async () => {
    const created = await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ DisplayName: 'Quokka Fresh Produce' }),
    });
    expect(created.status).toBe(201);
    const list = await api.linkCandidates(connectionId, cedar.id, { q: 'Quokka' });
    expect(list.source).toBe('live');
    expect(list.items.map((c) => c.name)).toEqual(['Quokka Fresh Produce']);
  });

  it('links a contact to an existing customer; the detail shows the link and its history', async () => {
    const remoteId = await customerId('Cedar & Pine Landscaping');
    const detail = await api.createLink(connectionId, { contactId: cedar.id, remoteId });
    expect(detail.links).toEqual([
      expect.objectContaining({ connectionId, connectorId: 'quickbooks-online', remoteId, remoteName: 'Cedar & Pine Landscaping', state: 'linked', linkedBy: 'manual' }),
    ]);
    expect(detail.links[0]?.deepLink).toContain(remoteId);
    // What QuickBooks holds for it, from the mirror (no provider call for the page).
    expect(detail.links[0]?.remote).toEqual({ paymentTerms: null, currency: 'USD', email: 'priya@cedarandpine.example.com', phone: '(503) 555-0178', status: 'active' });
    expect(detail.links[0]?.events).toEqual([expect.objectContaining({ type: 'linked', toRemoteId: remoteId, actorType: 'user', actorName: 'Demo Admin', reason: 'linked by Demo Admin' })]);
    const audit = await testDb.database.prisma.auditLog.findMany({ where: { entityId: cedar.id, action: 'link.linked' } });
    expect(audit).toHaveLength(1);
    const candidates = await api.linkCandidates(connectionId, cedar.id, { q: 'cedar' });
    expect(candidates.items[0]?.linkedTo).toEqual({ contactId: cedar.id, displayName: 'Cedar and Pine' });
  });

  it('refuses a customer already linked to another contact, naming that contact', async () => {
    twin = await contact('lk-2', 'Cedar Pine Twin');
    const error = (await api.createLink(connectionId, { contactId: twin.id, remoteId: await customerId('Cedar & Pine Landscaping') }).catch((e: unknown) => e)) as ApiClientError;
    expect(error.status).toBe(409);
    expect(error.message).toContain(`already linked to 'Cedar and Pine' (contact ${cedar.id})`);
  });

  it('refuses an inactive customer with the reason, and an unknown id naming the field', async () => {
    const inactive = (await api.createLink(connectionId, { contactId: twin.id, remoteId: await customerId('Granite Peak Outfitters') }).catch((e: unknown) => e)) as ApiClientError;
    expect(inactive.status).toBe(409);
    expect(inactive.message).toMatch(/'Granite Peak Outfitters' .* is inactive there: make it active/);
    const unknown = (await api.createLink(connectionId, { contactId: twin.id, remoteId: '999999' }).catch((e: unknown) => e)) as ApiClientError;
    expect(unknown.status).toBe(400);
    expect(unknown.fieldMessage('remoteId')).toContain('is not a customer in QuickBooks Online');
  });

  it('unlinks with a reason kept in the history', async () => {
    const detail = await api.deleteLink(connectionId, cedar.id, { reason: 'wrong Cedar' });
    expect(detail.links[0]).toMatchObject({ state: 'unlinked', remoteId: null });
    expect(detail.links[0]?.events.map((e) => [e.type, e.reason])).toEqual([
      ['linked', 'linked by Demo Admin'],
      ['unlinked', 'wrong Cedar'],
    ]);
    await expect(api.deleteLink(connectionId, cedar.id)).rejects.toMatchObject({ status: 409 });
    expect((await api.listContacts({ linked: 'true', q: 'Cedar and Pine' })).total).toBe(0);
  });
});

describe('pulling changes into links', () => {
  it('an incremental pull invalidates the link of a customer made inactive in QuickBooks, through the state machine', async () => {
    const fulton = await contact('lk-3', 'Fulton Street Bakery', 'grace@fultonbakery.example.com');
    const remoteId = await customerId('Fulton Street Bakery');
    await api.createLink(connectionId, { contactId: fulton.id, remoteId });
    const inactivated = await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers/${remoteId}/inactivate`, { method: 'POST' });
    expect(inactivated.status).toBe(200);

    const pull = await pullDone((await api.startPull(connectionId)).pullId);
    expect(pull).toMatchObject({ state: 'completed', linksChanged: 1, error: null });
    expect(pull.fetched).toBeLessThan(firstPull.fetched);

    const detail = await api.getContact(fulton.id);
    expect(detail.links[0]).toMatchObject({ state: 'invalid', remoteId, reason: expect.stringContaining('was inactive there: link this contact to another one') });
    expect(detail.links[0]?.events.at(-1)).toMatchObject({ type: 'invalidated', actorType: 'system', fromRemoteId: remoteId });
    expect((await testDb.database.prisma.remoteContact.findFirstOrThrow({ where: { connectionId, remoteId } })).status).toBe('inactive');
  });
});

describe('token refresh across processes', () => {
  it('two hosts refreshing at once spend the refresh token once and both proceed', async () => {
    // Two worker processes on the same Redis lock namespace and database.
    const shared = { ...env, LEDGERLINK_QUEUE_PREFIX: uniquePrefix('refresh') };
    const [one, two] = await Promise.all([createApp({ role: 'worker', database: testDb.database, env: shared }), createApp({ role: 'worker', database: testDb.database, env: shared })]);
    try {
      const before = await storedCredentials();
      await storeCredentials({ ...before, expiresAt: new Date(Date.now() - 60_000).toISOString() });
      const refreshesBefore = await tokenRequests();
      const [a, b] = await Promise.all([one.get(ConnectorHostService).open(workspaceId, connectionId), two.get(ConnectorHostService).open(workspaceId, connectionId)]);
      const [foundA, foundB] = await Promise.all([
        a.session.contacts.search({ kind: 'customer', text: 'Bayside' }),
        b.session.contacts.search({ kind: 'customer', text: 'Bayside' }),
      ]);
      expect(foundA.map((r) => r.contact.displayName)).toContain('Bayside Plumbing Co');
      expect(foundB.map((r) => r.contact.displayName)).toContain('Bayside Plumbing Co');
      expect((await tokenRequests()) - refreshesBefore).toBe(1);
      const after = await storedCredentials();
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(Date.parse(after.expiresAt ?? '')).toBeGreaterThan(Date.now());
      expect((await api.listConnections()).find((c) => c.id === connectionId)?.status).toBe('connected');
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('marks the connection needs_reauth with a visible reason when QuickBooks refuses the refresh token', async () => {
    const stored = await storedCredentials();
    await storeCredentials({ ...stored, refreshToken: 'a-refresh-token-quickbooks-never-issued', expiresAt: new Date(Date.now() - 60_000).toISOString() });
    const pull = await pullDone((await api.startPull(connectionId)).pullId);
    expect(pull.state).toBe('failed');
    expect(pull.error).toContain('reconnect');
    const connection: Connection | undefined = (await api.listConnections()).find((c) => c.id === connectionId);
    expect(connection).toMatchObject({ status: 'needs_reauth', statusReason: expect.stringContaining('reconnect it from Integrations') });
    await expect(api.startPull(connectionId)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('needs reauth') });
  });
});

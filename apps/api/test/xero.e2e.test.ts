import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approveConsent, type RunningSandbox, sandboxXeroConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { ConnectorInfo, type Connection, ContactView, type UploadStatus } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

// The Xero connector installed in the hub: connect through the sandbox's Xero consent page, upload
// customers and suppliers, and find each exactly once in the sandbox's organisation.

const ADMIN = { email: 'admin@ledgerlink.local', password: 'admin-password-xero' };
const AU_TENANT = 'b1e9c2f0-6d3a-4c58-9e71-2a4f8d0c3b11';

interface XeroContact {
  ContactID: string;
  Name: string;
  IsCustomer?: boolean;
  IsSupplier?: boolean;
}

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let admin: TestClient;
let connectionId: string;

async function organisationContacts(): Promise<XeroContact[]> {
  const response = await fetch(`${sandbox.url}/_control/xero/organisations/${AU_TENANT}/contacts`);
  expect(response.status).toBe(200);
  return (await response.json()) as XeroContact[];
}

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-xero-'));
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
      LEDGERLINK_QUEUE_PREFIX: uniquePrefix('xero'),
      LEDGERLINK_DATA_DIR: dataDir,
      LEDGERLINK_CONSOLE_URL: 'http://console.test',
      LOG_LEVEL: 'error',
      ...sandboxXeroConnectorEnv(sandbox.url),
    },
  });
  admin = new TestClient(await hub.listen());
  await hub.seed({ adminPassword: ADMIN.password, viewerPassword: 'viewer-password-xero', print: () => undefined });
  expect((await admin.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
});

afterAll(async () => {
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([testDb?.drop(), sandbox?.close(), dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined]);
});

describe('the Xero connector in the hub', () => {
  it('is listed as installed and configured', async () => {
    const response = await admin.get('/api/v1/connectors');
    const connectors = z.array(ConnectorInfo).parse(response.body);
    expect(connectors.find((c) => c.id === 'xero')).toMatchObject({ configured: true });
  });

  it('connects through the Xero consent page and names the chosen organisation', async () => {
    const created = await admin.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'xero' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const callback = await approveConsent(created.body.authorizeUrl);
    const back = await admin.get(callback.toString());
    expect(back.headers.get('location')).toContain(`connected=${created.body.connectionId}`);
    connectionId = created.body.connectionId;
    const connections = (await admin.get<Connection[]>('/api/v1/connections')).body;
    expect(connections.find((c) => c.id === connectionId)).toMatchObject({ status: 'connected', tenantName: 'Demo Company (AU)' });
  });

  it('uploads a customer and a supplier, each created once in the organisation, and replays create nothing new', async () => {
    const customer = await admin.put<ContactView>('/api/v1/contacts/xero-e2e-c1', {
      kind: 'customer',
      displayName: 'Kōwhai Café Ltd',
      emails: [{ address: 'accounts@kowhai.example' }],
    });
    const supplier = await admin.put<ContactView>('/api/v1/contacts/xero-e2e-s1', { kind: 'supplier', displayName: "O'Brien Timber Supplies" });
    expect([customer.status, supplier.status]).toEqual([200, 200]);
    const ids = [ContactView.parse(customer.body).id, ContactView.parse(supplier.body).id];
    for (let round = 0; round < 2; round += 1) {
      const started = await admin.post<UploadStatus>(`/api/v1/connections/${connectionId}/uploads`, { contactIds: ids });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const done = await waitFor(
        () => admin.get<UploadStatus>(`/api/v1/connections/${connectionId}/uploads/${started.body.uploadId}`),
        (r) => r.body.state === 'completed' || r.body.state === 'failed',
      );
      expect(done.body.state, JSON.stringify(done.body)).toBe('completed');
      expect(done.body.results.filter((r) => !r.ok), JSON.stringify(done.body.results)).toEqual([]);
      expect(done.body.results.every((r) => r.created === (round === 0))).toBe(true);
    }
    const contacts = await organisationContacts();
    const cafe = contacts.filter((c) => c.Name === 'Kōwhai Café Ltd');
    const timber = contacts.filter((c) => c.Name === "O'Brien Timber Supplies");
    expect(cafe).toHaveLength(1);
    expect(timber).toHaveLength(1);
  });
});

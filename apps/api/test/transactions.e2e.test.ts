import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import {
  type ApiError,
  type ContactView,
  RemoteTransactionList,
  SyncRunDetail,
  SyncRunList,
  SyncRunView,
  TransactionDetail,
  TransactionList,
  type UploadStatus,
} from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

const ADMIN = { email: 'admin@ledgerlink.local', password: 'admin-password-tx-e2e' };
const VIEWER = { email: 'viewer@ledgerlink.local', password: 'viewer-password-tx-e2e' };
const CUSTOMERS = 25;
const INVOICES = 500;

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let admin: TestClient;
let realmId: string;
let connectionId: string;

interface SandboxInvoice {
  readonly Id: string;
  readonly DocNumber?: string;
  readonly CustomerRef?: { readonly value: string };
}

async function sandboxInvoices(): Promise<{ total: number; invoices: SandboxInvoice[] }> {
  const response = await fetch(`${sandbox.url}/_control/qbo/companies/${realmId}/invoices?limit=1000`);
  expect(response.status).toBe(200);
  return (await response.json()) as { total: number; invoices: SandboxInvoice[] };
}

function invoiceBody(contactExternalId: string, number: string, cents: number) {
  return {
    type: 'invoice',
    contactExternalId,
    ready: true,
    number,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    currency: 'USD',
    lines: [{ description: `Consulting ${number}`, quantity: 1, unitAmount: cents, amount: cents }],
    total: cents,
  };
}

async function put(path: string, body: unknown): Promise<void> {
  const response = await admin.put(path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

async function waitForRun(runId: string, timeoutMs: number): Promise<SyncRunDetail> {
  const done = await waitFor(
    () => admin.get<SyncRunDetail>(`/api/v1/connections/${connectionId}/sync-runs/${runId}`),
    (r) => r.body.state === 'completed' || r.body.state === 'failed',
    timeoutMs,
  );
  return SyncRunDetail.parse(done.body);
}

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-tx-e2e-'));
  hub = await createApp({
    role: 'all',
    database: testDb.database,
    env: {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: testDb.url,
      LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LEDGERLINK_QUEUE_PREFIX: uniquePrefix('transactions'),
      LEDGERLINK_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      ...sandboxConnectorEnv(sandbox.url),
    },
  });
  const baseUrl = await hub.listen();
  await hub.seed({ adminPassword: ADMIN.password, viewerPassword: VIEWER.password, print: () => undefined });
  admin = new TestClient(baseUrl);
  expect((await admin.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  // An empty company of its own, so every invoice in it is one this test sent.
  const company = await fetch(`${sandbox.url}/_control/qbo/companies`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Invoice Sync Test Co' }) });
  realmId = ((await company.json()) as { realmId: string }).realmId;
  connectionId = await connectQuickBooks(admin, realmId);
}, 120_000);

afterAll(async () => {
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([testDb?.drop(), sandbox?.close(), dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined]);
});

describe('PUT /api/v1/transactions/:externalId', () => {
  it('refuses an unknown contact and money that is not whole minor units, naming the field; a repeat keeps the version', async () => {
    await put('/api/v1/contacts/tx-solo', { kind: 'customer', displayName: 'Solo Trader LLC' });
    const unknown = await admin.put<ApiError>('/api/v1/transactions/solo-1', invoiceBody('nobody-here', 'SOLO-1', 1000));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([{ path: 'contactExternalId', message: expect.stringContaining('"nobody-here" is not a contact in this workspace') as unknown }]);
    const decimal = await admin.put<ApiError>('/api/v1/transactions/solo-1', { ...invoiceBody('tx-solo', 'SOLO-1', 1000), total: 10.5 });
    expect(decimal.status).toBe(400);
    expect(decimal.body.error.fields?.map((f) => f.path)).toContain('total');

    const first = await admin.put<TransactionDetail>('/api/v1/transactions/solo-1', { ...invoiceBody('tx-solo', 'SOLO-1', 1000), ready: false });
    expect(first.status).toBe(200);
    const again = await admin.put<TransactionDetail>('/api/v1/transactions/solo-1', { ...invoiceBody('tx-solo', 'SOLO-1', 1000), ready: false });
    expect(TransactionDetail.parse(again.body)).toMatchObject({ id: first.body.id, version: 1, total: 1000, ready: false, contactName: 'Solo Trader LLC' });
    const changed = await admin.put<TransactionDetail>('/api/v1/transactions/solo-1', { ...invoiceBody('tx-solo', 'SOLO-1', 1250), ready: false });
    expect(changed.body).toMatchObject({ version: 2, total: 1250 });

    const neither = await admin.post<ApiError>(`/api/v1/connections/${connectionId}/transactions/retry`, {});
    expect(neither.status).toBe(400);
    expect(neither.body.error.fields).toEqual([{ path: 'transactionIds', message: expect.stringContaining('send either transactionIds') as unknown }]);
    const notFailed = await admin.post<ApiError>(`/api/v1/connections/${connectionId}/transactions/retry`, { transactionIds: [first.body.id] });
    expect(notFailed.status).toBe(400);
    expect(notFailed.body.error.fields?.[0]).toMatchObject({ path: 'transactionIds.0', message: expect.stringContaining('has no failed or uncertain sync on this connection') as unknown });
  });
});

describe('Sync now to sandbox QuickBooks', () => {
  it(
    `sends ${INVOICES} invoices of linked customers exactly once in batches of 30, reports the blocked ones with reason and fix, and a second Sync now sends nothing`,
    async () => {
      const contactIds: string[] = [];
      for (let c = 0; c < CUSTOMERS; c++) {
        const contact = await admin.put<ContactView>(`/api/v1/contacts/tx-cust-${c}`, { kind: 'customer', displayName: `Invoice Customer ${c} Inc`, email: `billing${c}@customer.example` });
        contactIds.push(contact.body.id);
      }
      const started = await admin.post<UploadStatus>(`/api/v1/connections/${connectionId}/uploads`, { contactIds });
      const uploaded = await waitFor(
        () => admin.get<UploadStatus>(`/api/v1/connections/${connectionId}/uploads/${started.body.uploadId}`),
        (r) => r.body.state === 'completed' || r.body.state === 'failed',
        60_000,
      );
      expect(uploaded.body.results.filter((r) => r.ok)).toHaveLength(CUSTOMERS);
      await put('/api/v1/contacts/tx-unlinked', { kind: 'customer', displayName: 'Never Linked Ltd' });

      const numbers: string[] = [];
      for (let i = 0; i < INVOICES; i++) {
        const number = `INV-${String(i + 1).padStart(4, '0')}`;
        numbers.push(number);
        await put(`/api/v1/transactions/host-inv-${i}`, invoiceBody(`tx-cust-${i % CUSTOMERS}`, number, 1000 + i));
      }
      const blocked: string[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await admin.put<TransactionDetail>(`/api/v1/transactions/host-unlinked-${i}`, invoiceBody('tx-unlinked', `UNL-${i}`, 500));
        blocked.push(response.body.id);
      }

      const sync = await admin.post<SyncRunView>(`/api/v1/connections/${connectionId}/transactions/sync`);
      expect(sync.status).toBe(202);
      expect(SyncRunView.parse(sync.body)).toMatchObject({ kind: 'transactions', state: 'queued' });
      const run = await waitForRun(sync.body.id, 280_000);
      expect(run).toMatchObject({ state: 'completed', total: INVOICES, succeeded: INVOICES, failed: 0, blocked: 3 });
      expect(run.batches).toHaveLength(Math.ceil(INVOICES / 30));
      expect(run.batches.every((b) => b.total <= 30 && b.state === 'completed' && b.succeeded === b.total)).toBe(true);
      expect(run.held.map((h) => h.transactionId).sort()).toEqual([...blocked].sort());
      expect(run.held.every((h) => h.fixAction === 'link_contact' && h.reason === 'Contact not linked: link or upload Never Linked Ltd')).toBe(true);

      const inSandbox = await sandboxInvoices();
      expect(inSandbox.total).toBe(INVOICES);
      expect(inSandbox.invoices.map((i) => i.DocNumber).sort()).toEqual([...numbers].sort());

      const blockedList = await admin.get<TransactionList>(`/api/v1/transactions?connectionId=${connectionId}&syncState=blocked`);
      expect(TransactionList.parse(blockedList.body).items.map((t) => [t.id, t.sync[0]?.fixAction])).toEqual(
        expect.arrayContaining(blocked.map((id) => [id, 'link_contact'])),
      );
      const firstSynced = TransactionList.parse((await admin.get(`/api/v1/transactions?connectionId=${connectionId}&syncState=synced&limit=1`)).body);
      expect(firstSynced.nextCursor).not.toBeNull();
      const one = TransactionDetail.parse((await admin.get(`/api/v1/transactions/${firstSynced.items[0]?.id ?? ''}`)).body);
      expect(one.sync[0]).toMatchObject({ state: 'synced', remoteId: expect.any(String) as unknown, deepLink: expect.stringContaining(one.sync[0]?.remoteId ?? 'none') as unknown });

      const invoicesBefore = (await sandboxInvoices()).total;
      const second = await admin.post<SyncRunView>(`/api/v1/connections/${connectionId}/transactions/sync`);
      expect(second.status).toBe(202);
      const secondRun = await waitForRun(second.body.id, 60_000);
      expect(secondRun).toMatchObject({ state: 'completed', total: 0, succeeded: 0, unchanged: INVOICES, blocked: 3, batches: [] });
      expect((await sandboxInvoices()).total).toBe(invoicesBefore);

      const history = SyncRunList.parse((await admin.get(`/api/v1/connections/${connectionId}/sync-runs?limit=1`)).body);
      expect(history.items.map((r) => r.id)).toEqual([second.body.id]);
      const older = SyncRunList.parse((await admin.get(`/api/v1/connections/${connectionId}/sync-runs?limit=1&cursor=${history.nextCursor ?? ''}`)).body);
      expect(older.items.map((r) => r.id)).toEqual([sync.body.id]);

      // The contact detail screen: its accounting transactions, read back after the run, with deep links.
      const remote = await waitFor(
        () => admin.get<RemoteTransactionList>(`/api/v1/contacts/${contactIds[0] ?? ''}/remote-transactions`),
        (r) => r.body.items.length === INVOICES / CUSTOMERS,
        60_000,
      );
      const list = RemoteTransactionList.parse(remote.body);
      expect(list.items.every((i) => i.type === 'invoice' && i.transactionId !== null && i.deepLink !== null)).toBe(true);
      expect(list.items.map((i) => i.total).reduce((a, b) => a + b, 0)).toBe(numbers.filter((_, i) => i % CUSTOMERS === 0).reduce((sum, _, k) => sum + 1000 + k * CUSTOMERS, 0));
    },
    420_000,
  );

  it(
    'with the sandbox failing calls and dropping answers after committing, still sends every invoice exactly once',
    async () => {
      const setFaults = (faults: Record<string, number>) =>
        fetch(`${sandbox.url}/_control/faults/qbo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
      const numbers: string[] = [];
      for (let i = 0; i < 60; i++) {
        const number = `FLT-${String(i + 1).padStart(3, '0')}`;
        numbers.push(number);
        await put(`/api/v1/transactions/host-fault-${i}`, invoiceBody(`tx-cust-${i % CUSTOMERS}`, number, 700 + i));
      }
      const requestLog = async () => (await (await fetch(`${sandbox.url}/_control/requests?limit=5000`)).json()) as { seq: number; status: number; path: string }[];
      const lastSeq = Math.max(0, ...(await requestLog()).map((r) => r.seq));
      expect((await setFaults({ errorRate: 0.2, timeoutAfterCommitRate: 0.3, seed: 7 })).status).toBe(200);
      try {
        const sync = await admin.post<SyncRunView>(`/api/v1/connections/${connectionId}/transactions/sync`);
        const run = await waitForRun(sync.body.id, 280_000);
        expect(run).toMatchObject({ state: 'completed', total: 60, succeeded: 60, failed: 0 });
      } finally {
        await setFaults({ errorRate: 0, timeoutAfterCommitRate: 0 });
      }
      // The faults did happen: some calls of this run were answered 5xx.
      expect((await requestLog()).filter((r) => r.seq > lastSeq && r.status >= 500).length).toBeGreaterThan(0);
      const sent = (await sandboxInvoices()).invoices.map((i) => i.DocNumber ?? '').filter((n) => n.startsWith('FLT-'));
      expect(sent.sort()).toEqual(numbers);
    },
    420_000,
  );
});

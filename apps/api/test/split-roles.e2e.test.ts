import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import type { ContactView, UploadStatus } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

const AU_REALM = '9341452713046892';

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let dataDir: string;
let api: LedgerlinkApp;
let worker: LedgerlinkApp | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-split-'));
  env = {
    PORT: String(await freePort()),
    DATABASE_URL: testDb.url,
    LEDGERLINK_SECRET_KEY: randomBytes(32).toString('hex'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LEDGERLINK_QUEUE_PREFIX: uniquePrefix('split'),
    LEDGERLINK_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    ...sandboxConnectorEnv(sandbox.url),
  };
  api = await createApp({ role: 'api', env, database: testDb.database });
});

afterAll(async () => {
  await api?.get(JobQueue).removeAllJobs();
  await worker?.close();
  await api?.close();
  await Promise.all([testDb?.drop(), sandbox?.close(), dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined]);
});

describe('API and worker as separate processes', () => {
  it('the API enqueues an upload and a separate worker role completes it', async () => {
    const base = await api.listen();
    await api.seed({ adminPassword: 'split-admin-password', print: () => undefined });
    const client = new TestClient(base);
    expect((await client.post('/api/v1/auth/login', { email: 'admin@ledgerlink.local', password: 'split-admin-password' })).status).toBe(200);
    const connectionId = await connectQuickBooks(client, AU_REALM);
    const contact = (await client.put<ContactView>('/api/v1/contacts/split-1', { kind: 'customer', displayName: 'Split Roles Pty Ltd', email: 'hi@split.example' })).body;

    const started = await client.post<UploadStatus>(`/api/v1/connections/${connectionId}/uploads`, { contactIds: [contact.id] });
    expect(started.status).toBe(202);
    expect(started.body.state).toBe('queued');

    worker = await createApp({ role: 'worker', env, database: testDb.database });
    await expect(worker.listen()).rejects.toThrow('The worker role has no HTTP server');
    const done = await waitFor(
      () => client.get<UploadStatus>(`/api/v1/connections/${connectionId}/uploads/${started.body.uploadId}`),
      (r) => r.body.state === 'completed',
    );
    expect(done.body.results).toEqual([expect.objectContaining({ contactId: contact.id, ok: true, created: true })]);
    const customers = (await (await fetch(`${sandbox.url}/_control/qbo/companies/${AU_REALM}/customers`)).json()) as { DisplayName: string }[];
    expect(customers.filter((c) => c.DisplayName === 'Split Roles Pty Ltd')).toHaveLength(1);
  });
});

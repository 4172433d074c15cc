import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import Bull from 'bull';
import {
  ConnectorErrors,
  defineConnector,
  type ItemResult,
  type PushedTransaction,
  type PushTransactionItem,
  type RemoteTransaction,
  type Transaction,
} from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppConfig } from '../config/config.js';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectorHostRepository } from '../connector-host/connector-host.repository.js';
import { ConnectorHostService } from '../connector-host/connector-host.service.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { ConnectionsRepository } from '../connections/connections.repository.js';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import { ContactsService } from '../contacts/contacts.service.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { createTestDatabase, type TestDatabase } from '../database/test-database.js';
import { JobQueue } from '../queue/job-queue.service.js';
import type { Attempt } from '../queue/queue.decorators.js';
import { attemptOf } from '../queue/queue.decorators.js';
import { JOBS, type PlanTransactionSyncPayload, type PushTransactionBatchPayload, type ReadRemoteTransactionsPayload, retryDelayMs } from '../queue/queues.js';
import { RedisStore } from '../queue/redis-store.service.js';
import type { AuthContext } from '../auth/auth.context.js';
import { TransactionsRepository } from '../transactions/transactions.repository.js';
import { TransactionsService } from '../transactions/transactions.service.js';
import { BudgetExhausted, RateBudgetService } from './rate-budget.service.js';
import { RemoteReader } from './remote-reader.service.js';
import { SyncRunner } from './sync-runner.service.js';
import { TransactionQueue } from './transaction-queue.service.js';

type Step = 'ok' | 'commit-then-timeout' | 'rate-limited' | 'down';

/**
 * An in-memory accounting provider: a replayed idempotency key answers with the original record
 * (like QBO's requestid); `script` injects faults per push call; a document numbered "BAD" is
 * refused with a validation error naming the field.
 */
class FakeLedger {
  readonly records = new Map<string, { id: string; contactId: string; transaction: Transaction; version: number; updatedAt: string }>();
  readonly byKey = new Map<string, string>();
  readonly calls: { size: number; keys: string[] }[] = [];
  readonly finds: string[] = [];
  readonly listCalls: { contactId: string; since: string | undefined }[] = [];
  script: Step[] = [];
  /** Per find() call: 'down' fails the look-up (the provider could not be reached). */
  findScript: ('ok' | 'down')[] = [];

  push(items: readonly PushTransactionItem[]): Promise<ItemResult<PushedTransaction>[]> {
    const step = this.script.shift() ?? 'ok';
    this.calls.push({ size: items.length, keys: items.map((i) => i.idempotencyKey) });
    if (step === 'down') return Promise.reject(ConnectorErrors.transient('Fake Ledger could not be reached; nothing was sent'));
    if (step === 'rate-limited') return Promise.reject(ConnectorErrors.rateLimited('Too many requests', 1));
    const results = items.map((item): ItemResult<PushedTransaction> => {
      if (item.transaction.number === 'BAD') return { ok: false, error: ConnectorErrors.validation('DocNumber', 'Document number BAD is not allowed').toJSON() };
      const replay = this.byKey.get(item.idempotencyKey);
      if (replay) return { ok: true, value: { remote: this.remote(replay), created: false } };
      const id = item.remoteId ?? String(this.records.size + 100);
      const previous = this.records.get(id);
      this.records.set(id, { id, contactId: item.contactId, transaction: item.transaction, version: (previous?.version ?? -1) + 1, updatedAt: new Date().toISOString() });
      this.byKey.set(item.idempotencyKey, id);
      return { ok: true, value: { remote: this.remote(id), created: !item.remoteId } };
    });
    if (step === 'commit-then-timeout') return Promise.reject(ConnectorErrors.uncertain('Fake Ledger did not answer within 30 s; the write may or may not have happened'));
    return Promise.resolve(results);
  }

  find(input: { readonly idempotencyKey?: string }): Promise<RemoteTransaction | undefined> {
    this.finds.push(input.idempotencyKey ?? '');
    if (this.findScript.shift() === 'down') return Promise.reject(ConnectorErrors.transient('Fake Ledger could not be reached'));
    const id = input.idempotencyKey ? this.byKey.get(input.idempotencyKey) : undefined;
    return Promise.resolve(id ? this.remote(id) : undefined);
  }

  listForContact(input: { readonly contactId: string; readonly since?: string }): Promise<RemoteTransaction[]> {
    this.listCalls.push({ contactId: input.contactId, since: input.since });
    return Promise.resolve([...this.records.values()].filter((r) => r.contactId === input.contactId && (!input.since || r.updatedAt >= input.since)).map((r) => this.remote(r.id)));
  }

  remote(id: string): RemoteTransaction {
    const record = this.records.get(id);
    if (!record) throw new Error(`no record ${id}`);
    return { id, version: String(record.version), contactId: record.contactId, status: 'open', deepLink: `https://ledger.example/doc/${id}`, transaction: record.transaction };
  }

  created(number: string) {
    return [...this.records.values()].filter((r) => r.transaction.number === number);
  }
}

const ledger = new FakeLedger();
const fakeConnector = defineConnector<Record<string, never>>({
  id: 'fake-ledger',
  displayName: 'Fake Ledger',
  description: 'In-process accounting provider for the transaction sync engine test',
  category: 'accounting',
  host: '^0.1.0',
  capabilities: { contactKinds: ['customer'], transactionTypes: ['invoice', 'payment'], search: true, read: true, write: true },
  config: z.object({}),
  auth: { type: 'api_key', label: 'Key' },
  fields: { invoice: [{ id: 'DocNumber', label: 'Invoice number', type: 'string', required: true }, { id: 'TxnDate', label: 'Date', type: 'date' }] },
  limits: { requestsPerWindow: 100, windowSeconds: 1, concurrency: 2, batchSize: 3 },
  connect: () => ({
    tenants: { list: () => Promise.resolve([{ id: 't1', name: 'Tenant' }]) },
    deepLink: (entity, id) => `https://ledger.example/${entity}/${id}`,
    contacts: {
      search: () => Promise.resolve([]),
      get: () => Promise.reject(ConnectorErrors.notFound('no contacts here')),
      list: () => Promise.resolve({ items: [], checkpoint: '', hasMore: false }),
      upsert: () => Promise.resolve([]),
    },
    transactions: {
      push: (items) => ledger.push(items),
      find: (input) => ledger.find(input),
      listForContact: (input) => ledger.listForContact(input),
    },
  }),
});

let db: TestDatabase;
let queue: Bull.Queue;
let jobQueue: JobQueue;
let runner: SyncRunner;
let reader: RemoteReader;
let repo: TransactionsRepository;
let service: TransactionsService;
let contacts: ContactsService;
let workspaceId: string;
let connectionId: string;
let auth: AuthContext;
const prefix = `ll-test-txsync-${randomBytes(4).toString('hex')}`;

const attempt = (number: number, max = 3): Attempt => ({ number, max, isLast: number >= max });

async function newContact(name: string, link: 'linked' | 'invalid' | null): Promise<string> {
  const id = (await contacts.upsertRow(workspaceId, `c-${name}`, { kind: 'customer', displayName: name })).id;
  if (link) {
    await db.database.prisma.contactLink.create({
      data: { workspaceId, connectionId, contactId: id, remoteId: `R-${name}`, state: link, linkedBy: 'manual', reason: link === 'invalid' ? 'The customer was merged away in Fake Ledger' : null },
    });
  }
  return id;
}

async function invoice(externalId: string, contact: string, total: number, extra: Partial<{ number: string; ready: boolean }> = {}) {
  return service.upsert(workspaceId, externalId, {
    type: 'invoice',
    contactExternalId: `c-${contact}`,
    ready: extra.ready ?? true,
    number: extra.number ?? externalId,
    issueDate: '2026-11-20',
    currency: 'AUD',
    lines: [{ description: 'Consulting', quantity: 1, unitAmount: total, amount: total }],
    total,
    status: 'open',
    customFields: {},
  });
}

/** Plans a run and pushes its batches in order, as the queue would (attempt 1 each). */
async function syncNow(): Promise<string> {
  const run = await service.sync(auth, connectionId);
  await drive(run.id);
  return run.id;
}

async function drive(runId: string): Promise<void> {
  await runner.plan({ workspaceId, syncRunId: runId }, attempt(1));
  for (const batch of await repo.batches(workspaceId, runId)) await runner.push({ workspaceId, syncRunId: runId, batchId: batch.id }, attempt(1, 1));
}

async function syncOf(transactionId: string) {
  return db.database.prisma.transactionSync.findUniqueOrThrow({ where: { connectionId_transactionId: { connectionId, transactionId } } });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const { prisma } = db.database;
  const crypto = new CryptoService(randomBytes(32));
  const logger = new JsonLogger('silent');
  const registry = new ConnectorRegistry([{ packageName: 'fake', packageVersion: '1.0.0', definition: fakeConnector as never, config: {}, configured: true }]);
  const host = new ConnectorHostService(new ConnectorHostRepository(prisma), registry, crypto, logger);
  queue = new Bull('transactions', { redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix, settings: { backoffStrategies: { connector: retryDelayMs } } });
  jobQueue = new JobQueue(queue, queue, queue, queue, queue);
  const config = { queuePrefix: prefix, providerTimeScale: 1 } as AppConfig;
  const transactionQueue = new TransactionQueue(queue);
  const budget = new RateBudgetService(transactionQueue, new RedisStore(jobQueue, config), config);
  repo = new TransactionsRepository(prisma);
  runner = new SyncRunner(repo, host, budget, transactionQueue, logger);
  reader = new RemoteReader(repo, host, budget, logger);
  service = new TransactionsService(repo, new ConnectionsRepository(prisma), host, transactionQueue, logger);
  contacts = new ContactsService(new ContactsRepository(prisma), host);
  workspaceId = (await prisma.workspace.create({ data: { name: 'Sync engine test' } })).id;
  const connection = await prisma.connection.create({ data: { workspaceId, connectorId: 'fake-ledger', displayName: 'Fake Ledger', status: 'connected', tenantId: 't1' } });
  connectionId = connection.id;
  await prisma.connection.update({ where: { id: connectionId }, data: { credentials: crypto.encryptJson({ accessToken: 'k' }, connectionId) } });
  auth = { via: 'session', sessionId: 's', userId: 'u', email: 'a@b.c', name: 'Admin', role: 'admin', workspaceId, workspaceName: 'W', csrfToken: null };
});

afterAll(async () => {
  await queue?.obliterate({ force: true });
  await queue?.close();
  await db?.drop();
});

beforeEach(() => {
  ledger.script = [];
  ledger.findScript = [];
});

describe('shared rate budget', () => {
  it('two worker processes on the same Redis share one tenant budget, and a 429 holds both back', async () => {
    const config = { queuePrefix: prefix, providerTimeScale: 1 } as AppConfig;
    const otherQueue = new Bull('transactions', { redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix });
    try {
      const one = new RateBudgetService(new TransactionQueue(queue), new RedisStore(jobQueue, config), config);
      const two = new RateBudgetService(new TransactionQueue(otherQueue), new RedisStore(new JobQueue(otherQueue, otherQueue, otherQueue, otherQueue, otherQueue), config), config);
      const limits = { requestsPerWindow: 3, windowSeconds: 3600, concurrency: 3, batchSize: 30 };
      const releases = [await one.take('shared:t1', limits, 'a'), await two.take('shared:t1', limits, 'b'), await one.take('shared:t1', limits, 'c')];
      await expect(two.take('shared:t1', limits, 'd')).rejects.toBeInstanceOf(BudgetExhausted);
      for (const release of releases) await release();
      // Another tenant has its own budget; a 429 there blocks it for everyone until Retry-After passes.
      const other = { requestsPerWindow: 100, windowSeconds: 1, concurrency: 5, batchSize: 30 };
      await (await one.take('shared:t2', other, 'x'))();
      await two.backOff('shared:t2', other, 3_600_000);
      const refused = await one.take('shared:t2', other, 'y').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BudgetExhausted);
      expect((refused as BudgetExhausted).retryAfterSeconds).toBeGreaterThan(3000);
    } finally {
      await otherQueue.close();
    }
  });

  it("paces calls to the batch endpoint by the connector's batchRequestsPerWindow as well as its request limit", async () => {
    const config = { queuePrefix: prefix, providerTimeScale: 1 } as AppConfig;
    const budget = new RateBudgetService(new TransactionQueue(queue), new RedisStore(jobQueue, config), config);
    const limits = { requestsPerWindow: 500, windowSeconds: 3600, concurrency: 10, batchSize: 30, batchRequestsPerWindow: 2 };
    const batches = [await budget.takeBatch('shared:t3', limits, 'b1'), await budget.takeBatch('shared:t3', limits, 'b2')];
    for (const release of batches) await release();
    await expect(budget.takeBatch('shared:t3', limits, 'b3')).rejects.toBeInstanceOf(BudgetExhausted);
    // Single requests still have the rest of the request budget.
    await (await budget.take('shared:t3', limits, 'single'))();
  });

  it('shortens windows and Retry-After by the provider time scale (the sandbox running faster than real time)', async () => {
    const config = { queuePrefix: prefix, providerTimeScale: 3600 } as AppConfig;
    const budget = new RateBudgetService(new TransactionQueue(queue), new RedisStore(jobQueue, config), config);
    // One request an hour of provider time is one a second of real time.
    const limits = { requestsPerWindow: 1, windowSeconds: 3600, concurrency: 1, batchSize: 1 };
    await (await budget.take('shared:t4', limits, 'first'))();
    await (await budget.take('shared:t4', limits, 'second'))();
    await budget.backOff('shared:t4', limits, 3_600_000);
    await (await budget.take('shared:t4', limits, 'after-retry-after'))();
  });
});

describe('transaction sync engine', () => {
  it('sends ready invoices once in batches of the connector size, holds blocked ones with reason and fix, and a second run sends nothing', async () => {
    await newContact('Acme', 'linked');
    await newContact('Nolink', null);
    await newContact('Merged', 'invalid');
    for (let i = 1; i <= 7; i++) await invoice(`A-${i}`, 'Acme', 1000 * i);
    const unlinked = await invoice('N-1', 'Nolink', 500);
    const invalid = await invoice('M-1', 'Merged', 700);
    await invoice('DRAFT-1', 'Acme', 100, { ready: false });

    const callsBefore = ledger.calls.length;
    const runId = await syncNow();
    expect(ledger.calls.slice(callsBefore).map((c) => c.size)).toEqual([3, 3, 1]);
    for (let i = 1; i <= 7; i++) expect(ledger.created(`A-${i}`)).toHaveLength(1);
    expect(ledger.created('DRAFT-1')).toHaveLength(0);

    const detail = await service.run(auth, connectionId, runId);
    expect(detail).toMatchObject({ state: 'completed', total: 7, succeeded: 7, failed: 0, blocked: 2, unchanged: 0 });
    expect(detail.batches.map((b) => [b.seq, b.state, b.total, b.succeeded])).toEqual([
      [0, 'completed', 3, 3],
      [1, 'completed', 3, 3],
      [2, 'completed', 1, 1],
    ]);
    expect(detail.held).toEqual(
      expect.arrayContaining([
        { transactionId: unlinked.id, state: 'blocked', remoteId: null, reason: 'Contact not linked: link or upload Nolink', fixAction: 'link_contact' },
        { transactionId: invalid.id, state: 'blocked', remoteId: null, reason: 'Link invalid: The customer was merged away in Fake Ledger (Merged)', fixAction: 'relink_contact' },
      ]),
    );
    const view = await service.get(auth, unlinked.id);
    expect(view.sync).toEqual([expect.objectContaining({ connectionId, state: 'blocked', fixAction: 'link_contact', reason: 'Contact not linked: link or upload Nolink' })]);
    const synced = (await service.list(auth, { connectionId, syncState: 'synced', limit: 50 })).items;
    expect(synced).toHaveLength(7);
    expect(synced[0]?.sync[0]).toMatchObject({ state: 'synced', deepLink: expect.stringMatching(/^https:\/\/ledger\.example\/invoice\/\d+$/) as unknown, changedSinceSync: false });

    const calls = ledger.calls.length;
    const second = await syncNow();
    expect(ledger.calls.length).toBe(calls);
    expect(await service.run(auth, connectionId, second)).toMatchObject({ state: 'completed', total: 0, unchanged: 7, blocked: 2 });
  });

  it('an upsert that changes nothing keeps the version; a change is sent as an update of the same remote record', async () => {
    await newContact('Update Co', 'linked');
    const first = await invoice('U-1', 'Update Co', 2000);
    expect((await invoice('U-1', 'Update Co', 2000)).version).toBe(1);
    await syncNow();
    const remoteId = (await syncOf(first.id)).remoteId;
    const changed = await invoice('U-1', 'Update Co', 2500);
    expect(changed.version).toBe(2);
    expect(changed.sync[0]).toMatchObject({ changedSinceSync: true });
    await syncNow();
    expect(ledger.created('U-1')).toEqual([expect.objectContaining({ id: remoteId, transaction: expect.objectContaining({ total: 2500 }) as unknown })]);
    expect(await syncOf(first.id)).toMatchObject({ state: 'synced', remoteId, idempotencyKey: null });
  });

  it('persists the key before the call and resolves an uncertain write with find() before sending again', async () => {
    await newContact('Lost Answer', 'linked');
    const tx = await invoice('L-1', 'Lost Answer', 3000);
    const run = await service.sync(auth, connectionId);
    await runner.plan({ workspaceId, syncRunId: run.id }, attempt(1));
    const [batch] = await repo.batches(workspaceId, run.id);
    if (!batch) throw new Error('no batch planned');
    ledger.script = ['commit-then-timeout'];
    const payload: PushTransactionBatchPayload = { workspaceId, syncRunId: run.id, batchId: batch.id };
    await expect(runner.push(payload, attempt(1))).rejects.toMatchObject({ kind: 'uncertain' });
    const uncertain = await syncOf(tx.id);
    expect(uncertain).toMatchObject({ state: 'uncertain', fixAction: 'retry' });
    expect(uncertain.idempotencyKey).toBe(ledger.calls.at(-1)?.keys[0]);

    const calls = ledger.calls.length;
    await runner.push(payload, attempt(2));
    expect(ledger.finds).toContain(uncertain.idempotencyKey);
    expect(ledger.calls.length).toBe(calls);
    expect(ledger.created('L-1')).toHaveLength(1);
    expect(await syncOf(tx.id)).toMatchObject({ state: 'synced', idempotencyKey: null, remoteId: ledger.created('L-1')[0]?.id });
    expect(await service.run(auth, connectionId, run.id)).toMatchObject({ state: 'completed', succeeded: 1 });
  });

  it('a failed look-up keeps only that uncertain item back; the others of the batch go on, and nothing is created twice', async () => {
    await newContact('Two Lost', 'linked');
    const a = await invoice('TL-1', 'Two Lost', 100);
    const b = await invoice('TL-2', 'Two Lost', 200);
    const run = await service.sync(auth, connectionId);
    await runner.plan({ workspaceId, syncRunId: run.id }, attempt(1));
    const [batch] = await repo.batches(workspaceId, run.id);
    if (!batch) throw new Error('no batch planned');
    const payload: PushTransactionBatchPayload = { workspaceId, syncRunId: run.id, batchId: batch.id };
    ledger.script = ['commit-then-timeout'];
    await expect(runner.push(payload, attempt(1, 4))).rejects.toMatchObject({ kind: 'uncertain' });
    const pushes = ledger.calls.length;
    ledger.findScript = ['down', 'ok'];
    await expect(runner.push(payload, attempt(2, 4))).rejects.toThrow(/1 transaction\(s\) hit a temporary Fake Ledger problem/);
    expect([(await syncOf(a.id)).state, (await syncOf(b.id)).state]).toEqual(['uncertain', 'synced']);
    await runner.push(payload, attempt(3, 4));
    expect(ledger.calls.length).toBe(pushes);
    expect([ledger.created('TL-1').length, ledger.created('TL-2').length]).toEqual([1, 1]);
    expect(await service.run(auth, connectionId, run.id)).toMatchObject({ state: 'completed', succeeded: 2, failed: 0 });
  });

  it('retries transient and rate-limited calls through the queue with the same keys, and keeps terminal failures with the connector reason', async () => {
    await newContact('Flaky', 'linked');
    const good = await invoice('F-1', 'Flaky', 100);
    const bad = await invoice('F-2', 'Flaky', 200, { number: 'BAD' });
    const run = await service.sync(auth, connectionId);
    await runner.plan({ workspaceId, syncRunId: run.id }, attempt(1));
    const [batch] = await repo.batches(workspaceId, run.id);
    if (!batch) throw new Error('no batch planned');
    const payload: PushTransactionBatchPayload = { workspaceId, syncRunId: run.id, batchId: batch.id };
    ledger.script = ['down', 'rate-limited'];
    await expect(runner.push(payload, attempt(1))).rejects.toMatchObject({ kind: 'transient' });
    const limited = await runner.push(payload, attempt(2)).catch((e: unknown) => e);
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 1 });
    expect(retryDelayMs(2, limited)).toBe(1000);
    await runner.push(payload, attempt(3));
    const keys = ledger.calls.slice(-3).map((c) => c.keys.join());
    expect(new Set(keys).size).toBe(1);
    expect(ledger.created('F-1')).toHaveLength(1);
    expect(await syncOf(good.id)).toMatchObject({ state: 'synced' });
    expect(await syncOf(bad.id)).toMatchObject({
      state: 'failed',
      fixAction: 'fix_data',
      reason: 'Fake Ledger refused the field DocNumber: Document number BAD is not allowed. Fix it in the host app and sync again.',
    });
    expect(await service.run(auth, connectionId, run.id)).toMatchObject({ state: 'completed', succeeded: 1, failed: 1 });

    // Fixed in the host app, then retried: only the failed one goes.
    await invoice('F-2', 'Flaky', 200, { number: 'F-2' });
    const retry = await service.retry(auth, connectionId, { transactionIds: [bad.id] });
    const calls = ledger.calls.length;
    await drive(retry.id);
    expect(ledger.calls.slice(calls).map((c) => c.size)).toEqual([1]);
    expect(await syncOf(bad.id)).toMatchObject({ state: 'synced', reason: null, fixAction: null });
    await expect(service.retry(auth, connectionId, { transactionIds: [good.id] })).rejects.toMatchObject({ status: 400 });
  });

  it('holds invoices when the mapping leaves a required field off, with fix_mapping', async () => {
    await newContact('Mapped', 'linked');
    const tx = await invoice('MAP-1', 'Mapped', 900);
    const mapping = await db.database.prisma.fieldMapping.create({
      data: {
        workspaceId,
        connectionId,
        entity: 'invoice',
        version: 1,
        effectiveFrom: new Date(Date.now() - 60_000),
        rules: [{ source: 'number', target: 'DocNumber', enabled: false, direction: 'out', transform: { kind: 'none' } }],
      },
    });
    try {
      const runId = await syncNow();
      const held = (await service.run(auth, connectionId, runId)).held.find((h) => h.transactionId === tx.id);
      expect(held).toMatchObject({ state: 'blocked', fixAction: 'fix_mapping', reason: expect.stringContaining('Invoice number (DocNumber)') as unknown });
      expect(ledger.created('MAP-1')).toHaveLength(0);
    } finally {
      await db.database.prisma.fieldMapping.delete({ where: { id: mapping.id } });
    }
    // With the mapping fixed it goes on the next run.
    await syncNow();
    expect(ledger.created('MAP-1')).toHaveLength(1);
  });

  it('runs on Bull end to end: Sync now plans, batches push, then remote transactions are read back incrementally', async () => {
    void queue.process(JOBS.planTransactionSync, 1, (job: Bull.Job<PlanTransactionSyncPayload>) => runner.plan(job.data, attemptOf(job)));
    void queue.process(JOBS.pushTransactionBatch, 2, (job: Bull.Job<PushTransactionBatchPayload>) => runner.push(job.data, attemptOf(job)));
    void queue.process(JOBS.readRemoteTransactions, 1, (job: Bull.Job<ReadRemoteTransactionsPayload>) => reader.run(job.data, attemptOf(job)));
    const contactId = await newContact('Queued Co', 'linked');
    for (let i = 1; i <= 5; i++) await invoice(`Q-${i}`, 'Queued Co', 100 * i);
    const run = await service.sync(auth, connectionId);
    expect(run.state).toBe('queued');
    const done = await waitUntil(() => service.run(auth, connectionId, run.id), (r) => r.state === 'completed');
    expect(done).toMatchObject({ total: 5, succeeded: 5, failed: 0 });
    for (let i = 1; i <= 5; i++) expect(ledger.created(`Q-${i}`)).toHaveLength(1);

    const remote = await waitUntil(
      () => service.contactRemote(auth, contactId),
      (r) => r.items.length === 5 && r.readAt.every((a) => a.at !== null),
    );
    expect(remote.items.map((i) => i.number).sort()).toEqual(['Q-1', 'Q-2', 'Q-3', 'Q-4', 'Q-5']);
    expect(remote.items.every((i) => i.transactionId !== null && i.deepLink?.startsWith('https://ledger.example/doc/'))).toBe(true);
    expect(ledger.listCalls.find((c) => c.contactId === 'R-Queued Co')?.since).toBeUndefined();

    const read = await service.readRemote(auth, connectionId);
    await waitUntil(() => repo.findRun(workspaceId, read.runId), (r) => r?.state === 'completed');
    expect(ledger.listCalls.filter((c) => c.contactId === 'R-Queued Co').at(-1)?.since).toEqual(expect.any(String));

    const again = await service.sync(auth, connectionId);
    expect(await waitUntil(() => service.run(auth, connectionId, again.id), (r) => r.state === 'completed')).toMatchObject({ total: 0, unchanged: expect.any(Number) as unknown });
    const newest = await service.runs(auth, connectionId, { limit: 1 });
    expect(newest.items.map((r) => r.id)).toEqual([again.id]);
    expect(newest.nextCursor).toBe(again.id);
    const next = await service.runs(auth, connectionId, { limit: 1, cursor: again.id });
    expect(next.items.map((r) => r.id)).toEqual([run.id]);
  });
});

async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

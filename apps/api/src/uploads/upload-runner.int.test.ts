import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import {
  type Contact,
  ConnectorErrors,
  type ConnectorErrorData,
  defineConnector,
  type ItemResult,
  type RemoteContact,
  type UpsertContactItem,
  type UpsertedContact,
} from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectorHostRepository } from '../connector-host/connector-host.repository.js';
import { ConnectorHostService } from '../connector-host/connector-host.service.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import { ContactsService } from '../contacts/contacts.service.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { createTestDatabase, type TestDatabase } from '../database/test-database.js';
import type { Attempt } from '../queue/queue.decorators.js';
import { RetryLater, UploadRunner } from './upload-runner.service.js';
import { readResults } from './uploads.dto.js';
import { UploadsRepository } from './uploads.repository.js';
import { MappingVersions } from '../mapping/mapping-versions.js';

/**
 * A provider that behaves like QBO's requestid: a replayed idempotency key answers with the
 * original record instead of creating another. `script` injects faults per call.
 */
class FakeProvider {
  readonly records = new Map<string, { id: string; contact: Contact }>();
  readonly byKey = new Map<string, string>();
  readonly keysSeen: string[] = [];
  script: ('ok' | 'commit-then-timeout' | 'rate-limited' | 'down')[] = [];
  /** Records merged away or archived by a person in the provider's app. */
  readonly gone = new Map<string, { reason: 'merged' | 'archived'; survivorId?: string }>();

  upsert(items: readonly UpsertContactItem[]): Promise<ItemResult<UpsertedContact>[]> {
    const step = this.script.shift() ?? 'ok';
    if (step === 'down') return Promise.reject(ConnectorErrors.transient('Fake could not be reached; nothing was sent'));
    const results = items.map((item): ItemResult<UpsertedContact> => {
      this.keysSeen.push(item.idempotencyKey);
      if (step === 'rate-limited') return { ok: false, error: ConnectorErrors.rateLimited('Too many requests', 7).toJSON() };
      const gone = item.remoteId ? this.gone.get(item.remoteId) : undefined;
      if (gone) return { ok: false, error: ConnectorErrors.remoteInactive(gone.reason, `The customer is ${gone.reason}`, gone.survivorId).toJSON() };
      const replay = this.byKey.get(item.idempotencyKey);
      if (replay) return { ok: true, value: { remote: this.remote(replay), created: false } };
      const id = item.remoteId ?? String(this.records.size + 1);
      const created = !item.remoteId;
      this.records.set(id, { id, contact: item.contact });
      this.byKey.set(item.idempotencyKey, id);
      return { ok: true, value: { remote: this.remote(id), created } };
    });
    if (step === 'commit-then-timeout') return Promise.reject(ConnectorErrors.uncertain('Fake did not answer within 30 s; the write may or may not have happened'));
    return Promise.resolve(results);
  }

  remote(id: string): RemoteContact {
    const record = this.records.get(id);
    if (!record) throw new Error(`no record ${id}`);
    return { id, version: '0', status: 'active', contact: record.contact };
  }
}

const provider = new FakeProvider();
const fake = defineConnector<Record<string, never>>({
  id: 'fake-books',
  displayName: 'Fake Books',
  description: 'In-process provider for the upload runner test',
  category: 'accounting',
  host: '^0.1.0',
  capabilities: { contactKinds: ['customer'], search: true, read: true, write: true },
  config: z.object({}),
  auth: { type: 'api_key', label: 'Key' },
  fields: {
    customer: [
      { id: 'Name', label: 'Name', type: 'string', maxLength: 40, required: true, canonical: 'displayName' },
      { id: 'Email', label: 'Email', type: 'email', maxLength: 100, canonical: 'emails[primary]' },
      { id: 'Phone', label: 'Phone', type: 'phone', maxLength: 30, canonical: 'phones[primary]' },
    ],
  },
  limits: { requestsPerWindow: 100, windowSeconds: 1, concurrency: 1, batchSize: 10 },
  connect: () => ({
    tenants: { list: () => Promise.resolve([{ id: 't1', name: 'Tenant' }]) },
    deepLink: (_entity, id) => `https://fake.example/c/${id}`,
    contacts: {
      search: () => Promise.resolve([]),
      get: ({ id }) => Promise.resolve(provider.remote(id)),
      list: () => Promise.resolve({ items: [], checkpoint: '', hasMore: false }),
      upsert: (items) => provider.upsert(items),
    },
  }),
});

let db: TestDatabase;
let runner: UploadRunner;
let uploads: UploadsRepository;
let contacts: ContactsService;
let workspaceId: string;
let connectionId: string;

const attempt = (number: number, max = 3): Attempt => ({ number, max, isLast: number >= max });

async function newRun(...contactIds: string[]): Promise<string> {
  return (await uploads.createRun({ workspaceId, connectionId, contactIds })).id;
}

async function results(runId: string) {
  const run = await uploads.findRun(workspaceId, runId);
  return { state: run?.state, results: readResults(run?.results) };
}

async function newContact(name: string): Promise<string> {
  return (await contacts.upsertRow(workspaceId, `ext-${name}`, { kind: 'customer', displayName: name })).id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const { prisma } = db.database;
  const crypto = new CryptoService(randomBytes(32));
  const logger = new JsonLogger('silent');
  const registry = new ConnectorRegistry([{ packageName: 'fake', packageVersion: '1.0.0', definition: fake as never, config: {}, configured: true }]);
  const host = new ConnectorHostService(new ConnectorHostRepository(prisma), registry, crypto, logger);
  uploads = new UploadsRepository(prisma);
  const contactsRepository = new ContactsRepository(prisma);
  contacts = new ContactsService(contactsRepository, host);
  runner = new UploadRunner(uploads, contactsRepository, host, logger, new MappingVersions(prisma, registry));
  workspaceId = (await prisma.workspace.create({ data: { name: 'Runner test' } })).id;
  const connection = await prisma.connection.create({
    data: { workspaceId, connectorId: 'fake-books', displayName: 'Fake Books', status: 'connected', tenantId: 't1' },
  });
  connectionId = connection.id;
  await prisma.connection.update({ where: { id: connectionId }, data: { credentials: crypto.encryptJson({ accessToken: 'k' }, connectionId) } });
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(() => {
  provider.script = [];
});

describe('UploadRunner', () => {
  it('creates once when the provider committed but the answer was lost, by replaying the persisted key', async () => {
    const contactId = await newContact('Lost Answer Ltd');
    const runId = await newRun(contactId);
    provider.script = ['commit-then-timeout'];
    const firstError = await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(1)).catch((e: unknown) => e);
    expect((firstError as ConnectorErrorData).kind).toBe('uncertain');
    const pending = await db.database.prisma.contactLink.findFirstOrThrow({ where: { contactId } });
    expect(pending).toMatchObject({ state: 'pending' });
    expect(pending.idempotencyKey).toBeTruthy();

    await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(2));
    const created = [...provider.records.values()].filter((r) => r.contact.displayName === 'Lost Answer Ltd');
    expect(created).toHaveLength(1);
    expect(provider.keysSeen.filter((k) => k === pending.idempotencyKey)).toHaveLength(2);
    expect(await results(runId)).toEqual({ state: 'completed', results: [{ contactId, ok: true, remoteId: created[0]?.id, created: false }] });
    expect(await db.database.prisma.contactLink.findFirstOrThrow({ where: { contactId } })).toMatchObject({ state: 'linked', remoteId: created[0]?.id, idempotencyKey: null });
  });

  it('asks the queue to retry after a rate limit, honouring Retry-After, and keeps finished items', async () => {
    const done = await newContact('Done First');
    const limited = await newContact('Rate Limited Co');
    await runner.run({ workspaceId, syncRunId: await newRun(done), requestedBy: null }, attempt(1));
    const runId = await newRun(done, limited);
    provider.script = ['rate-limited'];
    const error = await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLater);
    expect((error as RetryLater).retryAfterSeconds).toBe(7);
    expect((await results(runId)).results).toEqual([expect.objectContaining({ contactId: done, ok: true, created: false })]);

    await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(2));
    expect(await results(runId)).toEqual({
      state: 'completed',
      results: [expect.objectContaining({ contactId: done, ok: true }), expect.objectContaining({ contactId: limited, ok: true, created: true })],
    });
    expect([...provider.records.values()].filter((r) => r.contact.displayName === 'Rate Limited Co')).toHaveLength(1);
  });

  it('on the last attempt reports what is unknown, and a later upload still creates only once', async () => {
    const contactId = await newContact('Never Confirmed');
    const runId = await newRun(contactId);
    provider.script = ['commit-then-timeout'];
    await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(3));
    const { state, results: items } = await results(runId);
    expect(state).toBe('failed');
    expect(items[0]?.error?.message).toMatch(/Fake Books failed and the upload gave up after 3 attempts .*nothing will be created twice/);

    await runner.run({ workspaceId, syncRunId: await newRun(contactId), requestedBy: null }, attempt(1));
    expect([...provider.records.values()].filter((r) => r.contact.displayName === 'Never Confirmed')).toHaveLength(1);
  });

  it('retries when nothing reached the provider, and a finished run is not run again', async () => {
    const contactId = await newContact('Provider Down');
    const runId = await newRun(contactId);
    provider.script = ['down'];
    await expect(runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(1))).rejects.toMatchObject({ kind: 'transient' });
    await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(2));
    const before = provider.keysSeen.length;
    await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(3));
    expect(provider.keysSeen.length).toBe(before);
    expect((await results(runId)).results).toEqual([expect.objectContaining({ contactId, ok: true, created: true })]);
  });

  it('sends an update, not a create, for a linked contact whose content changed', async () => {
    const contactId = await newContact('Changing Name');
    await runner.run({ workspaceId, syncRunId: await newRun(contactId), requestedBy: 'user-1' }, attempt(1));
    const link = await db.database.prisma.contactLink.findFirstOrThrow({ where: { contactId } });
    await contacts.upsertRow(workspaceId, 'ext-Changing Name', { kind: 'customer', displayName: 'Changing Name', email: 'new@changing.example' });
    const runId = await newRun(contactId);
    await runner.run({ workspaceId, syncRunId: runId, requestedBy: 'user-1' }, attempt(1));
    expect((await results(runId)).results).toEqual([{ contactId, ok: true, remoteId: link.remoteId, created: false }]);
    expect(provider.records.get(link.remoteId ?? '')?.contact.emails).toEqual([{ address: 'new@changing.example', type: 'primary' }]);
    const events = await db.database.prisma.linkEvent.findMany({ where: { contactId }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.type, e.actorType, e.actorId])).toEqual([
      ['linked', 'user', 'user-1'],
      ['updated', 'user', 'user-1'],
    ]);
  });

  it('re-points the link to the survivor when the linked remote contact was merged, then updates the survivor', async () => {
    const contactId = await newContact('Merged Away Pty Ltd');
    await runner.run({ workspaceId, syncRunId: await newRun(contactId), requestedBy: null }, attempt(1));
    const loser = (await db.database.prisma.contactLink.findFirstOrThrow({ where: { contactId } })).remoteId ?? '';
    const survivorId = 'survivor-1';
    provider.records.set(survivorId, { id: survivorId, contact: { ...provider.remote(loser).contact, displayName: 'Merged Away Pty Ltd' } });
    provider.gone.set(loser, { reason: 'merged', survivorId });
    await contacts.upsertRow(workspaceId, 'ext-Merged Away Pty Ltd', { kind: 'customer', displayName: 'Merged Away Pty Ltd', phone: '+61 2 5550 1234' });

    const runId = await newRun(contactId);
    await expect(runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(1))).rejects.toBeInstanceOf(RetryLater);
    expect(await db.database.prisma.contactLink.findFirstOrThrow({ where: { contactId } })).toMatchObject({ state: 'linked', remoteId: survivorId });
    await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(2));

    expect(await results(runId)).toEqual({ state: 'completed', results: [{ contactId, ok: true, remoteId: survivorId, created: false }] });
    expect(provider.records.get(survivorId)?.contact.phones).toEqual([{ number: '+61 2 5550 1234', type: 'primary' }]);
    const events = await db.database.prisma.linkEvent.findMany({ where: { contactId }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.type, e.fromRemoteId, e.toRemoteId])).toEqual([
      ['linked', null, loser],
      ['repointed', loser, survivorId],
      ['updated', survivorId, survivorId],
    ]);
  });

  it('invalidates the link with a reason a person can act on when the linked remote contact was archived', async () => {
    const contactId = await newContact('Archived There Ltd');
    await runner.run({ workspaceId, syncRunId: await newRun(contactId), requestedBy: null }, attempt(1));
    const remoteId = (await db.database.prisma.contactLink.findFirstOrThrow({ where: { contactId } })).remoteId ?? '';
    provider.gone.set(remoteId, { reason: 'archived' });
    await contacts.upsertRow(workspaceId, 'ext-Archived There Ltd', { kind: 'customer', displayName: 'Archived There Ltd', email: 'ap@archived.example' });

    const runId = await newRun(contactId);
    await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(1));
    const { state, results: items } = await results(runId);
    expect(state).toBe('completed');
    expect(items[0]).toMatchObject({ contactId, ok: false, error: { kind: 'remote_inactive' } });
    expect(items[0]?.error?.message).toMatch(/was archived there: link this contact to another one from the Search column, or upload it again/);
    expect(await db.database.prisma.contactLink.findFirstOrThrow({ where: { contactId } })).toMatchObject({ state: 'invalid', remoteId });
  });

  it('sends what the field mapping allows: a field turned off is not sent, a value over the limit is refused naming the field', async () => {
    const { prisma } = db.database;
    const rule = (source: string, target: string, enabled = true) => ({ source, target, enabled, direction: 'out', transform: { kind: 'trim' }, overLength: 'reject' });
    await prisma.fieldMapping.create({
      data: {
        workspaceId, connectionId, entity: 'customer', version: 1, effectiveFrom: new Date(Date.now() - 60_000),
        rules: [rule('displayName', 'Name'), rule('emails[primary]', 'Email'), rule('phones[primary]', 'Phone', false)],
      },
    });
    try {
      const mapped = (await contacts.upsertRow(workspaceId, 'ext-mapped', { kind: 'customer', displayName: 'Mapped Phone Ltd', email: 'a@mapped.example', phone: '+61 2 5550 1234' })).id;
      const tooLong = (await contacts.upsertRow(workspaceId, 'ext-long', { kind: 'customer', displayName: 'A Name Far Longer Than Forty Characters Pty Ltd' })).id;
      const runId = await newRun(mapped, tooLong);
      await runner.run({ workspaceId, syncRunId: runId, requestedBy: null }, attempt(1));
      const sent = [...provider.records.values()].find((r) => r.contact.displayName === 'Mapped Phone Ltd');
      expect(sent?.contact.emails).toEqual([{ address: 'a@mapped.example', type: 'primary' }]);
      expect(sent?.contact.phones).toEqual([]);
      const outcome = await results(runId);
      expect(outcome.results.find((r) => r.contactId === tooLong)).toMatchObject({
        ok: false,
        error: { kind: 'validation', message: expect.stringContaining('Name (Name) takes at most 40 characters') as unknown },
      });
      expect([...provider.records.values()].some((r) => r.contact.displayName?.startsWith('A Name Far Longer'))).toBe(false);
    } finally {
      await prisma.fieldMapping.deleteMany({ where: { connectionId } });
    }
  });
});

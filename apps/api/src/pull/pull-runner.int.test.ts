import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { type ContactListRequest, type ContactPage, defineConnector, type RemoteContact } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectorHostRepository } from '../connector-host/connector-host.repository.js';
import { ConnectorHostService } from '../connector-host/connector-host.service.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { createTestDatabase, type TestDatabase } from '../database/test-database.js';
import { LinksRepository } from '../links/links.repository.js';
import { PullRepository, readSummary } from './pull.repository.js';
import { PullRunner } from './pull-runner.service.js';

/** A provider whose list pages by a numeric checkpoint: the index of the next change. */
const changes: RemoteContact[] = [];
const requests: ContactListRequest[] = [];

function remote(id: string, name: string, extra: Partial<RemoteContact> = {}): RemoteContact {
  return { id, status: 'active', version: '1', contact: { kind: 'customer', displayName: name, emails: [], phones: [], addresses: [] } as never, ...extra };
}

const fake = defineConnector<Record<string, never>>({
  id: 'fake-books',
  displayName: 'Fake Books',
  description: 'In-process provider for the pull runner test',
  category: 'accounting',
  host: '^0.1.0',
  capabilities: { contactKinds: ['customer'], search: true, read: true, write: true },
  config: z.object({}),
  auth: { type: 'api_key', label: 'Key' },
  fields: {},
  limits: { requestsPerWindow: 100, windowSeconds: 1, concurrency: 1, batchSize: 10 },
  connect: () => ({
    tenants: { list: () => Promise.resolve([{ id: 't1', name: 'Tenant' }]) },
    deepLink: () => undefined,
    contacts: {
      search: () => Promise.resolve([]),
      get: () => Promise.reject(new Error('not used')),
      list: (input): Promise<ContactPage> => {
        requests.push(input);
        const from = Number(input.checkpoint ?? '0');
        const items = changes.slice(from, from + 2);
        return Promise.resolve({ items, checkpoint: String(from + items.length), hasMore: from + items.length < changes.length });
      },
      upsert: () => Promise.resolve([]),
    },
  }),
});

let db: TestDatabase;
let runner: PullRunner;
let pulls: PullRepository;
let workspaceId: string;
let connectionId: string;
const attempt = { number: 1, max: 3, isLast: false };

async function pull(): Promise<ReturnType<typeof readSummary>> {
  const run = await pulls.createRun(workspaceId, connectionId, 'manual');
  await runner.run({ workspaceId, connectionId, syncRunId: run.id }, attempt);
  return readSummary((await pulls.findRun(workspaceId, run.id))?.results);
}

async function linkOf(contactId: string) {
  return db.database.prisma.contactLink.findFirstOrThrow({ where: { connectionId, contactId } });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const { prisma } = db.database;
  const crypto = new CryptoService(randomBytes(32));
  const logger = new JsonLogger('silent');
  const registry = new ConnectorRegistry([{ packageName: 'fake', packageVersion: '1.0.0', definition: fake as never, config: {}, configured: true }]);
  const host = new ConnectorHostService(new ConnectorHostRepository(prisma), registry, crypto, logger);
  pulls = new PullRepository(prisma);
  runner = new PullRunner(pulls, new LinksRepository(prisma), host, logger);
  workspaceId = (await prisma.workspace.create({ data: { name: 'Pull test' } })).id;
  connectionId = (await prisma.connection.create({ data: { workspaceId, connectorId: 'fake-books', displayName: 'Fake Books', status: 'connected', tenantId: 't1' } })).id;
  await prisma.connection.update({ where: { id: connectionId }, data: { credentials: crypto.encryptJson({ accessToken: 'k' }, connectionId) } });
});

afterAll(async () => {
  await db?.drop();
});

describe('PullRunner', () => {
  it('pages everything into the mirror, then reads only what changed since its checkpoint', async () => {
    changes.push(remote('1', 'Alpha'), remote('2', 'Bravo'), remote('3', 'Charlie'));
    expect(await pull()).toEqual({ fetched: 3, linksChanged: 0, error: null });
    expect(requests.map((r) => r.checkpoint)).toEqual([undefined, '2']);
    expect(await db.database.prisma.remoteContact.count({ where: { connectionId } })).toBe(3);

    changes.push(remote('4', 'Delta'));
    requests.length = 0;
    expect(await pull()).toEqual({ fetched: 1, linksChanged: 0, error: null });
    expect(requests.map((r) => r.checkpoint)).toEqual(['3']);
  });

  it('re-points a link whose remote was merged into a survivor, and invalidates one whose remote was archived', async () => {
    const { prisma } = db.database;
    const contact = (name: string) => prisma.contact.create({ data: { workspaceId, externalId: name, kind: 'customer', displayName: name, data: {}, contentHash: name } });
    const merged = await contact('merged-local');
    const archived = await contact('archived-local');
    for (const [contactId, remoteId] of [[merged.id, '1'], [archived.id, '2']] as const) {
      await prisma.contactLink.create({ data: { workspaceId, connectionId, contactId, remoteId, state: 'linked', linkedBy: 'manual' } });
    }
    changes.push(remote('1', 'Alpha', { status: 'merged', mergedIntoId: '3' }), remote('2', 'Bravo', { status: 'archived' }));

    expect(await pull()).toMatchObject({ fetched: 2, linksChanged: 2 });

    expect(await linkOf(merged.id)).toMatchObject({ state: 'linked', remoteId: '3', remoteName: 'Charlie' });
    expect(await linkOf(archived.id)).toMatchObject({ state: 'invalid', remoteId: '2', reason: expect.stringContaining('was archived there') });
    const events = await prisma.linkEvent.findMany({ where: { connectionId }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.contactId, e.type, e.fromRemoteId, e.toRemoteId, e.actorType])).toEqual([
      [merged.id, 'repointed', '1', '3', 'system'],
      [archived.id, 'invalidated', '2', '2', 'system'],
    ]);
    expect(await prisma.auditLog.count({ where: { workspaceId, action: { in: ['link.repointed', 'link.invalidated'] } } })).toBe(2);
  });
});

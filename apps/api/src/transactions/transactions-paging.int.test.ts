import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../auth/auth.context.js';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectionsRepository } from '../connections/connections.repository.js';
import { ConnectorHostRepository } from '../connector-host/connector-host.repository.js';
import { ConnectorHostService } from '../connector-host/connector-host.service.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { createTestDatabase, type TestDatabase } from '../database/test-database.js';
import type { TransactionQueue } from '../sync/transaction-queue.service.js';
import { TransactionsRepository } from './transactions.repository.js';
import { type TransactionQuery, TransactionsService } from './transactions.service.js';

const ROWS = 100_000;

let db: TestDatabase;
let service: TransactionsService;
let auth: AuthContext;
let otherWorkspaceId: string;

/** Inserts `count` transactions with ids tx-<workspace tag>-<n padded>, alternating invoice/bill and ready/not. */
async function seed(workspaceId: string, contactId: string, tag: string, count: number): Promise<void> {
  await db.database.prisma.$executeRawUnsafe(
    `INSERT INTO "Transaction" ("id", "workspaceId", "externalId", "type", "contactId", "number", "issueDate", "currency", "total", "ready", "data", "contentHash", "updatedAt")
     SELECT 'tx-${tag}-' || lpad(n::text, 6, '0'), $1, 'ext-' || n, CASE WHEN n % 2 = 0 THEN 'invoice' ELSE 'bill' END, $2, 'N' || n, '2026-11-20', 'USD', n * 100,
            n % 4 < 2, '{}'::jsonb, md5(n::text), now()
     FROM generate_series(1, ${count}) AS n`,
    workspaceId,
    contactId,
  );
}

async function all(query: Omit<TransactionQuery, 'cursor'>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await service.list(auth, { ...query, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((i) => i.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  const { prisma } = db.database;
  const logger = new JsonLogger('silent');
  const host = new ConnectorHostService(new ConnectorHostRepository(prisma), new ConnectorRegistry([]), new CryptoService(randomBytes(32)), logger);
  service = new TransactionsService(new TransactionsRepository(prisma), new ConnectionsRepository(prisma), host, {} as TransactionQueue, logger);
  const workspaceId = (await prisma.workspace.create({ data: { name: 'Many transactions' } })).id;
  otherWorkspaceId = (await prisma.workspace.create({ data: { name: 'Other' } })).id;
  const contact = await prisma.contact.create({ data: { workspaceId, externalId: 'c1', kind: 'customer', displayName: 'Big Customer', data: {}, contentHash: 'x' } });
  const otherContact = await prisma.contact.create({ data: { workspaceId: otherWorkspaceId, externalId: 'c1', kind: 'customer', displayName: 'Other Customer', data: {}, contentHash: 'x' } });
  await seed(workspaceId, contact.id, 'a', ROWS);
  await seed(otherWorkspaceId, otherContact.id, 'b', 1_000);
  await prisma.$executeRawUnsafe('ANALYZE "Transaction"');
  auth = { via: 'session', sessionId: 's', userId: 'u', email: 'a@b.c', name: 'A', role: 'viewer', workspaceId, workspaceName: 'W', csrfToken: null };
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe(`GET /api/v1/transactions over ${ROWS} rows`, () => {
  it('pages newest first through every row exactly once, never showing another workspace', async () => {
    const ids = await all({ limit: 500 });
    expect(ids).toHaveLength(ROWS);
    expect(new Set(ids).size).toBe(ROWS);
    expect(ids[0]).toBe(`tx-a-${String(ROWS).padStart(6, '0')}`);
    expect(ids.at(-1)).toBe('tx-a-000001');
    expect(ids.some((id) => id.startsWith('tx-b-'))).toBe(false);
  }, 120_000);

  it('applies type and ready filters on every page', async () => {
    const ids = await all({ limit: 500, type: 'bill', ready: true });
    // bill: n odd; ready: n % 4 in {0, 1} → n % 4 = 1.
    expect(ids).toHaveLength(ROWS / 4);
    expect(ids.every((id) => Number(id.slice(5)) % 4 === 1)).toBe(true);
  }, 120_000);

  it('reads a deep page through an index (keyset), not by scanning the table', async () => {
    const plan = (await db.database.prisma.$queryRawUnsafe(
      `EXPLAIN SELECT "id" FROM "Transaction" WHERE "workspaceId" = $1 AND "id" < $2 ORDER BY "id" DESC LIMIT 51`,
      auth.workspaceId,
      'tx-a-000900',
    )) as { 'QUERY PLAN': string }[];
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index Scan Backward using "Transaction_pkey"/);
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });
});

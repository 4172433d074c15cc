import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../database/database.js';
import { createTestDatabase, type TestDatabase } from '../database/test-database.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { type ContactFilter, ContactsRepository } from './contacts.repository.js';

const ROWS = 100_000;

/**
 * `count` contacts named "Contact 000001"…; every 3rd linked on connection A, every 20th invalid
 * on A, every 50th with a pending suggestion on A, every 7th linked on connection B.
 */
async function seed(prisma: PrismaClient, workspaceId: string, count: number): Promise<void> {
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Contact" ("id", "workspaceId", "externalId", "kind", "displayName", "email", "data", "contentHash", "updatedAt")
     SELECT 'c-' || lpad(n::text, 6, '0'), $1, 'ext-' || n, CASE WHEN n % 2 = 0 THEN 'customer' ELSE 'supplier' END,
            'Contact ' || lpad(n::text, 6, '0') || CASE WHEN n = 77 THEN ' 100% Pure_Co' ELSE '' END, 'c' || n || '@example.com', '{}'::jsonb, md5(n::text), now()
     FROM generate_series(1, ${count}) AS n`,
    workspaceId,
  );
  const link = (where: string, connection: string, state: string) =>
    prisma.$executeRawUnsafe(
      `INSERT INTO "ContactLink" ("id", "workspaceId", "connectionId", "contactId", "remoteId", "state", "linkedBy", "updatedAt")
       SELECT 'l-${connection}-' || n, $1, '${connection}', 'c-' || lpad(n::text, 6, '0'), 'r-' || n, '${state}', 'manual', now()
       FROM generate_series(1, ${count}) AS n WHERE ${where}`,
      workspaceId,
    );
  await link('n % 3 = 0', 'conn-a', 'linked');
  await link('n % 20 = 0 AND n % 3 <> 0', 'conn-a', 'invalid');
  await link('n % 7 = 0', 'conn-b', 'linked');
  await prisma.$executeRawUnsafe(
    `INSERT INTO "MatchSuggestion" ("id", "workspaceId", "connectionId", "contactId", "remoteId", "score", "reasons", "cause")
     SELECT 's-' || n, $1, 'conn-a', 'c-' || lpad(n::text, 6, '0'), 'r-' || n, 0.8, '[]'::jsonb, 'uncertain' FROM generate_series(1, ${count}) AS n WHERE n % 50 = 0`,
    workspaceId,
  );
  // Fresh statistics, as autovacuum keeps them on a live database (without them the planner
  // takes the bulk-loaded tables for empty ones).
  await prisma.$executeRawUnsafe('ANALYZE "Contact", "ContactLink", "MatchSuggestion"');
}

/** How many of 1..count satisfy `test` (the oracle for the filters). */
const expected = (count: number, test: (n: number) => boolean) => Array.from({ length: count }, (_, i) => i + 1).filter(test).length;

describe('contact list filters at 100,000 contacts (PostgreSQL)', () => {
  let db: TestDatabase;
  let repo: ContactsRepository;
  let workspaceId: string;
  const page = { skip: 0, take: 50 };
  const list = (filter: ContactFilter, at = page) => repo.list(workspaceId, filter, at);

  beforeAll(async () => {
    db = await createTestDatabase();
    repo = new ContactsRepository(db.database.prisma);
    workspaceId = (await db.database.prisma.workspace.create({ data: { name: 'Big' } })).id;
    const other = (await db.database.prisma.workspace.create({ data: { name: 'Other' } })).id;
    await seed(db.database.prisma, workspaceId, ROWS);
    await db.database.prisma.contact.create({ data: { workspaceId: other, externalId: 'x', kind: 'customer', displayName: 'Contact 000001 elsewhere', data: {}, contentHash: 'x' } });
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('counts and pages each link state on one connection exactly', async () => {
    const a = { connectionId: 'conn-a' };
    expect((await list({ ...a, link: 'linked' })).total).toBe(expected(ROWS, (n) => n % 3 === 0));
    expect((await list({ ...a, link: 'invalid' })).total).toBe(expected(ROWS, (n) => n % 20 === 0 && n % 3 !== 0));
    expect((await list({ ...a, link: 'suggested' })).total).toBe(expected(ROWS, (n) => n % 50 === 0));
    expect((await list({ ...a, link: 'unlinked' })).total).toBe(expected(ROWS, (n) => n % 3 !== 0 && n % 20 !== 0));
    expect((await list({ ...a, link: 'not_linked' })).total).toBe(expected(ROWS, (n) => n % 3 !== 0));
    const linked = await list({ ...a, link: 'linked' }, { skip: 50, take: 3 });
    expect(linked.rows.map((r) => r.displayName)).toEqual(['Contact 000153', 'Contact 000156', 'Contact 000159']);
  });

  it('without a connection, a link on any connection counts', async () => {
    expect((await list({ link: 'linked' })).total).toBe(expected(ROWS, (n) => n % 3 === 0 || n % 7 === 0));
  });

  it('combines kind and search, takes % and _ literally, and never shows another workspace', async () => {
    const found = await list({ q: '100% pure_co' });
    expect(found.rows.map((r) => r.displayName)).toEqual(['Contact 000077 100% Pure_Co']);
    expect((await list({ q: '100%' })).total).toBe(1);
    expect((await list({ kind: 'customer', link: 'linked', connectionId: 'conn-a' })).total).toBe(expected(ROWS, (n) => n % 6 === 0));
    const first = await list({ q: 'Contact 000001' });
    expect(first.rows.map((r) => r.displayName)).toEqual(['Contact 000001']);
    expect((await list({}, { skip: ROWS - 2, take: 50 })).rows.map((r) => r.externalId)).toEqual(['ext-99999', 'ext-100000']);
  });
});

describe('contact list filters on PGlite (the embedded database of pnpm start)', () => {
  let dataDir: string;
  let database: Database;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'll-contacts-pglite-'));
    database = await openDatabase({ dataDir });
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers the same filters with the same SQL', async () => {
    expect(database.kind).toBe('pglite');
    const repo = new ContactsRepository(database.prisma);
    const workspaceId = (await database.prisma.workspace.create({ data: { name: 'Small' } })).id;
    await seed(database.prisma, workspaceId, 300);
    expect((await repo.list(workspaceId, { connectionId: 'conn-a', link: 'linked' }, { skip: 0, take: 5 })).total).toBe(100);
    expect((await repo.list(workspaceId, { connectionId: 'conn-a', link: 'unlinked' }, { skip: 0, take: 5 })).total).toBe(expected(300, (n) => n % 3 !== 0 && n % 20 !== 0));
    expect((await repo.list(workspaceId, { q: '100% PURE' }, { skip: 0, take: 5 })).rows.map((r) => r.externalId)).toEqual(['ext-77']);
  }, 120_000);
});

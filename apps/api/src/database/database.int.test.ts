// openDatabase and createTestDatabase against real PostgreSQL, and PGlite in a temporary directory.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from './database-errors.js';
import { openDatabase } from './database.js';
import { createTestDatabase } from './test-database.js';

const temporary: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'll-db-'));
  temporary.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function databaseExists(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  target.pathname = '/postgres';
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL through createTestDatabase', () => {
  it('gives a migrated database where Prisma reads and writes through the pg adapter, and drops it', async () => {
    const test = await createTestDatabase();
    try {
      const { prisma, kind } = test.database;
      expect(kind).toBe('postgresql');
      expect(new URL(test.url).pathname).toMatch(/^\/ll_test_[0-9a-f]{12}$/);

      const workspace = await prisma.workspace.create({ data: { name: 'Acme' } });
      const user = await prisma.user.create({
        data: { email: 'ada@example.com', name: 'Ada', passwordHash: 'scrypt$x' },
      });
      await prisma.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: 'owner' } });
      const contact = await prisma.contact.create({
        data: {
          workspaceId: workspace.id,
          externalId: 'c-1',
          kind: 'customer',
          displayName: 'Globex',
          data: { displayName: 'Globex', balance: { amountMinor: 1999, currency: 'USD' } },
          contentHash: 'h1',
        },
      });

      const updated = await prisma.contact.update({
        where: { id: contact.id },
        data: { displayName: 'Globex Corp', version: { increment: 1 } },
      });
      expect(updated.version).toBe(2);
      const found = await prisma.contact.findUniqueOrThrow({
        where: { workspaceId_externalId: { workspaceId: workspace.id, externalId: 'c-1' } },
      });
      expect(found.displayName).toBe('Globex Corp');
      expect(found.data).toEqual({ displayName: 'Globex', balance: { amountMinor: 1999, currency: 'USD' } });

      // An interactive transaction rolls back as a whole.
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.contact.create({
            data: { workspaceId: workspace.id, externalId: 'c-2', kind: 'customer', displayName: 'Temp', data: {}, contentHash: 'h2' },
          });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await prisma.contact.count({ where: { workspaceId: workspace.id } })).toBe(1);

      // The unique constraint from the migration holds.
      await expect(
        prisma.user.create({ data: { email: 'ada@example.com', name: 'Other', passwordHash: 'x' } }),
      ).rejects.toMatchObject({ code: 'P2002' });

      // Deleting the workspace cascades to its contacts and memberships.
      await prisma.workspace.delete({ where: { id: workspace.id } });
      expect(await prisma.contact.count()).toBe(0);
      expect(await prisma.membership.count()).toBe(0);
    } finally {
      await test.drop();
    }
    expect(await databaseExists(test.url)).toBe(false);
    await test.drop(); // a second drop is harmless
  });

  it('opens an existing database without migrating when asked, and fails in one line when it is unreachable', async () => {
    const test = await createTestDatabase();
    try {
      const reopened = await openDatabase({ databaseUrl: test.url, applyMigrations: false });
      try {
        expect(await reopened.prisma.workspace.count()).toBe(0);
      } finally {
        await reopened.close();
      }
    } finally {
      await test.drop();
    }
    const error = await openDatabase({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/ledgerlink' }).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/ledgerlink \(DATABASE_URL\)/);
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL', async () => {
    await expect(openDatabase({ databaseUrl: 'mysql://root@localhost/app' })).rejects.toThrow(
      /^DATABASE_URL must start with postgresql:\/\//,
    );
  });
});

describe('PGlite in a data directory', () => {
  // PGlite runs initdb on first open: seconds of CPU on the shared 2-core machine.
  it('creates the directory, migrates, and keeps the data across a close and reopen', { timeout: 120_000 }, async () => {
    const dataDir = path.join(await tempDir(), 'nested', '.ledgerlink');

    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe('pglite');
    const workspace = await first.prisma.workspace.create({ data: { name: 'Persisted' } });
    await first.prisma.connection.create({
      data: { workspaceId: workspace.id, connectorId: 'quickbooks-online', displayName: 'QBO sandbox' },
    });
    await first.close();
    await first.close(); // idempotent
    // A process that died without closing leaves its lock behind; the next start clears it.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(path.join(dataDir, 'pglite.lock'), `${deadPid}\n`);

    const second = await openDatabase({ dataDir });
    try {
      const reloaded = await second.prisma.workspace.findUniqueOrThrow({
        where: { id: workspace.id },
        include: { connections: true },
      });
      expect(reloaded.name).toBe('Persisted');
      expect(reloaded.connections.map((connection) => connection.status)).toEqual(['pending']);
      const history = await second.prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM _prisma_migrations`;
      expect(Number(history[0]?.count)).toBeGreaterThan(0);
      // A second process (or a second open in this one) must not share the files.
      await expect(openDatabase({ dataDir })).rejects.toThrow(/already open in this process/);
    } finally {
      await second.close();
    }
  });

  it('reports a data directory that is a file, in one line naming the path', async () => {
    const file = path.join(await tempDir(), 'not-a-directory');
    await writeFile(file, 'x');
    const error = await openDatabase({ dataDir: file }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(/\(LEDGERLINK_DATA_DIR\): it is a file, not a directory; choose a directory path\.$/);
    expect(message).not.toContain('\n');
  });

  it('refuses a directory whose pglite folder holds something other than a database', async () => {
    const dataDir = await tempDir();
    await mkdir(path.join(dataDir, 'pglite'));
    await writeFile(path.join(dataDir, 'pglite', 'notes.txt'), 'mine');
    await expect(openDatabase({ dataDir })).rejects.toThrow(/holds files that are not a PGlite database/);
  });

  it('asks for DATABASE_URL or LEDGERLINK_DATA_DIR when given neither', async () => {
    await expect(openDatabase({})).rejects.toThrow(/DATABASE_URL.*LEDGERLINK_DATA_DIR/);
  });
});
